from django.urls import path

from fhb.citizens import converters  # noqa: F401 (registers <cpr:...>)
from fhb.journal import views

urlpatterns = [
    path("laesninger/", views.read_log, name="journal-reads"),
    path("<cpr:cpr>/notat/", views.note_new, name="journal-note-new"),
    path("<cpr:cpr>/samtykke/", views.consent_new, name="consent-new"),
    path("samtykke/<int:pk>/tilbagekald/", views.consent_withdraw, name="consent-withdraw"),
]
