"""Writes for referrals, advice threads and the priority list.

Every function checks the actor's permission (`sharing.*` rules) and raises `PermissionDenied`, validates with
`full_clean()` (Japanese `ValidationError` messages), runs in one transaction and writes the change log.
E-mail notifications are sent after the commit and carry no personal information (company name and a link).
"""

import datetime
import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.accounts.choices import Role
from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from . import priority
from .choices import (
    REFERRAL_PATH,
    AdviceStatus,
    ConsentScope,
    PriorityDecisionKind,
    ReferralDestination,
    ReferralStatus,
    Urgency,
)
from .models import (
    AdviceMessage,
    AdviceThread,
    PriorityDecision,
    PriorityEntry,
    PrioritySnapshot,
    PriorityWeights,
    Referral,
    ReferralEvent,
)

logger = logging.getLogger(__name__)


def _check(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


# --- Referrals ----------------------------------------------------------------------------------------------------


def allowed_moves(status: str) -> list[str]:
    """The states a referral in `status` may move to: any later step of the path, or 見送り while open."""
    if status in (ReferralStatus.COMPLETED, ReferralStatus.DECLINED):
        return []
    path = [s.value for s in REFERRAL_PATH]
    later = path[path.index(status) + 1 :]
    if status == ReferralStatus.REFERRED or status == ReferralStatus.CONTACTED:
        # 完了 only after a consultation started; a company that never consulted is 見送り.
        later = [s for s in later if s != ReferralStatus.COMPLETED]
    return [*later, ReferralStatus.DECLINED.value]


@transaction.atomic
def referral_create(
    *,
    actor,
    visit,
    destination: str,
    purpose: str,
    challenges: Iterable = (),
    urgency: str = Urgency.NORMAL,
    consent_scope: str = ConsentScope.COMPANY,
    contact=None,
    referred_on: datetime.date | None = None,
    note: str = "",
) -> Referral:
    """Refer the company of a counted visit to the foundation or the technology centre (紹介済)."""
    _check(actor, "sharing.refer_visit", visit)
    if consent_scope == ConsentScope.CONTACT and contact is None:
        raise ValidationError({"contact": _("連絡先の提供に同意した場合は担当者を選んでください。")})
    if contact is not None and contact.company_id != visit.company_id:
        raise ValidationError({"contact": _("この企業の担当者を選んでください。")})
    referred_on = referred_on or timezone.localdate()
    referral = Referral(
        programme_id=visit.programme_id,
        company_id=visit.company_id,
        visit=visit,
        destination=destination,
        purpose=purpose.strip(),
        urgency=urgency,
        consent_scope=consent_scope,
        contact=contact if consent_scope == ConsentScope.CONTACT else None,
        status=ReferralStatus.REFERRED,
        referred_on=referred_on,
        status_changed_on=referred_on,
        referred_by=actor,
    )
    referral.full_clean()
    referral.save()
    referral.challenges.set(challenges)
    ReferralEvent.objects.create(
        referral=referral,
        from_status="",
        to_status=ReferralStatus.REFERRED,
        occurred_on=referred_on,
        note=note,
        actor=actor,
    )
    log_change(actor=actor, instance=referral, action=ChangeAction.CREATE, after=_referral_snapshot(referral))
    transaction.on_commit(lambda: _notify_referral(referral.pk))
    return referral


def _referral_snapshot(referral: Referral) -> dict:
    values = snapshot(referral)
    values["challenges"] = sorted(referral.challenges.values_list("code", flat=True))
    return values


@transaction.atomic
def referral_transition(
    *, actor, referral: Referral, to_status: str, occurred_on: datetime.date | None = None, note: str = ""
) -> Referral:
    """Move a referral on (連絡済 → 相談開始 → 支援中 → 完了) or end it (見送り, with a reason)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check(actor, "sharing.move_referral", referral)
    if to_status not in allowed_moves(referral.status):
        raise ValidationError(
            {
                "to_status": _("「%(from)s」から「%(to)s」へは変更できません。")
                % {"from": referral.get_status_display(), "to": dict(ReferralStatus.choices).get(to_status, to_status)}
            }
        )
    note = note.strip()
    if to_status == ReferralStatus.DECLINED and not note:
        raise ValidationError({"note": _("見送りの理由を入力してください。")})
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on < referral.status_changed_on:
        raise ValidationError(
            {
                "occurred_on": _("前回の変更日（%(date)s）より前の日付は指定できません。")
                % {"date": referral.status_changed_on.isoformat()}
            }
        )
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("未来の日付は指定できません。")})
    before = _referral_snapshot(referral)
    from_status = referral.status
    referral.status = to_status
    referral.status_changed_on = occurred_on
    if referral.coordinator_id is None and actor.has_role(Role.COORDINATOR):
        referral.coordinator = actor
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, from_status=from_status, to_status=to_status, occurred_on=occurred_on, note=note, actor=actor
    )
    log_change(
        actor=actor,
        instance=referral,
        action=ChangeAction.STATUS,
        before=before,
        after=_referral_snapshot(referral),
        note=f"{dict(ReferralStatus.choices)[from_status]} → {referral.get_status_display()}",
    )
    return referral


def _notify_referral(referral_id: int) -> None:
    """Tell the programme's coordinators that a company was referred (company and link only, no personal data)."""
    referral = Referral.objects.select_related("company", "programme").get(pk=referral_id)
    if referral.destination != ReferralDestination.FOUNDATION:
        return
    recipients = _members(referral.programme_id, Role.COORDINATOR)
    subject = _("【架け橋】新しい紹介: %(company)s") % {"company": referral.company.name}
    body = render_to_string(
        "sharing/email/referral_created.txt",
        {"referral": referral, "url": _absolute(reverse("sharing:referral_detail", args=[referral.pk]))},
    )
    _send(subject, body, recipients)


# --- Advice threads (spec 5(3)ロ) -----------------------------------------------------------------------------------


@transaction.atomic
def advice_thread_open(*, actor, programme, company, subject: str, body: str) -> AdviceThread:
    """A coordinator asks the contractor for advice on a company they may see."""
    from .selectors import coordinator_company_ids

    _check(actor, "sharing.ask_advice", programme)
    if not actor.is_superuser and not coordinator_company_ids(actor).filter(pk=company.pk).exists():
        raise PermissionDenied("company not shared")
    now = timezone.now()
    thread = AdviceThread(
        programme=programme, company=company, subject=subject.strip(), opened_by=actor, last_message_at=now
    )
    thread.full_clean()
    thread.save()
    message = AdviceMessage(thread=thread, author=actor, body=body.strip(), is_answer=False)
    message.full_clean()
    message.save()
    log_change(actor=actor, instance=thread, action=ChangeAction.CREATE)
    transaction.on_commit(lambda: _notify_advice(message.pk))
    return thread


@transaction.atomic
def advice_reply(*, actor, thread: AdviceThread, body: str, close: bool = False) -> AdviceMessage:
    """Add a message. The contractor's message answers (回答済); a coordinator's asks again (回答待ち)."""
    thread = AdviceThread.objects.select_for_update().get(pk=thread.pk)
    _check(actor, "sharing.follow_up_advice", thread)
    if thread.status == AdviceStatus.CLOSED:
        raise ValidationError({"body": _("完了した依頼には投稿できません。")})
    is_answer = actor.has_perm("sharing.answer_advice", thread) and not (
        actor.has_role(Role.COORDINATOR) and not actor.has_role(Role.MANAGER, Role.COMMUNICATOR)
    )
    message = AdviceMessage(thread=thread, author=actor, body=body.strip(), is_answer=is_answer)
    message.full_clean()
    message.save()
    before = snapshot(thread)
    thread.last_message_at = message.created_at
    if close and not is_answer:
        thread.status = AdviceStatus.CLOSED
    else:
        thread.status = AdviceStatus.ANSWERED if is_answer else AdviceStatus.WAITING
    thread.save()
    log_change(actor=actor, instance=thread, action=ChangeAction.UPDATE, before=before, note=_("投稿"))
    transaction.on_commit(lambda: _notify_advice(message.pk))
    return message


@transaction.atomic
def advice_close(*, actor, thread: AdviceThread) -> AdviceThread:
    """The coordinator who asked (or the contractor) marks the request as done."""
    thread = AdviceThread.objects.select_for_update().get(pk=thread.pk)
    _check(actor, "sharing.follow_up_advice", thread)
    before = snapshot(thread)
    thread.status = AdviceStatus.CLOSED
    thread.save()
    log_change(actor=actor, instance=thread, action=ChangeAction.STATUS, before=before)
    return thread


def _notify_advice(message_id: int) -> None:
    """A question goes to the programme's managers and the communicators who visited the company; an answer to
    the coordinator who asked. The mail names the company and links to the thread; the text stays in Kakehashi."""
    from kakehashi.outreach.models import Visit

    message = AdviceMessage.objects.select_related("thread__company", "author").get(pk=message_id)
    thread = message.thread
    if message.is_answer:
        recipients = (
            [thread.opened_by.email] if thread.opened_by.email and thread.opened_by_id != message.author_id else []
        )
        subject = _("【架け橋】助言の依頼に回答がありました: %(company)s") % {"company": thread.company.name}
    else:
        visitors = Visit.objects.filter(programme_id=thread.programme_id, company_id=thread.company_id).values(
            "recorded_by__email"
        )
        recipients = sorted(
            set(_members(thread.programme_id, Role.MANAGER))
            | {row["recorded_by__email"] for row in visitors if row["recorded_by__email"]}
        )
        subject = _("【架け橋】助言の依頼: %(company)s") % {"company": thread.company.name}
    body = render_to_string(
        "sharing/email/advice.txt",
        {"thread": thread, "message": message, "url": _absolute(reverse("sharing:advice_detail", args=[thread.pk]))},
    )
    _send(subject, body, [r for r in recipients if r != message.author.email])


def _members(programme_id: int, role: str) -> list[str]:
    from kakehashi.outreach.models import ProgrammeMembership

    return list(
        ProgrammeMembership.objects.filter(programme_id=programme_id, role=role, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _absolute(path: str) -> str:
    return settings.KAKEHASHI_BASE_URL.rstrip("/") + path


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    # One message per recipient so addresses are not disclosed to each other.
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [r]) for r in recipients], fail_silently=False)
    logger.info("sharing notification sent to %s recipient(s)", len(recipients))


