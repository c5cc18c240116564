"""fhb: preventive home visits (forebyggende hjemmebesøg, Serviceloven § 79 a)."""

__version__ = "0.1.0"
