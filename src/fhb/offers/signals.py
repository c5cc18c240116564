"""Signals the apps built on offers listen to, so that offers knows nothing of visits or letters."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the transaction that closes the open work of offers that no longer hold (a run withdrew or
#: changed them, the citizen said no or wants another time, a re-import found the citizen dead, a leader
#: closed the work of a citizen missing from the extract), with ``offer_ids`` (a list of Offer ids),
#: ``reason`` (Danish, kept on what is cancelled), ``declined`` (True when the citizen said no: a planned
#: visit is then *declined*, not *cancelled*) and ``user`` (who decided, for the history rows; None: the
#: system or the request's user). Each receiver cancels what its app holds for these offers and returns
#: ``{"what": count}``.
offers_closing = Signal()
