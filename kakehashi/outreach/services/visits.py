"""Writes for visit reports (訪問報告書): drafts, submission, review, attachments and API records.

States: draft → submitted → accepted, or → returned (with a comment) → submitted again. Every function checks
the actor's permission (`outreach.*_visit` rules) and raises `PermissionDenied`; invalid input raises
`ValidationError` with Japanese messages keyed by field.

`values` passed to the services are model-ready: field names of `Visit` (see `SCALAR_FIELDS` and `M2M_FIELDS`)
mapped to Python values (code items, companies, municipalities, users, content items, dates, text). A partial
`values` changes only the fields it names. `contact` is {"name", "title", "phone", "email"}; `answers` is
`(manual_version, answers)` for the hearing-manual helpers.

Change log: creating a draft is logged; later saves of a *draft* are not (a draft is private work in progress
and autosave runs every few seconds); submission logs the whole report as submitted; every later change
(returned visits, manager edits, review) is logged with before and after. `search_text`, `draft_data` (the
contact typed into a draft: personal information) and the idempotency hash are never copied into the log.
"""

import datetime
import hashlib
import json
import os
import unicodedata
import uuid as uuid_lib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.companies.normalise import person_name_key
from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from ..choices import VisitStatus
from ..models import ContentItem, Programme, Visit, VisitAttachment
from ..search import visit_search_forget, visit_search_refresh

SCALAR_FIELDS = (
    "company",
    "visit_date",
    "start_time",
    "end_time",
    "visit_format",
    "companions_note",
    "employees_band",
    "business_form",
    "revenue_band",
    "municipality",
    "digital_stage",
    "interest_level",
    "summary",
    "consent_share_foundation",
    "consent_contractor_use",
    "next_action",
    "follow_up_date",
)
M2M_FIELDS = ("communicators", "companions", "challenges", "barriers", "introductions", "contents_shown", "outcomes")
CODE_LISTS = {
    "visit_format": "visit_format",
    "employees_band": "employees",
    "business_form": "business_form",
    "revenue_band": "revenue",
    "digital_stage": "digital_stage",
    "interest_level": "interest_level",
    "challenges": "challenge",
    "barriers": "barrier",
    "introductions": "introduction",
    "outcomes": "outcome",
}
# Attributes confirmed at the visit and written back to the registry record on submission.
COMPANY_ATTRIBUTES = ("employees_band", "business_form", "revenue_band", "municipality")
CONTACT_FIELDS = ("name", "title", "phone", "email")
NOT_LOGGED = {"search_text", "draft_data", "idempotency_hash", "idempotency_key", "created_at", "updated_at"}
EDITABLE_STATES = (VisitStatus.DRAFT, VisitStatus.RETURNED)


class IdempotencyConflict(Exception):
    """The idempotency key was already used for a different request."""


# --- Helpers ------------------------------------------------------------------------------------------------------


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _m2m_value(obj) -> Any:
    return getattr(obj, "code", None) or obj.pk


def visit_snapshot(visit: Visit) -> dict[str, Any]:
    """The visit's logged values: concrete fields (minus NOT_LOGGED) and its many-to-many sets."""
    names = [f.name for f in Visit._meta.concrete_fields if f.name not in NOT_LOGGED]
    values = snapshot(visit, names)
    if visit.pk:
        for name in M2M_FIELDS:
            values[name] = sorted(str(_m2m_value(o)) for o in getattr(visit, name).all())
    return values


def _check_m2m(name: str, items: Iterable, programme: Programme) -> list:
    """Reject items of the wrong code list, content of another programme, users outside the programme."""
    items = list(items or [])
    if name in CODE_LISTS:
        wrong = [i for i in items if getattr(i, "list", None) != CODE_LISTS[name]]
        if wrong:
            raise ValidationError({name: _("選べないコードが含まれています。")})
    elif name == "contents_shown":
        if any(not isinstance(i, ContentItem) or i.programme_id != programme.pk for i in items):
            raise ValidationError({name: _("この事業のコンテンツではありません。")})
    elif name in {"communicators", "companions"}:
        member_ids = set(programme.memberships.values_list("user_id", flat=True))
        if any(i.pk not in member_ids for i in items):
            raise ValidationError({name: _("この事業のメンバーではない人が含まれています。")})
    return items


