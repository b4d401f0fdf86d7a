from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "kakehashi.outreach"
    verbose_name = "事業・訪問"
