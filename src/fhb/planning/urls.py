import datetime as dt

from django.urls import path, register_converter

from fhb.planning import views
from fhb.ui.forms import plausible_year


class IsoDateConverter:
    """A date in the path as YYYY-MM-DD."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        day = dt.date.fromisoformat(value)
        if not plausible_year(day):  # a ValueError is no match: 404
            raise ValueError(f"{value} is outside the years fhb works with")
        return day

    def to_url(self, value: dt.date) -> str:
        return value.isoformat()


class TokenConverter:
    """A calendar feed's secret (``secrets.token_urlsafe``)."""

    regex = r"[A-Za-z0-9_-]{16,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(TokenConverter, "feedtoken")

urlpatterns = [
    path("", views.overview, name="plan-overview"),
    path("koer/", views.run, name="plan-run"),
    path("uge/<int:user_id>/", views.week, name="plan-week"),
    path("dag/<int:user_id>/<isodate:day>/", views.day, name="plan-day"),
    path("besoeg/<int:pk>/flyt/", views.move, name="visit-move"),
    path("kalender/ny-noegle/<int:user_id>/", views.ical_reset, name="ical-reset"),
    path("kalender/<feedtoken:token>.ics", views.ical, name="consultant-ical"),
    path("tider/<int:offer_pk>/", views.offer_slots, name="offer-slots"),
    path("tider/<int:offer_pk>/book/", views.offer_slot_book, name="offer-slot-book"),
]
