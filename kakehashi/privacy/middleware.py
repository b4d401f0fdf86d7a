"""Remembers the path of the request being served so access-log entries say where a read happened."""

from contextvars import ContextVar

current_path: ContextVar[str] = ContextVar("kakehashi_access_path", default="")


class AccessContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path only: query strings may carry search terms (names) and are never stored.
        token = current_path.set(request.path[:300])
        try:
            return self.get_response(request)
        finally:
            current_path.reset(token)
