from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kakehashi.portal"
    verbose_name = "ポータル"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel
        from kakehashi.privacy.erasure import register_eraser

        from .erasers import erase_consultation_requests, erase_subscriber
        from .panels import page_views_panel

        register_panel("portal_page_views", page_views_panel, order=60)
        # Before the contact itself is erased (order 10): these read its name and e-mail.
        register_eraser("portal.consultations", erase_consultation_requests, order=5)
        register_eraser("portal.subscribers", erase_subscriber, order=5)
