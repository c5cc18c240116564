from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.visits import views

urlpatterns = [
    path("besoeg/<int:pk>/tolk/", views.visit_interpreter, name="visit-interpreter"),
    path("borgere/<cpr:cpr>/praktisk/", views.home_notes, name="home-notes"),
]
