"""Helpers for browser tests: sign in through the real form, check layout, keep screenshots.

Import them in a test module: `from tests.browser.helpers import PHONE, login, screenshot`.
Pages come from the `browser_page` fixture in `tests/browser/conftest.py`.
"""

from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LOGIN_PATH = "/accounts/login/"
SCREENSHOT_DIR = Path(settings.VAR_DIR) / "screenshots"


def submit_login(page: Page, live_server, username: str, password: str) -> None:
    """Open the login page, fill the form as a person would and press the button."""
    page.goto(live_server.url + LOGIN_PATH)
    form = page.locator("form", has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the login form; fails the test if the form is shown again."""
    submit_login(page, live_server, username, password)
    if page.url.split("?")[0].endswith(LOGIN_PATH):
        alert = page.locator('[role="alert"]')
        shown = alert.first.inner_text() if alert.count() else "(no error shown)"
        raise AssertionError(f"login as {username!r} failed: {shown}")


_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 && rect.right > width + 1) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right=${Math.round(rect.right)})`);
      if (culprits.length >= 8) break;
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits};
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page must not scroll sideways: document.documentElement.scrollWidth <= window.innerWidth."""
    result = page.evaluate(_OVERFLOW_JS)
    assert result["scrollWidth"] <= result["innerWidth"], (
        f"{page.url} scrolls sideways: scrollWidth {result['scrollWidth']} > innerWidth {result['innerWidth']}; "
        f"elements past the right edge: {', '.join(result['culprits']) or '(none found)'}"
    )


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG as var/screenshots/<name>.png (var/ is not committed) and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
