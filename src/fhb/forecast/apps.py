from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "fhb.forecast"
    label = "forecast"
    verbose_name = "Prognose"

    def ready(self) -> None:
        from fhb.forecast import jobs  # noqa: F401  (registers the forecast and comparison jobs)
