"""Writes of the privacy app: access-log entries and deletion requests (APPI).

`access_record` is the one way any app records a read or export of personal information.
"""

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .choices import AccessAction, ErasureStatus
from .middleware import current_path
from .models import AccessLogEntry, ErasureRequest

logger = logging.getLogger("kakehashi.access")

# Values allowed in `detail`: counts, codes, ids and flags, never free text about a person.
_DETAIL_TYPES = (int, float, bool, type(None))
_DETAIL_TEXT_MAX = 80


def target_label(target: models.Model) -> str:
    """A label naming the record without personal information: the model's name and the key."""
    return f"{target._meta.verbose_name} #{target.pk}"[:200]


def _clean_detail(detail: dict | None) -> dict:
    clean: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, _DETAIL_TYPES):
            clean[str(key)[:40]] = value
        elif isinstance(value, str):
            clean[str(key)[:40]] = value[:_DETAIL_TEXT_MAX]
        elif isinstance(value, list | tuple):
            clean[str(key)[:40]] = [v if isinstance(v, _DETAIL_TYPES) else str(v)[:_DETAIL_TEXT_MAX] for v in value][
                :50
            ]
    return clean


def access_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    reason: str = "",
    detail: dict | None = None,
    path: str | None = None,
) -> AccessLogEntry:
    """Record one read or export of personal information (who, when, what, why, where).

    `target` may be any model instance; it is stored as content type + key + a label without PII.
    `path` defaults to the path of the request being served (see `AccessContextMiddleware`).
    """
    if not action or len(action) > 40:
        raise ValueError("access_record: action must be a short code")
    entry = AccessLogEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        reason=(reason or "").strip()[:300],
        path=(path if path is not None else current_path.get())[:300],
        detail=_clean_detail(detail),
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
        entry.object_id = str(target.pk)
        entry.object_label = target_label(target)
    entry.full_clean(exclude=["action"])  # other apps may record actions this app does not list
    entry.save()
    logger.info(
        "access action=%s user=%s target=%s:%s",
        action,
        getattr(actor, "pk", None),
        entry.content_type_id or "-",
        entry.object_id or "-",
    )
    return entry


def contact_view_record(*, actor, contacts, path: str | None = None, via: models.Model | None = None) -> list:
    """Record views of contacts, except the viewer's own records (contacts they registered themselves).

    "Own" is the contact's `created_by`: the communicator who recorded the visit that created it.
    """
    entries = []
    for contact in contacts:
        if contact.created_by_id is not None and contact.created_by_id == getattr(actor, "pk", None):
            continue
        detail = {"company_id": contact.company_id}
        if via is not None:
            detail["via"] = f"{via._meta.label_lower}:{via.pk}"
        entries.append(
            access_record(actor=actor, action=AccessAction.CONTACT_VIEW, target=contact, detail=detail, path=path)
        )
    return entries


# --- Deletion requests (APPI) --------------------------------------------------------------------------------------

_AUDITED = ["contact_id", "subject_label", "channel", "received_on", "note", "status", "review_comment"]


def _subject_label(contact) -> str:
    return f"{contact._meta.verbose_name} #{contact.pk}・{contact.company.name}"[:200]


@transaction.atomic
def erasure_request_register(*, actor, contact, channel: str, received_on, note: str = "") -> ErasureRequest:
    """Register a person's request to erase their personal information."""
    if ErasureRequest.objects.filter(
        contact=contact, status__in=[ErasureStatus.REGISTERED, ErasureStatus.APPROVED]
    ).exists():
        raise ValidationError(_("この担当者には処理中の削除請求があります。"))
    request = ErasureRequest(
        contact=contact,
        subject_label=_subject_label(contact),
        channel=channel,
        received_on=received_on,
        note=note.strip(),
        registered_by=actor,
    )
    request.full_clean()
    request.save()
    log_change(actor=actor, instance=request, action=ChangeAction.CREATE, after=snapshot(request, _AUDITED))
    return request


@transaction.atomic
def erasure_request_review(*, actor, erasure: ErasureRequest, approve: bool, comment: str = "") -> ErasureRequest:
    """Approve or reject a registered request. The person who registered it may not approve it alone."""
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureStatus.REGISTERED:
        raise ValidationError(_("受付中の請求だけを承認・却下できます。"))
    if approve and erasure.registered_by_id == actor.pk and not actor.is_superuser:
        raise ValidationError(_("受付した人とは別の人が承認してください。"))
    before = snapshot(erasure, _AUDITED)
    erasure.status = ErasureStatus.APPROVED if approve else ErasureStatus.REJECTED
    erasure.reviewed_by = actor
    erasure.reviewed_at = timezone.now()
    erasure.review_comment = comment.strip()[:300]
    erasure.full_clean()
    erasure.save()
    log_change(
        actor=actor, instance=erasure, action=ChangeAction.STATUS, before=before, after=snapshot(erasure, _AUDITED)
    )
    return erasure


@transaction.atomic
def erasure_request_execute(*, actor, erasure: ErasureRequest) -> ErasureRequest:
    """Erase the person's personal information everywhere through every registered eraser.

    Visit facts and counts stay; free text naming the person reads 「（削除済み）」; earlier change-log entries
    lose the erased values too. Recorded in the access log and the change log (without the values).
    """
    from .erasure import ErasureSubject, run_erasers

    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != ErasureStatus.APPROVED:
        raise ValidationError(_("承認済みの請求だけを実行できます。"))
    if erasure.contact is None:
        raise ValidationError(_("対象の担当者が見つかりません。"))
    before = snapshot(erasure, _AUDITED)
    subject = ErasureSubject.for_contact(erasure.contact)
    result = run_erasers(subject, actor=actor)
    erasure.status = ErasureStatus.EXECUTED
    erasure.executed_by = actor
    erasure.executed_at = timezone.now()
    erasure.result = result
    erasure.full_clean()
    erasure.save()
    log_change(
        actor=actor,
        instance=erasure,
        action=ChangeAction.STATUS,
        before=before,
        after=snapshot(erasure, _AUDITED),
        note="erasure executed",
    )
    access_record(
        actor=actor,
        action=AccessAction.ERASURE_EXECUTE,
        target=erasure,
        detail={key: value for key, value in result.items() if isinstance(value, int)},
    )
    return erasure
