from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "fhb.pages"
    label = "pages"
    verbose_name = "Sider"