# --- Priority list ------------------------------------------------------------------------------------------------


def default_weights() -> dict[str, int]:
    return {name: PriorityWeights._meta.get_field(name).default for name in PriorityWeights.WEIGHT_FIELDS}


def priority_weights_ensure(*, programme) -> PriorityWeights:
    """The weights in force, creating version 1 with the defaults the first time (not an audited user write)."""
    weights = PriorityWeights.objects.filter(programme=programme).order_by("-version").first()
    if weights is None:
        weights = PriorityWeights.objects.create(programme=programme, version=1, note=_("初期値"))
    return weights


@transaction.atomic
def priority_weights_update(*, actor, programme, values: Mapping[str, int], note: str = "") -> PriorityWeights:
    """Save the prefecture's weights as a new version and recompute the list with them."""
    _check(actor, "sharing.edit_weights", programme)
    current = priority_weights_ensure(programme=programme)
    unknown = set(values) - set(PriorityWeights.WEIGHT_FIELDS)
    if unknown:
        raise ValidationError(_("不明な項目があります: %(names)s") % {"names": ", ".join(sorted(unknown))})
    merged = {**current.values(), **values}
    if merged == current.values():
        return current
    weights = PriorityWeights(
        programme=programme, version=current.version + 1, note=note.strip(), created_by=actor, **merged
    )
    weights.full_clean()
    weights.save()
    log_change(actor=actor, instance=weights, action=ChangeAction.CREATE, before=snapshot(current))
    priority_recompute(actor=actor, programme=programme)
    return weights


