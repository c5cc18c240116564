from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "fhb.planning"
    label = "planning"
    verbose_name = "Planlægning"

    def ready(self) -> None:
        from fhb.planning import jobs  # noqa: F401  (registers the plan run job)
