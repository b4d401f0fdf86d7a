"""Writes for the content library: create and edit items, with their file checked by content (never by name).

Items are retired (`active=False`), never deleted: visits keep pointing at what they showed.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from ..models import ContentItem, Programme

MAX_CONTENT_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}
SCALAR_FIELDS = ("title", "description", "kind", "introduction", "url", "audience", "version", "active")
LOGGED_FIELDS = (*SCALAR_FIELDS, "file_name", "file_type", "file_size")


def _require(actor, programme: Programme) -> None:
    """Views pass the signed-in user; the demo and commands pass None."""
    if actor is not None and not actor.has_perm("outreach.change_library", programme):
        raise PermissionDenied("outreach.change_library")


def sniff_content_type(head: bytes) -> str | None:
    """PDF, PNG or JPEG from the first bytes of a file; None for anything else."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _safe_name(name: str) -> str:
    name = (name or "file").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return "".join(ch for ch in name if ch.isprintable())[-120:]


def _check_upload(upload) -> str:
    if upload.size > MAX_CONTENT_BYTES:
        raise ValidationError({"file": _("ファイルが大きすぎます（20MBまで）。")})
    if upload.size == 0:
        raise ValidationError({"file": _("空のファイルは登録できません。")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError({"file": _("登録できるのは PDF と画像（PNG・JPEG）だけです。")})
    return content_type


def _logged(item: ContentItem) -> dict[str, Any]:
    values = snapshot(item, LOGGED_FIELDS)
    values["challenges"] = sorted(item.challenges.values_list("code", flat=True)) if item.pk else []
    return values


def _apply(item: ContentItem, values: Mapping[str, Any]) -> list | None:
    unknown = set(values) - set(SCALAR_FIELDS) - {"challenges"}
    if unknown:
        raise ValueError(f"unknown content fields: {sorted(unknown)}")
    for name in SCALAR_FIELDS:
        if name in values:
            value = values[name]
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    if item.introduction is not None and item.introduction.list != "introduction":
        raise ValidationError({"introduction": _("紹介内容のコードを選んでください。")})
    challenges = values.get("challenges")
    if challenges is not None:
        challenges = list(challenges)
        if any(c.list != "challenge" for c in challenges):
            raise ValidationError({"challenges": _("課題カテゴリのコードを選んでください。")})
    return challenges


def _attach(item: ContentItem, upload) -> None:
    content_type = _check_upload(upload)
    name = _safe_name(getattr(upload, "name", ""))
    item.file.save(name, upload, save=False)
    item.file_name, item.file_type, item.file_size = name, content_type, upload.size


def _discard_later(storage, name: str) -> None:
    """Delete a replaced file once the new state is committed (a rollback keeps it)."""
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def content_create(*, actor, programme: Programme, values: Mapping[str, Any], upload=None) -> ContentItem:
    """Add an item to the programme's library; `upload` is an optional PDF or image."""
    _require(actor, programme)
    item = ContentItem(programme=programme)
    challenges = _apply(item, values)
    if upload is not None:
        _attach(item, upload)
    try:
        item.full_clean()
        item.save()
    except Exception:
        if item.file:
            item.file.delete(save=False)
        raise
    if challenges:
        item.challenges.set(challenges)
    log_change(actor=actor, instance=item, action=ChangeAction.CREATE, after=_logged(item))
    return item


@transaction.atomic
def content_update(
    *, actor, item: ContentItem, values: Mapping[str, Any], upload=None, remove_file: bool = False
) -> ContentItem:
    """Change an item; a new `upload` replaces its file, `remove_file` drops it. Retire with `active=False`."""
    _require(actor, item.programme)
    item = ContentItem.objects.select_for_update().get(pk=item.pk)
    before = _logged(item)
    old_name, storage = (item.file.name or None), item.file.storage
    challenges = _apply(item, values)
    if upload is not None:
        _attach(item, upload)
    elif remove_file and item.file:
        item.file = None
        item.file_name, item.file_type, item.file_size = "", "", None
    try:
        item.full_clean()
        item.save()
    except Exception:
        if upload is not None and item.file and item.file.name != old_name:
            item.file.delete(save=False)
        raise
    if challenges is not None:
        item.challenges.set(challenges)
    if old_name and (not item.file or item.file.name != old_name):
        _discard_later(storage, old_name)
    log_change(actor=actor, instance=item, action=ChangeAction.UPDATE, before=before, after=_logged(item))
    return item
