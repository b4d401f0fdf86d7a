from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kakehashi.events"
    verbose_name = "イベント・セミナー"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel
        from kakehashi.privacy.erasure import register_eraser

        from .erasers import erase_event_registrations
        from .panels import events_panel

        register_panel("events", events_panel, order=40)
        # Before the contact itself is erased (order 10): these read its name and e-mail.
        register_eraser("events.registrations", erase_event_registrations, order=5)
