from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kakehashi.privacy"
    verbose_name = "個人情報保護"

    def ready(self) -> None:
        # The erasers of the apps that existed before the registry; later apps register their own.
        from . import erasers  # noqa: F401
