"""The shipped quality standards (``hjoerring.toml``, ``herning.toml``, ``ishoej.toml``) and the one loader
of the standard in force (:mod:`fhb.standards.current`)."""
