from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "fhb.visits"
    label = "visits"
    verbose_name = "Besøg"

    def ready(self) -> None:
        from fhb.visits import receivers  # noqa: F401  (connects the signal receivers)
