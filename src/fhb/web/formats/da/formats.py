"""The project's Danish date formats (issue 21): ``07.12.2026`` in tables, ``7. december 2026`` in text.

Django's own Danish formats say the same today; they are written here so that a page's dates do not
change with Django. Templates write ``|date:"SHORT_DATE_FORMAT"`` (or ``SHORT_DATETIME_FORMAT``).
"""

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
