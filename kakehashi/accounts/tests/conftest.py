import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login throttling counts live in the cache: every test starts without failures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
