"""Browser tests under tests/browser/: fixtures and hooks come from `plugin.py` (see there)."""

from tests.browser.plugin import *  # noqa: F403
