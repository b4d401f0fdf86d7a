"""Browser-test fixtures: Debian's Chromium (/usr/bin/chromium, never a downloaded build) through Playwright.

Active for tests/browser/ through its conftest; root conftest.py can make them active everywhere
with `pytest_plugins = ["tests.browser.plugin"]`.

Every test under tests/browser/ is marked `browser` (`make test-browser` runs only these;
`-m "not browser"` leaves them out). Without /usr/bin/chromium they are skipped with the reason,
except with CI=true, where a missing Chromium fails them.

Fixtures: `browser_page(viewport)` opens a fresh context (own cookies) at that size, `demo_accounts`
creates the demo users and programmes the way `seed_demo` does. Helpers are in `helpers.py`.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

# live_server runs in a thread while sync Playwright keeps an event loop in the test thread;
# Django would otherwise refuse ORM calls made from the test body.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent

__all__ = [
    "DemoAccounts",
    "_fast_password_hashing",
    "browser_page",
    "browser_type_launch_args",
    "demo_accounts",
    "pytest_collection_modifyitems",
]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark everything under tests/browser/ as `browser` before `-m` selects."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium with these; each launch gets a fresh profile dir."""
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"CI=true but {CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped outside CI")
    headless = browser_type_launch_args.get("headless", True)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": headless,
        "args": (["--headless"] if headless else []) + CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo users are created per test; PBKDF2 would make each test seconds slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser_page(browser, live_server):
    """browser_page(viewport) → a new page in its own context, sized `viewport` (helpers.PHONE by default).

    The test fails if the page throws an uncaught JavaScript error or a static file is missing.
    """
    from .helpers import PHONE

    contexts = []
    problems: list[str] = []

    def _open(viewport: dict | None = None, **context_args):
        context = browser.new_context(
            viewport=viewport or PHONE,
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            base_url=live_server.url,
            **context_args,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))
        page.on(
            "response",
            lambda response: (
                problems.append(f"{response.status} for {response.url}")
                if response.status >= 400 and "/static/" in response.url
                else None
            ),
        )
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not problems, "; ".join(problems)


@dataclass
class DemoAccounts:
    users: dict
    programme: object

    def first_with_role(self, role: str):
        return next(user for user in self.users.values() if role in user.role_codes)


@pytest.fixture
def demo_accounts(transactional_db):
    """The demo users (password DEMO_PASSWORD) and programmes, made by the real seeding code."""
    from django.utils import timezone

    from kakehashi.demo.seed import seed_programmes, seed_users
    from kakehashi.outreach.tests.factories import PrefectureFactory

    PrefectureFactory(code="06", name="山形県", kana="やまがたけん", name_en="Yamagata")
    PrefectureFactory(code="04", name="宮城県", kana="みやぎけん", name_en="Miyagi")
    users = seed_users()
    programme = seed_programmes(users, timezone.localdate())
    return DemoAccounts(users=users, programme=programme)
