"""The ``<cpr:...>`` path converter: a citizen's CPR number in an address, as it is stored (ten digits).

Anything else is no address of a citizen's page (404) and never reaches the database: a NUL character, for
one, makes PostgreSQL refuse the query (a 500). Imported by every ``urls.py`` that names a citizen by CPR
number; the first import registers it.
"""

from __future__ import annotations

from django.urls import register_converter


class CprConverter:
    regex = r"[0-9]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CprConverter, "cpr")
