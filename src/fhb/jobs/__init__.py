"""Background jobs: long work (imports, eligibility runs, sending letters, plan runs) runs in ``fhb worker``.

A page starts a job and returns at once; the job's own page shows its progress, its result and any error,
and survives a reload. The work itself belongs to the app that owns the data (``<app>/jobs.py`` registers
a kind with :func:`fhb.jobs.registry.job_kind`); this package only queues, runs, locks and reports.
See docs/architecture.md, "Background jobs".
"""
