from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kakehashi.accounts"
    verbose_name = "アカウント"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_active

        user_logged_in.connect(mark_session_active, dispatch_uid="kakehashi_mark_session_active")
        _admin_login_through_kakehashi()


def _admin_login_through_kakehashi() -> None:
    """The admin site's own login form would skip throttling and the second factor: send it to ours."""
    from django.contrib import admin
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    def login(request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied  # signed in, but not allowed into the admin
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:login"))

    admin.site.login = login
