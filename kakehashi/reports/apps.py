from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kakehashi.reports"
    verbose_name = "定期報告"
