"""Synthetic municipalities: made-up people 60+ and those they live with, in the contract's CSV format.

``fhb synth`` (:mod:`fhb.commands.synth`) is the command; :func:`fhb.demo.synth.generator.write_municipality`
the entry point. No Django. Figures and sources: docs/synthetic-data.md.
"""
