from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.pages import (
    arrangements,
    citizen_list,
    citizen_page,
    day,
    events,
    follow_ups,
    front,
    not_in_extract,
    phone_calls,
    visit_outcomes,
    worklist_views,
)

urlpatterns = [
    path("", front.home, name="home"),
    path("opgaver/", worklist_views.worklist_page, name="worklist"),
    path("borgere/", citizen_list.citizen_list, name="citizen-list"),
    path("borgere/ikke-i-udtraek/", not_in_extract.not_in_extract, name="not-in-extract"),
    path("borgere/<cpr:cpr>/", citizen_page.citizen_detail, name="citizen-detail"),
    path("tilbud/<int:pk>/svar/", citizen_page.answer_offer, name="offer-answer"),
    path("tilbud/<int:pk>/tidspunkt/", citizen_page.offer_visit_time, name="offer-visit-time"),
    path("tilbud/<int:pk>/opkald/", phone_calls.offer_call, name="offer-call"),
    path("tilbud/<int:pk>/tilmeld/", arrangements.offer_sign_up, name="offer-sign-up"),
    path("tilbud/opfoelgning/", follow_ups.follow_up_list, name="follow-up-list"),
    path("idag/", day.today, name="today"),
    path("besoeg/<int:pk>/", day.visit_detail, name="visit-detail"),
    path("besoeg/<int:pk>/udfald/", visit_outcomes.visit_outcome, name="visit-outcome"),
    path("arrangementer/", events.event_list, name="event-list"),
    path("arrangementer/ny/", events.event_new, name="event-new"),
    path("arrangementer/<int:pk>/", events.event_detail, name="event-detail"),
    path("arrangementer/<int:pk>/rediger/", events.event_edit, name="event-edit"),
    path("arrangementer/<int:pk>/tilmeld/", events.event_register, name="event-register"),
    path("arrangementer/<int:pk>/fremmoede/", events.event_attendance, name="event-attendance"),
    path(
        "arrangementer/tilmeldinger/<int:pk>/afmeld/", events.registration_cancel, name="registration-cancel"
    ),
    path("arrangementer/klubbesoeg/", events.club_visit_list, name="club-visit-list"),
    path("arrangementer/klubbesoeg/ny/", events.club_visit_new, name="club-visit-new"),
    path("arrangementer/klubbesoeg/<int:pk>/", events.club_visit_edit, name="club-visit-edit"),
]
