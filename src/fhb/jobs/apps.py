from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "fhb.jobs"
    label = "jobs"
    verbose_name = "Baggrundsjob"
