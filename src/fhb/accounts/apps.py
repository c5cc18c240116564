from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fhb.accounts"
    label = "accounts"
    verbose_name = "Brugere"
