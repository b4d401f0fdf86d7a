import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(programme):
    from .factories import member

    return member(programme, "coordinator")


@pytest.fixture
def manager(programme):
    from .factories import member

    return member(programme, "manager")
