from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kakehashi.accounts"
    verbose_name = "アカウント"
