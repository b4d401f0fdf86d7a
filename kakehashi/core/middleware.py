from django.utils.functional import SimpleLazyObject

SESSION_KEY = "current_programme_id"


def current_programme(request):
    """The programme the user picked (kept in the session), or their most recent one."""
    from kakehashi.outreach.selectors import programmes_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    programmes = programmes_for(user)
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        programme = programmes.filter(pk=chosen).first()
        if programme is not None:
            return programme
    return programmes.order_by("-fiscal_year", "pk").first()


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
