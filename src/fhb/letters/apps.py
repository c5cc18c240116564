from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "fhb.letters"
    label = "letters"
    verbose_name = "Breve"
