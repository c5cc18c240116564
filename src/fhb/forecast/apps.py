from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "fhb.forecast"
    label = "forecast"
    verbose_name = "Prognose"
