from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fhb.web"
    label = "web"
    verbose_name = "Web"
