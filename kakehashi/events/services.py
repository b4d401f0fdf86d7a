"""Writes of the events app: events, questionnaires, registrations, check-in, surveys, hearings and table plans.

Every service is keyword-only, validates with `full_clean()`, runs in one transaction and writes the change log.
Registrations hold personal information: the change log records their status changes but never the name,
email or answers (`REGISTRATION_LOGGED`). Emails go out after commit.
"""

import random
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.companies.normalise import company_name_key, person_name_key
from kakehashi.core.changelog import log_change, snapshot, update_logged
from kakehashi.core.choices import ChangeAction

from . import mixing, questions, tickets
from .choices import QuestionnairePurpose, RegistrationSource, RegistrationStatus
from .models import Event, MixingRun, Questionnaire, QuestionnaireVersion, Registration, SurveyResponse, TableSeat

EVENT_FIELDS = (
    "kind",
    "title",
    "theme",
    "description",
    "format",
    "venue_name",
    "venue_address",
    "municipality",
    "online_url",
    "starts_at",
    "ends_at",
    "capacity",
    "organiser",
    "moderator",
    "rounds",
    "tables",
)
REGISTRATION_LOGGED = (
    "event",
    "status",
    "source",
    "company",
    "match_score",
    "is_it_company",
    "checked_in_at",
    "cancelled_at",
    "promoted_at",
    "survey_sent_at",
    "visit",
)


class DuplicateRegistration(ValidationError):
    """The same person is already registered for the event."""


def _require(actor, perm: str, obj) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def email_key(email: str) -> str:
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def _reg_snapshot(registration: Registration) -> dict[str, Any]:
    return snapshot(registration, REGISTRATION_LOGGED)


# --- Events ------------------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor, programme, values: Mapping[str, Any]) -> Event:
    """Create an event (unpublished) with the standard survey and registration questions as version 1."""
    _require(actor, "events.add_event", programme)
    event = Event(programme=programme, created_by=actor)
    _apply(event, values)
    event.full_clean()
    event.save()
    log_change(actor=actor, instance=event, action=ChangeAction.CREATE, after=snapshot(event))
    questionnaire_publish(
        actor=actor, event=event, purpose=QuestionnairePurpose.SURVEY, definition=questions.default_survey()
    )
    questionnaire_publish(
        actor=actor,
        event=event,
        purpose=QuestionnairePurpose.REGISTRATION,
        definition=questions.default_registration_questions(),
    )
    return event


