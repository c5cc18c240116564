from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "fhb.offers"
    label = "offers"
    verbose_name = "Tilbud"
