"""Login throttling: after LOGIN_FAILURE_LIMIT failures for one username from one address, wait.

Kept in the cache (per process with the default local-memory cache; configure a shared cache when running several
processes). Keys are hashes, so the cache holds no user names.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from kakehashi.core.ratelimit import client_address, count_hit


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{(username or '').strip().lower()}|{ip or ''}".encode()).hexdigest()[:32]
    return f"kakehashi:login-failures:{digest}"


def client_ip(request) -> str:
    return client_address(request)


def is_locked(username: str, ip: str) -> bool:
    return cache.get(_key(username, ip), 0) >= settings.LOGIN_FAILURE_LIMIT


def register_failure(username: str, ip: str) -> int:
    # Every failure extends the window, so a slow guesser stays locked out.
    return count_hit(_key(username, ip), window=settings.LOGIN_LOCKOUT_SECONDS, extend=True)


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
