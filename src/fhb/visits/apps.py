from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "fhb.visits"
    label = "visits"
    verbose_name = "Besøg"
