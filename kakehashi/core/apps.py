from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kakehashi.core"
    verbose_name = "共通"
