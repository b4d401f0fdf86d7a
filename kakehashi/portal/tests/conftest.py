import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded images go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
