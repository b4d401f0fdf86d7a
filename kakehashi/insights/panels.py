"""Dashboard panels contributed by other apps (plans, referrals, events, community …).

An app registers a callable in its `AppConfig.ready()`:

    from kakehashi.insights.panels import register_panel
    register_panel("events", events_panel, order=40)

The callable takes `(request, programme)` and returns rendered HTML (for example
`render_to_string("events/includes/dashboard_panel.html", context, request=request)`) or `None`
when the user may not see it or there is nothing to show. Panels are rendered below the
programme's progress figures, in `order`, and share the figures' cache: each panel
is cached with the figures' key (see `render_panels`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

PanelFunc = Callable[..., str | None]


@dataclass(frozen=True)
class Panel:
    key: str
    func: PanelFunc
    order: int


_PANELS: dict[str, Panel] = {}


def register_panel(key: str, func: PanelFunc, *, order: int = 100) -> None:
    """Add (or replace, so `ready()` may run twice in tests) the panel named `key`."""
    _PANELS[key] = Panel(key=key, func=func, order=order)


def registered_panels() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def _render_panel(panel, request, programme) -> str:
    return panel.func(request, programme) or ""


def render_panels(request, programme, *, cache_key: str | None = None, seconds: int = 0) -> list[SafeString]:
    """Each panel's HTML; with `cache_key` (the figures' key, which moves with every visit change) a panel is
    rendered once per user and key and kept `seconds`, like the figures above it."""
    rendered = []
    for panel in registered_panels():
        key = f"{cache_key}:panel:{panel.key}:{request.user.pk}" if cache_key and seconds > 0 else None
        render = partial(_render_panel, panel, request, programme)
        html = cache.get_or_set(key, render, seconds) if key else render()
        if html:
            rendered.append(mark_safe(html))  # panels return template output, already escaped
    return rendered
