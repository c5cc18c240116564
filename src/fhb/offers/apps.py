from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "fhb.offers"
    label = "offers"
    verbose_name = "Tilbud"

    def ready(self) -> None:
        from fhb.offers import receivers  # noqa: F401  (connects the signal receivers)
