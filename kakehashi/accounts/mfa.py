"""Two-factor sign-in with an authenticator app (TOTP) and one-time recovery codes.

Signing in is complete only after the second factor: the login view keeps the half-signed-in user in the session
(`PENDING_KEY`) and calls `login()` after the code. So `force_login` in tests and API tokens are unaffected.
"""

import hashlib
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.utils.html import mark_safe

ISSUER = "Kakehashi"
PENDING_KEY = "kakehashi_mfa_pending"
SETUP_SECRET_KEY = "kakehashi_mfa_setup_secret"  # noqa: S105 — a session key name
PENDING_MAX_AGE = 5 * 60
RECOVERY_CODE_COUNT = 10
VALID_WINDOW = 1  # one 30-second step either side, for phone clocks a little off


def mfa_required(user) -> bool:
    """Prefecture staff and managers (settings.KAKEHASHI_MFA_REQUIRED_ROLES) and system administrators."""
    return bool(user.is_superuser or user.has_role(*settings.KAKEHASHI_MFA_REQUIRED_ROLES))


def has_mfa(user) -> bool:
    from .models import TOTPDevice

    return TOTPDevice.objects.filter(user=user).exists()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no external request, no JavaScript)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#1a1a1c", light="#ffffff", title="QR")
    return mark_safe(svg)


def code_is_valid(secret: str, code: str, *, after_step: int = 0) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than `after_step`; else None."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time()
    current = totp.timecode(_utc(now))
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if step > after_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _utc(timestamp: float):
    import datetime

    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


def recovery_digest(user_id: int, code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"{user_id}:{normalised}".encode()).hexdigest()


def new_recovery_codes() -> list[str]:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I

    def group() -> str:
        return "".join(secrets.choice(alphabet) for _ in range(5))

    return [f"{group()}-{group()}" for _ in range(RECOVERY_CODE_COUNT)]
