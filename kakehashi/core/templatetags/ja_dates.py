"""Template filters for Japanese dates; loaded as a builtin in every template."""

from django import template
from django.utils import timezone, translation

from kakehashi.core.japanese_dates import format_japanese, format_wareki

register = template.Library()


def _local(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


@register.filter
def wareki(value, arg=""):
    """{{ date|wareki }} → 令和8年11月22日; {{ date|wareki:"weekday" }} adds （日）."""
    if not value:
        return ""
    if translation.get_language() == "en":
        return _local(value).strftime("%-d %b %Y")
    return format_wareki(_local(value), weekday=arg == "weekday")


@register.filter
def jdate(value, arg=""):
    """{{ date|jdate }} → 2026年11月22日; in English, 22 Nov 2026."""
    if not value:
        return ""
    if translation.get_language() == "en":
        return _local(value).strftime("%-d %b %Y")
    return format_japanese(_local(value), weekday=arg == "weekday")


@register.filter
def jdatetime(value):
    """{{ dt|jdatetime }} → 2026年11月22日 14:05."""
    if not value:
        return ""
    local = _local(value)
    if translation.get_language() == "en":
        return local.strftime("%-d %b %Y %H:%M")
    return f"{format_japanese(local)} {local:%H:%M}"
