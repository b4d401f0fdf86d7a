from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "kakehashi.insights"
    verbose_name = "進捗・分析"

    def ready(self) -> None:
        from . import signals  # noqa: F401 — connects the cache-version receivers
