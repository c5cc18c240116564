"""fhb: preventive home visits (forebyggende hjemmebesøg; Ældreloven, formerly Serviceloven § 79 a)."""

__version__ = "0.1.0"
