"""Page views per page and month, counted on the server without cookies or personal data.

`count_page_view` (a view decorator) adds one to the `(path, month)` row after a successful GET with one
UPSERT statement (`INSERT … ON CONFLICT … DO UPDATE SET views = views + 1`, SQLite ≥ 3.24 and PostgreSQL), so
concurrent requests never lose a count and no read happens first. Nothing about the visitor is stored: no IP
address, no user agent, no cookie, no query string (search terms may be personal). Requests that are not a
person reading the page are skipped: bots by user agent, prefetches, HTMX partial updates, HEAD, non-200.
"""

import datetime
import functools
import logging
import re

from django.db import DatabaseError, connection
from django.utils import timezone

from .models import PageView

logger = logging.getLogger(__name__)

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|externalhit|fetch|preview|scan|monitor|curl|wget|python-|httpx|go-http|java/|headless|lighthouse",
    re.IGNORECASE,
)
MAX_PATH = 200


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def should_count(request, response) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if getattr(request, "htmx", False):
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return False
    return not is_bot(request.headers.get("User-Agent", ""))


def month_of(when: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(when).replace(day=1)


def record_page_view(path: str, when: datetime.datetime | None = None) -> None:
    """Add one view of `path` in the month of `when` (now): one UPSERT."""
    table = connection.ops.quote_name(PageView._meta.db_table)
    # The table name is ours; the values are parameters.
    sql = (
        f"INSERT INTO {table} (path, month, views) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (path, month) DO UPDATE SET views = {table}.views + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [path[:MAX_PATH], month_of(when)])


def count_page_view(view):
    """Count successful GETs of the decorated public view (errors in counting never break the page)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if should_count(request, response):
            try:
                record_page_view(request.path)
            except DatabaseError:
                logger.warning("page view not counted", exc_info=True)
        return response

    return wrapper
