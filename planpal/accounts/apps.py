from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "planpal.accounts"
    label = "accounts"
