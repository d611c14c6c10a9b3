from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socle.web.accounts"
    label = "accounts"
    verbose_name = "Comptes"
