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


MFA_VERIFY_PATH = "/accounts/login/verify/"
MFA_SETUP_PATH = "/accounts/mfa/setup/"


def complete_mfa(page: Page, username: str) -> None:
    """The second step for accounts that use (or must set up) an authenticator: type the current code as the
    person would read it off their phone (enrolled: from the stored secret; setting up: from the shown key)."""
    import pyotp

    path = page.url.split("?")[0]
    if path.endswith(MFA_VERIFY_PATH):
        from kakehashi.accounts.models import TOTPDevice

        secret = TOTPDevice.objects.get(user__username=username).secret
        code = _fresh_code(secret, username)
    elif path.endswith(MFA_SETUP_PATH):
        secret = (page.locator("[data-mfa-secret]").text_content() or "").strip()
        code = pyotp.TOTP(secret).now()
    else:
        return
    page.locator('input[name="code"]').fill(code)
    with page.expect_navigation():
        page.locator('form:has(input[name="code"]) button[type="submit"]').click()
    if page.locator("[data-recovery-code]").count():
        with page.expect_navigation():
            page.get_by_role("link", name="控えたので続ける").click()


def _fresh_code(secret: str, username: str) -> str:
    """A code not used yet (a code is accepted once; tests may sign the same user in twice within 30 s)."""
    import datetime
    import time

    import pyotp

    from kakehashi.accounts.models import TOTPDevice

    totp = pyotp.TOTP(secret)
    for _attempt in range(35):
        step = totp.timecode(datetime.datetime.now(tz=datetime.UTC))
        if step > TOTPDevice.objects.get(user__username=username).last_used_step:
            return totp.generate_otp(step)
        time.sleep(1)
    return totp.now()


def login(page: Page, live_server, username: str, password: str) -> None:
    """Sign in through the login form (and the second step where the account has one); fails the test if the
    form is shown again."""
    submit_login(page, live_server, username, password)
    complete_mfa(page, username)
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


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has finished swapping and settling.

    htmx wires up the triggers of swapped-in content only when it settles (about 20 ms after the swap), so a test
    that acts on a freshly swapped form as soon as it is visible can outrun it; a person never does.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


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
