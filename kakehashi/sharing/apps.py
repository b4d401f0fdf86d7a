from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "kakehashi.sharing"
    verbose_name = "機構との連携"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel

        from .panels import funnel_panel

        register_panel("referral_funnel", funnel_panel, order=20)