def _apply(visit: Visit, values: Mapping[str, Any]) -> dict[str, list]:
    """Set scalar fields on `visit`; return the many-to-many values to set after it is saved."""
    unknown = set(values) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise ValueError(f"unknown visit fields: {sorted(unknown)}")
    for name in SCALAR_FIELDS:
        if name in values:
            value = values[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(visit, name, value)
    return {name: _check_m2m(name, values[name], visit.programme) for name in M2M_FIELDS if name in values}


def _save_m2m(visit: Visit, m2m: Mapping[str, list]) -> None:
    for name, items in m2m.items():
        getattr(visit, name).set(items)
    if "contents_shown" in m2m:
        # Content shown at the visit counts as an introduction of its kind.
        implied = [c.introduction for c in m2m["contents_shown"] if c.introduction_id]
        if implied:
            visit.introductions.add(*implied)


def _full_clean(visit: Visit) -> None:
    visit.full_clean(exclude=["uuid", "idempotency_key"])


def _save_answers(*, actor, visit: Visit, answers) -> None:
    """Hand structured hearing answers to the manual helpers (kakehashi/outreach/manuals.py)."""
    if answers is None:
        return
    version, given = answers
    if version is None:
        return
    from .. import manuals

    manuals.answers_save(actor=actor, visit=visit, version=version, answers=given)
    if visit.manual_version_id != version.pk:
        visit.manual_version = version
        Visit.objects.filter(pk=visit.pk).update(manual_version=version)


def _clean_contact(contact: Mapping[str, Any] | None) -> dict[str, str] | None:
    if contact is None:
        return None
    return {key: unicodedata.normalize("NFKC", str(contact.get(key) or "")).strip() for key in CONTACT_FIELDS}


# --- Submission rules ---------------------------------------------------------------------------------------------


def submission_problems(visit: Visit, *, has_challenges: bool | None = None, today: datetime.date | None = None):
    """What keeps `visit` from being submitted: {field: Japanese message}. Empty when it may be submitted."""
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    if not visit.company_id:
        problems["company"] = _("企業等を選んでください。")
    if visit.visit_date is None:
        problems["visit_date"] = _("訪問日を入力してください。")
    elif visit.visit_date > today:
        problems["visit_date"] = _("訪問日に未来の日付は指定できません。")
    else:
        programme = visit.programme
        if not programme.start_date <= visit.visit_date <= programme.end_date:
            problems["visit_date"] = _("訪問日は事業期間（%(start)s〜%(end)s）内の日付にしてください。") % {
                "start": f"{programme.start_date:%Y/%m/%d}",
                "end": f"{programme.end_date:%Y/%m/%d}",
            }
    if not visit.visit_format_id:
        problems["visit_format"] = _("外訪形態を選んでください。")
    if has_challenges is None:
        has_challenges = bool(visit.pk) and visit.challenges.exists()
    if not has_challenges and not (visit.summary or "").strip():
        problems["challenges"] = _("課題カテゴリを1つ以上選ぶか、面談概要を入力してください。")
    problems.update(consistency_problems(visit))
    return problems


def consistency_problems(visit: Visit) -> dict[str, str]:
    """Checks that hold for drafts too."""
    problems = {}
    if visit.start_time and visit.end_time and visit.end_time < visit.start_time:
        problems["end_time"] = _("終了時刻は開始時刻より後にしてください。")
    if visit.follow_up_date and visit.visit_date and visit.follow_up_date < visit.visit_date:
        problems["follow_up_date"] = _("フォローアップ日は訪問日以降にしてください。")
    return problems


def _raise_if(problems: Mapping[str, str]) -> None:
    if problems:
        raise ValidationError({field: [message] for field, message in problems.items()})


# --- Company write-back and contact -------------------------------------------------------------------------------


def _fill_from_company(visit: Visit) -> None:
    """Attributes left blank on the visit take the registry's values (as confirmed by not correcting them)."""
    company = visit.company
    for name in COMPANY_ATTRIBUTES:
        if getattr(visit, f"{name}_id") is None and getattr(company, f"{name}_id") is not None:
            setattr(visit, name, getattr(company, name))


def _write_back_company(*, actor, visit: Visit) -> None:
    """Corrections made at the visit update the registry record (logged by `company_update`)."""
    from kakehashi.companies.services import company_update

    company = visit.company
    changed = {
        name: getattr(visit, name)
        for name in COMPANY_ATTRIBUTES
        if getattr(visit, f"{name}_id") is not None and getattr(visit, f"{name}_id") != getattr(company, f"{name}_id")
    }
    if changed:
        note = _("訪問報告（%(date)s）で確認") % {"date": f"{visit.visit_date:%Y/%m/%d}"}
        company_update(actor=actor, company=company, note=note, **changed)


def _store_contact(*, actor, visit: Visit, contact: dict[str, str] | None) -> None:
    """(g) The person met is kept as the company's contact; an existing contact of that name is reused."""
    from kakehashi.companies.services import contact_create, contact_update

    if contact is None:
        return
    if not contact["name"]:
        if any(contact[k] for k in CONTACT_FIELDS):
            raise ValidationError({"contact_name": [_("面談相手の氏名を入力してください。")]})
        visit.contact = None
        return
    company = visit.company
    key = person_name_key(contact["name"])
    existing = next((c for c in company.contacts.order_by("pk") if person_name_key(c.name) == key), None)
    details = {k: contact[k] for k in ("title", "phone", "email") if contact[k]}
    try:
        if existing is None:
            visit.contact = contact_create(actor=actor, company=company, name=contact["name"], **details)
        else:
            updates = {k: v for k, v in details.items() if getattr(existing, k) != v}
            visit.contact = contact_update(actor=actor, contact=existing, **updates) if updates else existing
    except ValidationError as error:
        mapped = {f"contact_{k}": v for k, v in getattr(error, "message_dict", {"name": error.messages}).items()}
        raise ValidationError(mapped) from error


def contact_values(visit: Visit) -> dict[str, str]:
    """The contact as the form shows it: the draft's typed values, else the stored contact."""
    stored = (visit.draft_data or {}).get("contact")
    if stored is not None:
        return {k: stored.get(k, "") for k in CONTACT_FIELDS}
    if visit.contact_id:
        return {k: getattr(visit.contact, k) or "" for k in CONTACT_FIELDS}
    return dict.fromkeys(CONTACT_FIELDS, "")


# --- Drafts -------------------------------------------------------------------------------------------------------


def _new_visit(*, actor, programme: Programme, uuid=None) -> Visit:
    _require(actor, "outreach.add_visit", programme)
    visit = Visit(programme=programme, recorded_by=actor, status=VisitStatus.DRAFT)
    if uuid is not None:
        visit.uuid = uuid_lib.UUID(str(uuid))
    return visit


@transaction.atomic
def visit_draft_save(
    *,
    actor,
    programme: Programme | None = None,
    uuid=None,
    visit: Visit | None = None,
    values: Mapping[str, Any] | None = None,
    contact: Mapping[str, Any] | None = None,
    answers=None,
) -> Visit:
    """Create a draft (in `programme`, with `uuid`) or update a draft or returned `visit` with what is given.

    Nothing is required: a half-filled report is kept as it is. The recorder is a communicator by default.
    """
    values = dict(values or {})
    created = visit is None
    if created and uuid is not None:
        # Two saves of a report not yet stored (autosave and submit racing) must make one visit, not two.
        existing = Visit.objects.select_for_update().filter(uuid=uuid).first()
        if existing is not None:
            return visit_draft_save(actor=actor, visit=existing, values=values, contact=contact, answers=answers)
    if created:
        if programme is None:
            raise ValueError("a new draft needs its programme")
        visit = _new_visit(actor=actor, programme=programme, uuid=uuid)
        before = {}
    else:
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        _require(actor, "outreach.change_visit", visit)
        if visit.status not in EDITABLE_STATES:
            raise ValidationError(_("提出済みの訪問報告は下書きとして保存できません。"))
        before = visit_snapshot(visit)
    m2m = _apply(visit, values)
    cleaned_contact = _clean_contact(contact)
    if cleaned_contact is not None:
        visit.draft_data = {**(visit.draft_data or {}), "contact": cleaned_contact}
    _raise_if(consistency_problems(visit))
    _full_clean(visit)
    if created and uuid is not None:
        try:
            with transaction.atomic():
                visit.save()
        except IntegrityError:
            existing = Visit.objects.filter(uuid=uuid).first()
            if existing is None:
                raise
            return visit_draft_save(actor=actor, visit=existing, values=values, contact=contact, answers=answers)
    else:
        visit.save()
    if created and "communicators" not in m2m:
        m2m["communicators"] = [actor]
    _save_m2m(visit, m2m)
    _save_answers(actor=actor, visit=visit, answers=answers)
    visit_search_refresh(visit)
    if created:
        log_change(actor=actor, instance=visit, action=ChangeAction.CREATE, after=visit_snapshot(visit))
    elif visit.status != VisitStatus.DRAFT:
        log_change(actor=actor, instance=visit, action=ChangeAction.UPDATE, before=before, after=visit_snapshot(visit))
    return visit


@transaction.atomic
def visit_discard(*, actor, visit: Visit) -> None:
    """Delete a draft (never a submitted report) with its attachments."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require(actor, "outreach.discard_visit", visit)
    log_change(actor=actor, instance=visit, action=ChangeAction.DELETE, before=visit_snapshot(visit), after={})
    files = [a.file for a in visit.attachments.all()]
    pk = visit.pk
    visit.delete()
    visit_search_forget(pk)
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


# --- Submission, edits, review ------------------------------------------------------------------------------------


def _finish(*, actor, visit: Visit, contact: dict[str, str] | None) -> None:
    """What every complete report gets on submission or edit: attributes filled and written back, contact kept."""
    _fill_from_company(visit)
    _write_back_company(actor=actor, visit=visit)
    if contact is None and (visit.draft_data or {}).get("contact") is not None:
        contact = _clean_contact(visit.draft_data["contact"])
    _store_contact(actor=actor, visit=visit, contact=contact)
    visit.draft_data = {}


@transaction.atomic
def visit_submit(
    *,
    actor,
    visit: Visit,
    values: Mapping[str, Any] | None = None,
    contact: Mapping[str, Any] | None = None,
    answers=None,
) -> Visit:
    """Submit a draft or returned report (applying `values` first). Raises ValidationError listing what is missing."""
    visit = Visit.objects.select_for_update().select_related("programme").get(pk=visit.pk)
    _require(actor, "outreach.submit_visit", visit)
    resubmission = visit.status == VisitStatus.RETURNED
    m2m = _apply(visit, dict(values or {}))
    has_challenges = bool(m2m["challenges"]) if "challenges" in m2m else None
    _raise_if(submission_problems(visit, has_challenges=has_challenges))
    _full_clean(visit)
    cleaned_contact = _clean_contact(contact)
    _finish(actor=actor, visit=visit, contact=cleaned_contact)
    visit.status = VisitStatus.SUBMITTED
    visit.submitted_at = timezone.now()
    _full_clean(visit)
    visit.save()
    _save_m2m(visit, m2m)
    _save_answers(actor=actor, visit=visit, answers=answers)
    visit_search_refresh(visit)
    note = _("再提出") if resubmission else _("提出")
    log_change(
        actor=actor, instance=visit, action=ChangeAction.STATUS, before={}, after=visit_snapshot(visit), note=note
    )
    return visit


@transaction.atomic
def visit_update(
    *,
    actor,
    visit: Visit,
    values: Mapping[str, Any],
    contact: Mapping[str, Any] | None = None,
    answers=None,
) -> Visit:
    """Edit a submitted or accepted report (managers). It must stay complete; corrections reach the registry."""
    visit = Visit.objects.select_for_update().select_related("programme").get(pk=visit.pk)
    _require(actor, "outreach.change_visit", visit)
    if visit.status in EDITABLE_STATES:
        return visit_draft_save(actor=actor, visit=visit, values=values, contact=contact, answers=answers)
    before = visit_snapshot(visit)
    m2m = _apply(visit, dict(values))
    has_challenges = bool(m2m["challenges"]) if "challenges" in m2m else None
    _raise_if(submission_problems(visit, has_challenges=has_challenges))
    _finish(actor=actor, visit=visit, contact=_clean_contact(contact))
    _full_clean(visit)
    visit.save()
    _save_m2m(visit, m2m)
    _save_answers(actor=actor, visit=visit, answers=answers)
    visit_search_refresh(visit)
    log_change(actor=actor, instance=visit, action=ChangeAction.UPDATE, before=before, after=visit_snapshot(visit))
    return visit


@transaction.atomic
def visit_accept(*, actor, visit: Visit) -> Visit:
    """A manager accepts a submitted report."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require(actor, "outreach.review_visit", visit)
    before = visit_snapshot(visit)
    visit.status = VisitStatus.ACCEPTED
    visit.reviewed_at = timezone.now()
    visit.reviewed_by = actor
    visit.review_comment = ""
    visit.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"])
    log_change(actor=actor, instance=visit, action=ChangeAction.STATUS, before=before, note=_("承認"))
    return visit


@transaction.atomic
def visit_return(*, actor, visit: Visit, comment: str) -> Visit:
    """A manager returns a submitted report to its recorder with a comment; the recorder may edit and resubmit."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require(actor, "outreach.review_visit", visit)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("差戻しの理由を入力してください。")]})
    before = visit_snapshot(visit)
    visit.status = VisitStatus.RETURNED
    visit.reviewed_at = timezone.now()
    visit.reviewed_by = actor
    visit.review_comment = comment
    visit.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"])
    log_change(actor=actor, instance=visit, action=ChangeAction.STATUS, before=before, note=_("差戻し"))
    return visit


# --- API records with an idempotency key --------------------------------------------------------------------------


def request_fingerprint(payload: Mapping[str, Any]) -> str:
    """SHA-256 of a request body in canonical JSON (sorted keys), to tell a replay from a different request."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _visit_with_key(key: str) -> Visit | None:
    return Visit.objects.filter(idempotency_key=key).first()


def _replay(existing: Visit, *, actor, fingerprint: str) -> tuple[Visit, bool]:
    if existing.recorded_by_id != actor.pk or existing.idempotency_hash != fingerprint:
        raise IdempotencyConflict
    return existing, False


def visit_record(
    *,
    actor,
    programme: Programme,
    values: Mapping[str, Any],
    contact: Mapping[str, Any] | None = None,
    answers=None,
    submit: bool = True,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> tuple[Visit, bool]:
    """Record a whole visit in one call (the API), as a draft or submitted. Returns (visit, created).

    With an idempotency key, the same key and the same request (fingerprint) return the visit stored the first
    time (created False) and store nothing; the same key with a different request raises IdempotencyConflict.
    Two requests racing with one key store one visit: the loser meets the unique key and replays.
    """
    key = (idempotency_key or "").strip() or None
    if key is not None:
        existing = _visit_with_key(key)
        if existing is not None:
            return _replay(existing, actor=actor, fingerprint=fingerprint)
    try:
        with transaction.atomic():
            visit = visit_draft_save(actor=actor, programme=programme, values=values, contact=contact, answers=answers)
            if key is not None:
                Visit.objects.filter(pk=visit.pk).update(idempotency_key=key, idempotency_hash=fingerprint)
                visit.idempotency_key, visit.idempotency_hash = key, fingerprint
            if submit:
                visit = visit_submit(actor=actor, visit=visit)
    except IntegrityError:
        existing = _visit_with_key(key) if key is not None else None
        if existing is None:
            raise
        return _replay(existing, actor=actor, fingerprint=fingerprint)
    return visit, True


# --- Attachments --------------------------------------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_VISIT = 10
ALLOWED_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "application/pdf": "PDF",
}
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_GENERIC_BRANDS = {b"mif1", b"msf1"}


def sniff_content_type(head: bytes) -> str | None:
    """The type of a file from its first bytes (never from its name), or None if it is not an allowed kind."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        box_size = int.from_bytes(head[0:4], "big")
        major = head[8:12]
        compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
        if major in _HEIC_BRANDS or (major in _HEIF_GENERIC_BRANDS and compatible & _HEIC_BRANDS):
            return "image/heic"
    return None


def _safe_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip()[-200:] or "file"


@transaction.atomic
def attachment_add(*, actor, visit: Visit, upload) -> VisitAttachment:
    """Attach a photo or PDF: JPEG, PNG, HEIC or PDF by content, at most 10 MB, at most 10 per visit."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require(actor, "outreach.change_visit", visit)
    if visit.attachments.count() >= MAX_ATTACHMENTS_PER_VISIT:
        raise ValidationError(
            {"file": [_("添付できるのは1件の訪問につき%(n)d件までです。") % {"n": MAX_ATTACHMENTS_PER_VISIT}]}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": [_("ファイルが大きすぎます（1件10MBまで）。")]})
    if upload.size == 0:
        raise ValidationError({"file": [_("空のファイルは添付できません。")]})
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError({"file": [_("添付できるのは写真（JPEG・PNG・HEIC）と PDF だけです。")]})
    name = _safe_name(getattr(upload, "name", ""))
    attachment = VisitAttachment(
        visit=visit, original_name=name, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    log_change(
        actor=actor,
        instance=attachment,
        action=ChangeAction.CREATE,
        after=snapshot(attachment, ["visit", "original_name", "content_type", "size"]),
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: VisitAttachment) -> None:
    _require(actor, "outreach.change_visit", attachment.visit)
    log_change(
        actor=actor,
        instance=attachment,
        action=ChangeAction.DELETE,
        before=snapshot(attachment, ["visit", "original_name", "content_type", "size"]),
        after={},
    )
    file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))
