from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "fhb.journal"
    label = "journal"
    verbose_name = "Journal og samtykke"
