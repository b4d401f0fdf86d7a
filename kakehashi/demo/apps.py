from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kakehashi.demo"
    verbose_name = "デモデータ"
