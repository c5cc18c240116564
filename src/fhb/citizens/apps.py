from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "fhb.citizens"
    label = "citizens"
    verbose_name = "Borgere"

    def ready(self) -> None:
        from fhb.citizens import jobs  # noqa: F401  (registers the import jobs)
