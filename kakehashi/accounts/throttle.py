"""Login throttling: after LOGIN_FAILURE_LIMIT failures for one username from one address, wait.

Kept in the cache (per process with the default local-memory cache; configure a shared cache when running several
processes). Keys are hashes, so the cache holds no user names.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{(username or '').strip().lower()}|{ip or ''}".encode()).hexdigest()[:32]
    return f"kakehashi:login-failures:{digest}"


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def is_locked(username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= settings.LOGIN_FAILURE_LIMIT


def register_failure(username: str, ip: str) -> int:
    key = _key(username, ip)
    if cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        return 1
    # Every failure extends the window, so a slow guesser stays locked out.
    cache.touch(key, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    return count


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
