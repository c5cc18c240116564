"""Signals other apps listen to, so the population knows nothing of offers, visits or letters."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside an import's transaction after its changes are applied, with ``run`` (the ImportRun),
#: ``died`` (CPR -> date of death, for citizens whose death the extract reports for the first time) and
#: ``gone`` (CPRs no longer in the extract: moved away).
extract_applied = Signal()
