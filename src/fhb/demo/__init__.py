"""Everything that makes demo data: the demo's users, sender, calendars, plan and day (:mod:`setup`), its
events (:mod:`events`) and synthetic past plan years (:mod:`history`). Used by ``fhb demo-setup``,
``fhb synth-history`` and the benchmarks; nothing in the product imports it."""
