from django.conf import settings

from .middleware import request_programmes
from .navigation import nav_for


def kakehashi(request):
    user = getattr(request, "user", None)
    # Not "site_name": Django's auth views set that to the request host.
    context = {"product_name": settings.KAKEHASHI_SITE_NAME}
    if user is not None and user.is_authenticated:
        context["nav_items"] = nav_for(user, request.path)
        context["current_programme"] = getattr(request, "programme", None)
        context["my_programmes"] = request_programmes(request)
    return context
