from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "fhb.letters"
    label = "letters"
    verbose_name = "Breve"

    def ready(self) -> None:
        from fhb.letters import jobs, receivers  # noqa: F401  (signal receivers; the sending job)
