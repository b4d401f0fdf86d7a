from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kakehashi.events"
    verbose_name = "イベント・セミナー"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel

        from .panels import events_panel

        register_panel("events", events_panel, order=40)
