"""Small helpers for the library templates (hearing manual statistics, content usage)."""

from django import template

from ..choices import QuestionKind

register = template.Library()


@register.simple_tag
def percent(part, whole) -> str:
    """{% percent count total %} → "42" (a whole percentage), "0" when the total is zero."""
    try:
        return str(round(100 * float(part) / float(whole))) if whole else "0"
    except (TypeError, ValueError):
        return "0"


@register.filter
def question_kind_label(kind: str) -> str:
    return str(QuestionKind(kind).label) if kind in QuestionKind.values else ""
