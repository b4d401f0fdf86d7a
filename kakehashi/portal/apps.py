from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kakehashi.portal"
    verbose_name = "ポータル"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel

        from .panels import page_views_panel

        register_panel("portal_page_views", page_views_panel, order=60)
