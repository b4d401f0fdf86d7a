import pytest

from .factories import make_world


@pytest.fixture
def world(programme):
    return make_world(programme)
