from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "fhb.events"
    label = "events"
    verbose_name = "Arrangementer"
