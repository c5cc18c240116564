from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fhb.stats"
    label = "stats"
    verbose_name = "Statistik"
