from django.conf import settings


def portal(request):
    """The portal's public name for `public_base.html` (header, title, footer)."""
    return {"portal_name": settings.KAKEHASHI_PORTAL_NAME}
