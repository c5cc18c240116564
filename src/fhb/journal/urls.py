from django.urls import path

from fhb.journal import views

urlpatterns = [
    path("laesninger/", views.read_log, name="journal-reads"),
    path("<str:cpr>/notat/", views.note_new, name="journal-note-new"),
    path("<str:cpr>/samtykke/", views.consent_new, name="consent-new"),
    path("samtykke/<int:pk>/tilbagekald/", views.consent_withdraw, name="consent-withdraw"),
]
