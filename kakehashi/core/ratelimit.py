"""Counting requests per key in the cache, for throttles (login failures, public registrations).

Per process with the default local-memory cache; configure a shared cache (`CACHES`) when running several
processes, or each worker counts on its own.
"""

from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def count_hit(key: str, *, window: int, extend: bool = False) -> int:
    """Count one more hit on `key` within `window` seconds and return the count (atomic where the cache is).

    `extend`: every hit restarts the window (a slow guesser stays locked out).
    """
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
    if extend:
        cache.touch(key, timeout=window)
    return count
