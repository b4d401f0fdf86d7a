from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "kakehashi.planning"
    verbose_name = "訪問計画"

    def ready(self) -> None:
        from kakehashi.insights.panels import register_panel

        from .panels import plan_progress_panel

        register_panel("planning", plan_progress_panel, order=20)
