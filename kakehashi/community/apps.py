from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "kakehashi.community"
    verbose_name = "コミュニティ"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel

        from .panels import community_panel

        register_panel("community", community_panel, order=60)