@transaction.atomic
def priority_recompute(*, actor, programme, today: datetime.date | None = None) -> PrioritySnapshot:
    """Score every company heard with consent and store the ranks as a new snapshot (the list's history)."""
    if actor is not None:
        _check(actor, "sharing.recompute_priority", programme)
    today = today or timezone.localdate()
    weights = priority_weights_ensure(programme=programme)
    ranked = priority.rank(programme, weights.values(), today=today)
    result = PrioritySnapshot.objects.create(
        programme=programme, weights=weights, computed_by=actor, as_of=today, company_count=len(ranked)
    )
    PriorityEntry.objects.bulk_create(
        [
            PriorityEntry(
                snapshot=result,
                company_id=item.company_id,
                rank=position,
                score=item.score,
                reasons=item.reasons,
                last_visit_date=item.last_visit,
            )
            for position, item in enumerate(ranked, start=1)
        ],
        batch_size=1000,
    )
    log_change(actor=actor, instance=result, action=ChangeAction.CREATE, note=_("%(n)s社") % {"n": len(ranked)})
    return result


@transaction.atomic
def priority_decide(*, actor, programme, company, kind: str, note: str = "") -> PriorityDecision:
    """A coordinator accepts a company for hands-on support, declines it (with a reason) or records advice."""
    from .selectors import coordinator_company_ids, latest_snapshot

    _check(actor, "sharing.decide_priority", programme)
    if not actor.is_superuser and not coordinator_company_ids(actor).filter(pk=company.pk).exists():
        raise PermissionDenied("company not shared")
    if kind not in PriorityDecisionKind.values:
        raise ValidationError({"kind": _("判断を選んでください。")})
    latest = latest_snapshot(programme)
    entry = latest.entries.filter(company=company).first() if latest else None
    decision = PriorityDecision(
        programme=programme, company=company, kind=kind, note=note.strip(), entry=entry, decided_by=actor
    )
    decision.full_clean()
    decision.save()
    log_change(actor=actor, instance=decision, action=ChangeAction.CREATE)
    return decision
