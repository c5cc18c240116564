from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "fhb.citizens"
    label = "citizens"
    verbose_name = "Borgere"
