from django.utils.functional import SimpleLazyObject

SESSION_KEY = "current_programme_id"


def request_programmes(request) -> list:
    """The programmes the signed-in user works on, read once per request (the header's switcher uses them too)."""
    from kakehashi.outreach.selectors import member_programmes

    cached = getattr(request, "_kakehashi_programmes", None)
    if cached is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        cached = request._kakehashi_programmes = member_programmes(user)
    return cached


def current_programme(request):
    """The programme the user picked (kept in the session), or their most recent one."""
    programmes = request_programmes(request)
    if not programmes:
        return None
    chosen = request.session.get(SESSION_KEY)
    for programme in programmes:
        if programme.pk == chosen:
            return programme
    return min(programmes, key=lambda p: (-p.fiscal_year, p.pk))


class JapaneseFirstMiddleware:
    """Japanese unless the user picked another language with the switch (a cookie).

    Runs before LocaleMiddleware and hides the browser's Accept-Language, so a prefecture PC with
    an English operating system still gets the Japanese screens officials expect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class CurrentProgrammeMiddleware:
    """Sets `request.programme`; screens are scoped to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.programme = SimpleLazyObject(lambda: current_programme(request))
        return self.get_response(request)
