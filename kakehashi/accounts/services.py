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
