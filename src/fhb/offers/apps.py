from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "fhb.offers"
    label = "offers"
    verbose_name = "Tilbud"

    def ready(self) -> None:
        from fhb.offers import jobs, receivers  # noqa: F401  (signal receivers; the eligibility run job)
