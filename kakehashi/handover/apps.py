from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "kakehashi.handover"
    verbose_name = "データ引継ぎ"

    def ready(self) -> None:
        from kakehashi.outreach.search import visit_search_reindex

        from .bundle import register_post_import

        # The visit search text is carried; the SQLite FTS table beside it is rebuilt from it.
        register_post_import(visit_search_reindex)