def _apply(event: Event, values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def event_update(*, actor, event: Event, values: Mapping[str, Any], base_url: str = "") -> Event:
    """Change an event. More capacity moves people up from the waiting list at once."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.change_event", event)
    before = snapshot(event)
    _apply(event, values)
    event.full_clean()
    event.save()
    log_change(actor=actor, instance=event, action=ChangeAction.UPDATE, before=before, after=snapshot(event))
    waitlist_promote(event=event, actor=actor, base_url=base_url)
    return event


@transaction.atomic
def event_publish(*, actor, event: Event, published: bool = True) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.change_event", event)
    before = snapshot(event)
    event.published = published
    if published and event.published_at is None:
        event.published_at = timezone.now()
    event.full_clean()
    event.save()
    log_change(
        actor=actor,
        instance=event,
        action=ChangeAction.STATUS,
        before=before,
        after=snapshot(event),
        note=_("公開") if published else _("非公開"),
    )
    return event


# --- Questionnaires (frozen versions) -----------------------------------------------------------------------------


@transaction.atomic
def questionnaire_publish(
    *, actor, event: Event, purpose: str, definition: dict, change_note: str = ""
) -> QuestionnaireVersion:
    """Publish `definition` as the questionnaire's next version. Earlier versions and their answers stay as they are.

    Publishing the same definition as the current version publishes nothing and returns the current one.
    """
    _require(actor, "events.change_event", event)
    questionnaire, _created = Questionnaire.objects.get_or_create(event=event, purpose=purpose)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    current = questionnaire.current
    cleaned = questions.clean_definition(definition, previous=_all_kinds(questionnaire))
    if current is not None and current.definition == cleaned:
        return current
    version = QuestionnaireVersion(
        questionnaire=questionnaire,
        number=(current.number + 1) if current else 1,
        definition=cleaned,
        change_note=change_note[:300],
        published_by=actor,
    )
    version.full_clean()
    version.save()
    log_change(actor=actor, instance=version, action=ChangeAction.CREATE, after=snapshot(version))
    return version


def _all_kinds(questionnaire: Questionnaire) -> dict:
    """Every key ever published in this questionnaire with its kind (a key's kind never changes)."""
    seen: dict[str, dict] = {}
    for version in questionnaire.versions.order_by("number"):
        for q in version.questions:
            seen.setdefault(q["key"], q)
    return {"questions": list(seen.values())}


def current_version(event: Event, purpose: str) -> QuestionnaireVersion | None:
    return (
        QuestionnaireVersion.objects.filter(questionnaire__event=event, questionnaire__purpose=purpose)
        .order_by("-number")
        .first()
    )


# --- Registration ------------------------------------------------------------------------------------------------


def match_company(organisation: str):
    """(company, score) when the matcher's top candidate is confident and clearly ahead, else (None, top score)."""
    from kakehashi.companies.matching import company_match

    candidates = company_match(organisation, limit=2) if organisation.strip() else []
    if not candidates:
        return None, None
    top = candidates[0]
    ahead = len(candidates) == 1 or top.score - candidates[1].score >= settings.KAKEHASHI_EVENT_MATCH_MARGIN
    if top.score >= settings.KAKEHASHI_EVENT_MATCH_MIN_SCORE and ahead:
        return top.company, top.score
    return None, top.score


def _active(event: Event):
    return Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)


def _seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


def _duplicate(event: Event, *, ekey: str, nkey: str, okey: str) -> Registration | None:
    active = _active(event)
    if ekey and (found := active.filter(email_key=ekey).first()):
        return found
    return active.filter(name_key=nkey, organisation_key=okey).first()


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    organisation: str,
    is_it_company: bool,
    email: str,
    consent: bool,
    role_title: str = "",
    answers: Mapping[str, Any] | None = None,
    source: str = RegistrationSource.PUBLIC,
    actor=None,
    check_in: bool = False,
    base_url: str = "",
) -> Registration:
    """Register one person. Over capacity they join the waiting list; the same person twice is refused.

    Public registrations need the event published and open (not ended) and consent to the privacy notice.
    Walk-ins (`source=walk_in`, by check-in staff) are seated whatever the capacity — they are in the room —
    and checked in at once.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    walk_in = source == RegistrationSource.WALK_IN
    if source != RegistrationSource.PUBLIC:
        _require(actor, "events.check_in", event)
    elif not event.published or event.is_past:
        raise ValidationError(_("このイベントは現在申込を受け付けていません。"))
    if source == RegistrationSource.PUBLIC and not consent:
        raise ValidationError({"consent": [_("個人情報の取扱いに同意してください。")]})
    ekey, nkey, okey = email_key(email), person_name_key(name), company_name_key(organisation or "")
    if not nkey:
        raise ValidationError({"name": [_("氏名を入力してください。")]})
    if source == RegistrationSource.PUBLIC and not ekey:
        raise ValidationError({"email": [_("メールアドレスを入力してください。")]})
    if _duplicate(event, ekey=ekey, nkey=nkey, okey=okey) is not None:
        raise DuplicateRegistration(
            _("この方はすでにお申し込み済みです。確認メールのリンクから申込内容をご確認ください。")
        )
    version = current_version(event, QuestionnairePurpose.REGISTRATION)
    cleaned_answers = questions.clean_answers(version.questions, dict(answers or {})) if version else {}
    company, score = match_company(organisation or "")
    full = event.capacity is not None and _seats_taken(event) >= event.capacity
    now = timezone.now()
    registration = Registration(
        event=event,
        source=source,
        status=RegistrationStatus.WAITLISTED if (full and not walk_in) else RegistrationStatus.REGISTERED,
        name=unicodedata.normalize("NFKC", name).strip(),
        name_key=nkey,
        organisation=unicodedata.normalize("NFKC", organisation or "").strip(),
        organisation_key=okey,
        company=company,
        match_score=score,
        is_it_company=is_it_company,
        role_title=(role_title or "").strip(),
        email=(email or "").strip(),
        email_key=ekey,
        consent_at=now if consent else None,
        answers=cleaned_answers,
        answers_version=version if cleaned_answers or version else None,
        checked_in_at=now if (walk_in or check_in) else None,
        checked_in_by=actor if (walk_in or check_in) else None,
    )
    registration.full_clean(exclude=["ticket_code", "uuid"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # a racing duplicate met the unique constraint
        raise DuplicateRegistration(_("この方はすでにお申し込み済みです。")) from error
    log_change(actor=actor, instance=registration, action=ChangeAction.CREATE, after=_reg_snapshot(registration))
    if source == RegistrationSource.PUBLIC:
        transaction.on_commit(lambda: tickets.send_confirmation(registration, base_url))
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None, base_url: str = "") -> Registration:
    """Cancel (by the registrant's link or by staff); the first on the waiting list moves up."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if actor is not None:
        _require(actor, "events.change_event", registration.event)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.checked_in:
        raise ValidationError(_("受付済みの申込はキャンセルできません。"))
    Event.objects.select_for_update().get(pk=registration.event_id)
    update_logged(
        registration,
        logged=REGISTRATION_LOGGED,
        actor=actor,
        action=ChangeAction.STATUS,
        note=_("キャンセル"),
        status=RegistrationStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    transaction.on_commit(lambda: tickets.send_cancellation(registration, base_url))
    waitlist_promote(event=registration.event, actor=actor, base_url=base_url)
    return registration


@transaction.atomic
def waitlist_promote(*, event: Event, actor=None, base_url: str = "") -> list[Registration]:
    """Move people up from the waiting list, first come first served, while seats are free; email each."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    free = waiting.count() if event.capacity is None else max(0, event.capacity - _seats_taken(event))
    promoted = []
    for registration in list(waiting[:free]):
        update_logged(
            registration,
            logged=REGISTRATION_LOGGED,
            actor=actor,
            action=ChangeAction.STATUS,
            note=_("キャンセル待ちから繰り上げ"),
            status=RegistrationStatus.REGISTERED,
            promoted_at=timezone.now(),
        )
        promoted.append(registration)
        transaction.on_commit(lambda r=registration: tickets.send_promotion(r, base_url))
    return promoted


# --- Check-in ----------------------------------------------------------------------------------------------------


def normalise_ticket_code(text: str) -> str:
    """The ticket code in scanned or typed text: NFKC, upper case, without spaces or hyphens."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text or "")).upper()


@transaction.atomic
def registration_check_in(*, actor, registration: Registration) -> tuple[Registration, bool]:
    """Mark attendance. Returns (registration, newly) — checking in twice changes nothing."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    _require(actor, "events.check_in", registration.event)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("キャンセル済みの申込です。"))
    if registration.checked_in:
        return registration, False
    update_logged(
        registration,
        logged=REGISTRATION_LOGGED,
        actor=actor,
        action=ChangeAction.STATUS,
        note=_("受付"),
        # A waiting person who came gets a seat.
        status=RegistrationStatus.REGISTERED
        if registration.status == RegistrationStatus.WAITLISTED
        else registration.status,
        checked_in_at=timezone.now(),
        checked_in_by=actor,
    )
    return registration, True


def check_in_by_code(*, actor, event: Event, code: str) -> tuple[Registration, bool]:
    """Check in the registration whose ticket code is in `code` (scanned or typed). Unknown codes raise."""
    ticket = normalise_ticket_code(code)
    registration = Registration.objects.filter(event=event, ticket_code=ticket).first() if ticket else None
    if registration is None:
        raise ValidationError(_("このイベントの受付コードではありません。"))
    return registration_check_in(actor=actor, registration=registration)


@transaction.atomic
def registration_match(*, actor, registration: Registration, company) -> Registration:
    """Staff resolve (or clear) which registry company a registration's organisation is."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    _require(actor, "events.check_in", registration.event)
    update_logged(
        registration,
        logged=REGISTRATION_LOGGED,
        actor=actor,
        action=ChangeAction.UPDATE,
        note=_("企業台帳と照合"),
        company=company,
        match_score=100 if company is not None else None,
    )
    return registration


# --- Survey ------------------------------------------------------------------------------------------------------


@transaction.atomic
def survey_send(*, actor, event: Event, base_url: str = "") -> int:
    """Email the survey link to attendees who have not been sent it yet. Returns how many were sent."""
    _require(actor, "events.change_event", event)
    if current_version(event, QuestionnairePurpose.SURVEY) is None:
        raise ValidationError(_("アンケートが公開されていません。"))
    pending = list(
        Registration.objects.select_for_update()
        .filter(event=event, checked_in_at__isnull=False, survey_sent_at__isnull=True)
        .exclude(email="")
    )
    now = timezone.now()
    for registration in pending:
        update_logged(
            registration,
            logged=REGISTRATION_LOGGED,
            actor=actor,
            action=ChangeAction.UPDATE,
            note=_("アンケート送信"),
            survey_sent_at=now,
        )
        transaction.on_commit(lambda r=registration: tickets.send_survey(r, base_url))
    return len(pending)


@transaction.atomic
def survey_answer(*, registration: Registration, answers: Mapping[str, Any]) -> SurveyResponse:
    """Store an attendee's answers in the survey version current now. One response per attendee."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if not registration.checked_in:
        raise ValidationError(_("アンケートはイベントに参加された方にお願いしています。"))
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise ValidationError(_("すでにご回答いただいています。ありがとうございました。"))
    version = current_version(registration.event, QuestionnairePurpose.SURVEY)
    if version is None:
        raise ValidationError(_("アンケートが公開されていません。"))
    cleaned = questions.clean_answers(version.questions, dict(answers))
    response = SurveyResponse(registration=registration, version=version, answers=cleaned)
    response.full_clean()
    response.save()
    log_change(actor=None, instance=response, action=ChangeAction.CREATE, after={"version": version.pk})
    return response


# --- Seminar attendee → hearing ----------------------------------------------------------------------------------


@transaction.atomic
def registration_to_hearing(*, actor, registration: Registration):
    """Record a seminar attendee's hearing as a submitted visit (format セミナー) so it counts toward the target.

    Needs the attendee checked in and matched to a registry company; the visit is dated the event's day and
    recorded by `actor` (a communicator or manager of the event's programme, as for any visit).
    """
    from kakehashi.outreach.services.visits import visit_record
    from kakehashi.reference.models import CodeItem

    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("event", "company").get(pk=registration.pk)
    )
    event = registration.event
    _require(actor, "events.check_in", event)
    if registration.visit_id:
        raise ValidationError(_("この参加者のヒアリング記録は作成済みです。"))
    if not registration.checked_in:
        raise ValidationError(_("受付済み（出席）の参加者だけをヒアリング記録にできます。"))
    if registration.company_id is None:
        raise ValidationError(_("企業台帳の企業と照合してから記録してください。"))
    seminar = CodeItem.objects.filter(list="visit_format", code="seminar").first()
    if seminar is None:
        raise ValidationError(_("外訪形態「セミナー」のコードがありません。"))
    day = timezone.localtime(event.starts_at).date()
    summary = _("%(title)s（%(date)s）に参加。") % {"title": event.title, "date": f"{day:%Y/%m/%d}"}
    interest = (registration.answers or {}).get("interest")
    if interest:
        summary += _("申込時の記入：") + str(interest)
    visit, _created = visit_record(
        actor=actor,
        programme=event.programme,
        values={
            "company": registration.company,
            "visit_date": day,
            "start_time": timezone.localtime(event.starts_at).time().replace(second=0, microsecond=0),
            "visit_format": seminar,
            "summary": summary,
        },
        contact={"name": registration.name, "title": registration.role_title, "phone": "", "email": registration.email},
        submit=True,
    )
    update_logged(
        registration,
        logged=REGISTRATION_LOGGED,
        actor=actor,
        action=ChangeAction.UPDATE,
        note=_("ヒアリング記録を作成"),
        visit=visit,
    )
    return visit


# --- Table mixing ------------------------------------------------------------------------------------------------


def _participant(registration: Registration) -> mixing.Participant:
    return mixing.Participant(id=registration.pk, company=registration.org_key, is_it=registration.is_it_company)


def prior_meetings(event: Event, registrations: list[Registration]) -> dict[frozenset, int]:
    """Pairs of these attendees (by registration id) who sat at one table at earlier events, with how often."""
    from .selectors import person_pairs_before

    by_person = {r.person_key: r.pk for r in registrations}
    counts: dict[frozenset, int] = {}
    for pair, times in person_pairs_before(event).items():
        a, b = tuple(pair)
        if a in by_person and b in by_person:
            counts[frozenset((by_person[a], by_person[b]))] = times
    return counts


@transaction.atomic
def mixing_plan(
    *, actor, event: Event, rounds: int | None = None, tables: int | None = None, seed: int | None = None
) -> MixingRun:
    """Plan the tables of every round for the attendees present (checked in), store it and its figures."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.change_event", event)
    rounds = rounds or event.rounds
    tables = tables or event.tables
    if not rounds or not tables:
        raise ValidationError(_("ラウンド数とテーブル数を設定してください。"))
    attendees = list(Registration.objects.filter(event=event, checked_in_at__isnull=False).order_by("pk")) or list(
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).order_by("pk")
    )
    if len(attendees) < 2:
        raise ValidationError(_("席替えには2名以上の参加者が必要です。"))
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    plan, metrics = mixing.plan_with_baseline(
        [_participant(r) for r in attendees],
        rounds=rounds,
        tables=tables,
        met=prior_meetings(event, attendees),
        seed=seed,
        time_limit=settings.KAKEHASHI_EVENT_MIXING_SECONDS,
    )
    run = MixingRun(event=event, seed=seed, rounds=rounds, tables=tables, metrics=metrics, created_by=actor)
    run.full_clean()
    run.save()
    TableSeat.objects.bulk_create(
        TableSeat(run=run, registration_id=rid, round=r, table=t)
        for r, seating in enumerate(plan, start=1)
        for t, members in enumerate(seating, start=1)
        for rid in members
    )
    log_change(actor=actor, instance=run, action=ChangeAction.CREATE, after=snapshot(run))
    return run


@transaction.atomic
def mixing_set_round(*, actor, run: MixingRun, round_number: int) -> MixingRun:
    """Move the workshop to another round: attendees' table pages show where to sit now."""
    run = MixingRun.objects.select_for_update().select_related("event").get(pk=run.pk)
    _require(actor, "events.check_in", run.event)
    if not 1 <= round_number <= run.rounds:
        raise ValidationError(_("ラウンドの番号が正しくありません。"))
    before = snapshot(run)
    run.current_round = round_number
    run.save(update_fields=["current_round"])
    log_change(actor=actor, instance=run, action=ChangeAction.UPDATE, before=before, after=snapshot(run))
    return run
