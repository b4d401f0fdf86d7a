"""Writes for accounts: users, roles and API tokens."""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .models import ApiToken, User, UserRole


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    roles: Iterable[str] = (),
    email: str = "",
    display_name: str = "",
    organisation: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        organisation=organisation,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user_set_roles(actor=actor, user=user, roles=roles)
    log_change(actor=actor, instance=user, action=ChangeAction.CREATE, after=_public_fields(user))
    return user


def _public_fields(user: User) -> dict:
    data = snapshot(user, ["username", "display_name", "organisation", "is_active", "is_superuser"])
    data["roles"] = sorted(user.roles.values_list("role", flat=True))
    return data


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> User:
    before = _public_fields(user)
    wanted = set(roles)
    UserRole.objects.filter(user=user).exclude(role__in=wanted).delete()
    existing = set(user.roles.values_list("role", flat=True))
    for role in wanted - existing:
        role_obj = UserRole(user=user, role=role)
        role_obj.full_clean()
        role_obj.save()
    user.__dict__.pop("role_codes", None)
    log_change(actor=actor, instance=user, action=ChangeAction.UPDATE, before=before, after=_public_fields(user))
    return user


@transaction.atomic
def token_issue(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw secret, which is never stored."""
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip() or "API", prefix=raw[:10], digest=token_digest(raw))
    token.full_clean()
    token.save()
    log_change(actor=actor, instance=token, action=ChangeAction.CREATE, after=snapshot(token, ["name", "prefix"]))
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    before = snapshot(token, ["revoked_at"])
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_change(
        actor=actor, instance=token, action=ChangeAction.UPDATE, before=before, after=snapshot(token, ["revoked_at"])
    )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a raw bearer token belongs to, or None."""
    if not raw or not raw.startswith(settings.API_TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Two-factor sign-in (TOTP) ---------------------------------------------------------------------------------------


def _recovery_codes_replace(user: User) -> list[str]:
    from .mfa import new_recovery_codes, recovery_digest
    from .models import RecoveryCode

    RecoveryCode.objects.filter(user=user).delete()
    codes = new_recovery_codes()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=recovery_digest(user.pk, c)) for c in codes)
    return codes


@transaction.atomic
def mfa_enroll(*, actor: User | None, user: User, secret: str, code: str) -> list[str]:
    """Register the authenticator app whose `secret` produced `code`; returns new recovery codes (shown once).

    Raises ValidationError when the code does not match (the app was not set up right)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .mfa import code_is_valid
    from .models import TOTPDevice

    step = code_is_valid(secret, code)
    if step is None:
        raise ValidationError(
            _("確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。")
        )
    device, created = TOTPDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_used_step": step}
    )
    codes = _recovery_codes_replace(user)
    log_change(
        actor=actor,
        instance=device,
        action=ChangeAction.CREATE if created else ChangeAction.UPDATE,
        after={"user_id": user.pk, "confirmed_at": device.confirmed_at.isoformat()},
        note="mfa enrolled",
    )
    return codes


@transaction.atomic
def mfa_verify(*, user: User, code: str) -> str | None:
    """Check a sign-in code: a TOTP code (each accepted once) or an unused recovery code (then spent).

    Returns "totp" or "recovery" when accepted, else None."""
    from .mfa import code_is_valid, recovery_digest
    from .models import RecoveryCode, TOTPDevice

    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return None
    step = code_is_valid(device.secret, code, after_step=device.last_used_step)
    if step is not None:
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return "totp"
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, digest=recovery_digest(user.pk, code or ""), used_at__isnull=True)
        .first()
    )
    if recovery is not None:
        recovery.used_at = timezone.now()
        recovery.save(update_fields=["used_at"])
        log_change(actor=user, instance=device, action=ChangeAction.STATUS, after={}, note="recovery code used")
        return "recovery"
    return None


@transaction.atomic
def mfa_recovery_codes_regenerate(*, actor: User, user: User) -> list[str]:
    from .models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    codes = _recovery_codes_replace(user)
    log_change(actor=actor, instance=device, action=ChangeAction.STATUS, after={}, note="recovery codes replaced")
    return codes


@transaction.atomic
def mfa_reset(*, actor: User, user: User) -> None:
    """Remove a user's authenticator (lost phone): an administrator's action; they enrol again at next sign-in."""
    from .models import RecoveryCode, TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return
    log_change(actor=actor, instance=device, action=ChangeAction.DELETE, before={"user_id": user.pk}, after={})
    RecoveryCode.objects.filter(user=user).delete()
    device.delete()
