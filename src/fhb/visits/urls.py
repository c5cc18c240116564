from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.visits import views

urlpatterns = [
    path("idag/", views.today, name="today"),
    path("besoeg/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("besoeg/<int:pk>/udfald/", views.visit_outcome, name="visit-outcome"),
    path("besoeg/<int:pk>/tolk/", views.visit_interpreter, name="visit-interpreter"),
    path("borgere/<cpr:cpr>/praktisk/", views.home_notes, name="home-notes"),
]
