"""Signals other apps listen to, so the population knows nothing of offers, visits or letters."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside an import's transaction after its changes are applied, with ``run`` (the ImportRun),
#: ``died`` (CPR -> day of death, or None when the extract states the death by civil status D without a
#: date, for citizens whose death the extract states for the first time) and ``gone`` (CPRs no longer in
#: the extract). A death closes the citizen's offers and cancels her planned visits at once; a citizen
#: who is gone keeps them until a leader decides (the extract does not say why she is missing: moved
#: away, a wrong file, an error at the source).
extract_applied = Signal()

#: Sent by the import's preview (:func:`fhb.citizens.preview.preview_extract`), which writes nothing, to
#: learn what an extract puts at stake for some citizens: with ``cprs`` (a frozenset of CPR numbers) and
#: ``today``. Each receiver returns a dict of counts of its own work for those citizens: ``offers``
#: answers ``{"open_offers": n}`` (active offers whose work is not over), ``visits``
#: ``{"planned_visits": n}`` (planned visits from ``today`` on).
work_at_stake = Signal()
