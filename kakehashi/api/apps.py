from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kakehashi.api"
    verbose_name = "API"
