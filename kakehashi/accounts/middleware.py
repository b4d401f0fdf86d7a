"""Sessions end after a period without activity (`SESSION_IDLE_TIMEOUT`), on top of their absolute age."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "kakehashi_last_seen"
# Writing the session on every request is wasteful; the last-seen time is refreshed once a minute.
REFRESH_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > timeout:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(
                    request, _("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。")
                )
                login_url = reverse(settings.LOGIN_URL)
                if request.method == "GET" and not getattr(request, "htmx", False):
                    return redirect(f"{login_url}?next={request.path}")
                return redirect(login_url)
            if last_seen is None or now - int(last_seen) >= REFRESH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def mark_session_active(sender, request, user, **kwargs) -> None:
    """Signing in counts as activity (so the first request after it does not write the session again)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())
