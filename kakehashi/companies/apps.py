from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "kakehashi.companies"
    verbose_name = "企業等"
