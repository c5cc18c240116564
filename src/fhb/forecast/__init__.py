"""The capacity forecast's pages: letters, visits, hours and full-time consultants for coming years, and
the standard in force compared with an edited copy (the engine is :mod:`fhb.core.forecast`)."""
