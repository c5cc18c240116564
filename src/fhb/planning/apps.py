from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "fhb.planning"
    label = "planning"
    verbose_name = "Planlægning"
