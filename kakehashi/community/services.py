"""Writes for the community. Views, the API, the demo and the digest command all call these."""

import datetime
import re
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.accounts.choices import Role
from kakehashi.accounts.models import User
from kakehashi.accounts.services import user_create
from kakehashi.companies.matching import company_match
from kakehashi.companies.normalise import company_name_key
from kakehashi.core.changelog import log_change, snapshot, update_logged
from kakehashi.core.choices import ChangeAction
from kakehashi.reference.models import CodeItem

from .choices import (
    STAGE_NEXT,
    IntroductionStatus,
    NotificationKind,
    NotifyFrequency,
    OrganisationKind,
    ProjectStage,
)
from .models import (
    Introduction,
    Member,
    Notification,
    Organisation,
    Post,
    PostReport,
    Project,
    ProjectStageChange,
    Thread,
    Topic,
)

SIGNUP_SALT = "kakehashi.community.signup"
# A registry record is linked at sign-up only when the matcher is this sure (0–100); otherwise staff link it later.
REGISTRY_LINK_SCORE = 90
MAX_MENTIONS = 10
MENTION = re.compile(r"(?<![A-Za-z0-9_.+-])@([A-Za-z0-9_.+-]{1,150})")


def _site_url(path: str) -> str:
    return (settings.KAKEHASHI_PUBLIC_BASE_URL or "http://localhost:8000").rstrip("/") + path


def _require_active(member: Member) -> None:
    if member.is_banned:
        raise PermissionDenied(_("利用停止中のため投稿できません。"))


# --- Sign-up ---------------------------------------------------------------------------------------------------------


def signup_token(payload: dict) -> str:
    return signing.dumps(payload, salt=SIGNUP_SALT, compress=True)


def signup_payload(token: str) -> dict | None:
    """The sign-up request a link carries, or None if it was tampered with or has expired."""
    try:
        return signing.loads(token, salt=SIGNUP_SALT, max_age=settings.KAKEHASHI_COMMUNITY_SIGNUP_MAX_AGE)
    except signing.BadSignature:
        return None


def member_signup_request(
    *,
    email: str,
    username: str,
    display_name: str,
    kind: str,
    organisation_name: str,
    it_company_id: int | None,
    verify_url: str,
) -> None:
    """Mail a signed verification link. Nothing is stored until the link is opened (no unverified personal data).

    `verify_url` is the absolute URL of the verification page with `{token}` in place of the token. An address
    that already has an account gets a mail saying so, and the page looks the same, so addresses cannot be probed.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        send_mail(
            _("【コミュニティ】すでに登録されています"),
            _("このメールアドレスはすでに登録されています。ログイン画面からログインしてください。\n%(url)s")
            % {"url": _site_url(reverse(settings.LOGIN_URL))},
            None,
            [email],
        )
        return
    token = signup_token(
        {
            "email": email,
            "username": username,
            "display_name": display_name,
            "kind": kind,
            "organisation_name": organisation_name,
            "it_company_id": it_company_id,
        }
    )
    send_mail(
        _("【コミュニティ】メールアドレスの確認"),
        _(
            "%(name)s 様\n\nコミュニティへの登録を受け付けました。"
            "次のリンクを開いてパスワードを設定すると登録が完了します（有効期限 %(days)d 日）。\n\n%(url)s\n\n"
            "お心当たりがない場合はこのメールを破棄してください。"
        )
        % {
            "name": display_name,
            "days": settings.KAKEHASHI_COMMUNITY_SIGNUP_MAX_AGE // 86400,
            "url": verify_url.replace("{token}", token),
        },
        None,
        [email],
    )


@transaction.atomic
def organisation_resolve(*, actor, kind: str, name: str, it_company=None) -> Organisation:
    """The organisation a member belongs to: found by directory entry, registry record or normalised name, or new.

    A local company is linked to its registry record when the matcher is confident (score ≥ 90), so the community
    and the visit records count the same company once.
    """
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("組織の種別が正しくありません。")})
    if it_company is not None:
        kind = OrganisationKind.IT
        name = it_company.name
        found = Organisation.objects.filter(it_company=it_company).first()
        if found:
            return found
    key = company_name_key(name or "")
    if not key:
        raise ValidationError({"organisation_name": _("組織名を入力してください。")})
    company = None
    if kind == OrganisationKind.LOCAL or it_company is None:
        candidates = company_match(name, limit=1)
        if candidates and candidates[0].score >= REGISTRY_LINK_SCORE:
            company = candidates[0].company
            found = Organisation.objects.filter(company=company).first()
            if found:
                return found
    found = Organisation.objects.filter(kind=kind, name_key=key).first()
    if found:
        if company is not None and found.company_id is None:
            before = snapshot(found)
            found.company = company
            found.save(update_fields=["company", "updated_at"])
            log_change(actor=actor, instance=found, action=ChangeAction.UPDATE, before=before)
        return found
    registry_company = company or (getattr(it_company, "company", None) if it_company is not None else None)
    if registry_company is not None and Organisation.objects.filter(company=registry_company).exists():
        registry_company = None
    organisation = Organisation(
        kind=kind,
        it_company=it_company,
        name=name.strip(),
        name_key=key,
        company=registry_company,
        municipality=registry_company.municipality if registry_company else _directory_municipality(it_company),
    )
    organisation.full_clean()
    organisation.save()
    log_change(actor=actor, instance=organisation, action=ChangeAction.CREATE)
    return organisation


def _directory_municipality(it_company):
    if it_company is None:
        return None
    municipality = getattr(it_company, "municipality", None)
    if municipality is None and getattr(it_company, "company", None) is not None:
        municipality = it_company.company.municipality
    return municipality


@transaction.atomic
def member_verify(*, payload: dict, password: str) -> Member:
    """Create the account and profile of a verified sign-up (the e-mail link was opened)."""
    email = payload["email"]
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("このメールアドレスはすでに登録されています。ログインしてください。"))
    if User.objects.filter(username=payload["username"]).exists():
        raise ValidationError(_("このユーザー名はすでに使われています。もう一度登録してください。"))
    it_company = _it_company(payload.get("it_company_id"))
    kind = OrganisationKind.IT if it_company is not None else payload["kind"]
    organisation = organisation_resolve(actor=None, kind=kind, name=payload["organisation_name"], it_company=it_company)
    role = Role.IT_COMPANY_MEMBER if organisation.kind == OrganisationKind.IT else Role.COMPANY_MEMBER
    user = user_create(
        actor=None,
        username=payload["username"],
        password=password,
        roles=[role],
        email=email,
        display_name=payload["display_name"],
        organisation=organisation.name,
    )
    return member_create(actor=user, user=user, organisation=organisation)


def _it_company(pk):
    if not pk:
        return None
    try:
        from kakehashi.portal.selectors import directory_for_public
    except ImportError:
        return None
    return directory_for_public().filter(pk=pk).first()


@transaction.atomic
def member_create(*, actor, user: User, organisation: Organisation, **fields) -> Member:
    member = Member(user=user, organisation=organisation, **fields)
    member.full_clean()
    member.save()
    log_change(actor=actor, instance=member, action=ChangeAction.CREATE)
    return member


@transaction.atomic
def member_update(
    *,
    actor,
    member: Member,
    title: str,
    offers_text: str,
    needs_text: str,
    offer_challenges: Iterable[CodeItem],
    need_challenges: Iterable[CodeItem],
    notify_frequency: str,
) -> Member:
    before = _member_fields(member)
    member.title = title.strip()
    member.offers_text = offers_text.strip()
    member.needs_text = needs_text.strip()
    member.notify_frequency = notify_frequency
    member.full_clean()
    member.save()
    member.offer_challenges.set(_challenges(offer_challenges))
    member.need_challenges.set(_challenges(need_challenges))
    log_change(actor=actor, instance=member, action=ChangeAction.UPDATE, before=before, after=_member_fields(member))
    return member


def _challenges(items: Iterable[CodeItem]) -> list[CodeItem]:
    items = list(items)
    if any(item.list != "challenge" for item in items):
        raise ValidationError(_("課題カテゴリ以外のコードは選べません。"))
    return items


def _member_fields(member: Member) -> dict:
    data = snapshot(member, ["title", "offers_text", "needs_text", "notify_frequency", "banned_at", "banned_reason"])
    data["offer_challenges"] = sorted(member.offer_challenges.values_list("code", flat=True))
    data["need_challenges"] = sorted(member.need_challenges.values_list("code", flat=True))
    return data


@transaction.atomic
def member_ban(*, actor, member: Member, reason: str) -> Member:
    if not reason.strip():
        raise ValidationError({"banned_reason": _("理由を入力してください。")})
    before = _member_fields(member)
    member.banned_at = timezone.now()
    member.banned_reason = reason.strip()
    member.full_clean()
    member.save(update_fields=["banned_at", "banned_reason", "updated_at"])
    log_change(actor=actor, instance=member, action=ChangeAction.STATUS, before=before, after=_member_fields(member))
    return member


@transaction.atomic
def member_unban(*, actor, member: Member) -> Member:
    before = _member_fields(member)
    member.banned_at = None
    member.banned_reason = ""
    member.save(update_fields=["banned_at", "banned_reason", "updated_at"])
    log_change(actor=actor, instance=member, action=ChangeAction.STATUS, before=before, after=_member_fields(member))
    return member


# --- Notifications ---------------------------------------------------------------------------------------------------


def notify(*, member: Member, kind: str, message: str, url: str = "") -> Notification:
    """Record a notification; a member who wants mail at once gets it after the transaction commits."""
    notification = Notification(member=member, kind=kind, message=message[:300], url=url)
    notification.full_clean()
    notification.save()
    if member.notify_frequency == NotifyFrequency.IMMEDIATE and member.user.email and member.user.is_active:
        transaction.on_commit(lambda: _mail_now(notification.pk))
    return notification


def _mail_now(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("member__user").filter(pk=notification_id, emailed_at__isnull=True).first()
    )
    if notification is None:
        return
    send_mail(
        _("【コミュニティ】%(message)s") % {"message": notification.message[:60]},
        _("%(message)s\n\n%(url)s\n\n通知の受け取り方はプロフィール画面で変えられます。")
        % {"message": notification.message, "url": _site_url(notification.url or reverse("community:home"))},
        None,
        [notification.member.user.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Mail each daily-digest member one summary of the notifications not yet mailed; returns mails sent.

    Notifications of members who chose no mail are left unmailed (they read them on the site).
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            member__notify_frequency=NotifyFrequency.DAILY,
            member__user__is_active=True,
            created_at__lte=now,
        )
        .exclude(member__user__email="")
        .select_related("member__user")
        .order_by("member_id", "created_at", "pk")
    )
    by_member: dict[int, list[Notification]] = {}
    for notification in pending:
        by_member.setdefault(notification.member_id, []).append(notification)
    sent = 0
    for notifications in by_member.values():
        member = notifications[0].member
        lines = [f"・{n.message}\n  {_site_url(n.url or reverse('community:home'))}" for n in notifications]
        send_mail(
            _("【コミュニティ】新しいお知らせ %(count)d 件") % {"count": len(notifications)},
            _(
                "%(name)s 様\n\n前回のお知らせ以降の動きです。\n\n%(lines)s\n\n"
                "通知の受け取り方はプロフィール画面で変えられます。"
            )
            % {"name": member.user, "lines": "\n".join(lines)},
            None,
            [member.user.email],
        )
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        sent += 1
    return sent


def notifications_mark_read(*, member: Member) -> int:
    return Notification.objects.filter(member=member, read_at__isnull=True).update(read_at=timezone.now())


# --- Introductions ---------------------------------------------------------------------------------------------------


@transaction.atomic
def introduction_request(
    *, actor, requester: Member, recipient: Member, message: str, reasons: list[str] | None = None
) -> Introduction:
    _require_active(requester)
    if recipient.is_banned:
        raise ValidationError(_("この会員には現在紹介を依頼できません。"))
    if recipient.organisation_id == requester.organisation_id:
        raise ValidationError(_("同じ組織の会員には紹介を依頼できません。"))
    if Introduction.objects.filter(
        requester=requester, recipient=recipient, status=IntroductionStatus.REQUESTED
    ).exists():
        raise ValidationError(_("この会員への紹介依頼はすでに回答待ちです。"))
    introduction = Introduction(
        requester=requester, recipient=recipient, message=message.strip(), reasons=list(reasons or [])[:8]
    )
    introduction.full_clean()
    introduction.save()
    log_change(actor=actor, instance=introduction, action=ChangeAction.CREATE)
    notify(
        member=recipient,
        kind=NotificationKind.INTRO_REQUESTED,
        message=_("%(name)s（%(org)s）から紹介の依頼が届きました")
        % {"name": requester.user, "org": requester.organisation},
        url=reverse("community:introduction_list"),
    )
    return introduction


@transaction.atomic
def introduction_respond(*, actor, introduction: Introduction, accept: bool, message: str = "") -> Introduction:
    if introduction.status != IntroductionStatus.REQUESTED:
        raise ValidationError(_("この紹介依頼にはすでに回答しています。"))
    _require_active(introduction.recipient)
    before = snapshot(introduction)
    introduction.status = IntroductionStatus.ACCEPTED if accept else IntroductionStatus.DECLINED
    introduction.responded_at = timezone.now()
    introduction.response_message = message.strip()
    introduction.full_clean()
    introduction.save()
    log_change(actor=actor, instance=introduction, action=ChangeAction.STATUS, before=before)
    recipient = introduction.recipient
    if accept:
        text = _("%(name)s（%(org)s）が紹介依頼を承諾しました。連絡先を確認できます") % {
            "name": recipient.user,
            "org": recipient.organisation,
        }
    else:
        text = _("%(name)s（%(org)s）は今回の紹介依頼を辞退しました") % {
            "name": recipient.user,
            "org": recipient.organisation,
        }
    notify(
        member=introduction.requester,
        kind=NotificationKind.INTRO_ANSWERED,
        message=text,
        url=reverse("community:introduction_list"),
    )
    return introduction


# --- Threads and posts -----------------------------------------------------------------------------------------------


def mentioned_members(body: str, *, author: Member) -> list[Member]:
    """Members named with @username in the text (not the author, not banned), at most MAX_MENTIONS."""
    names = list(dict.fromkeys(MENTION.findall(body or "")))[: MAX_MENTIONS * 2]
    if not names:
        return []
    found = (
        Member.objects.filter(user__username__in=names, banned_at__isnull=True, user__is_active=True)
        .exclude(pk=author.pk)
        .select_related("user")
        .order_by("pk")
    )
    return list(found[:MAX_MENTIONS])


@transaction.atomic
def thread_create(*, actor, author: Member, topic: Topic, title: str, body: str) -> Thread:
    _require_active(author)
    if not topic.active:
        raise ValidationError(_("このトピックには新しいスレッドを作れません。"))
    thread = Thread(topic=topic, title=title.strip(), author=author, last_posted_at=timezone.now())
    thread.full_clean()
    thread.save()
    log_change(actor=actor, instance=thread, action=ChangeAction.CREATE)
    post_create(actor=actor, author=author, thread=thread, body=body)
    return thread


@transaction.atomic
def post_create(*, actor, author: Member, thread: Thread, body: str) -> Post:
    """Add a post; notify the members it mentions and the thread's earlier posters (once each)."""
    _require_active(author)
    post = Post(thread=thread, author=author, body=body.strip())
    post.full_clean()
    post.save()
    mentioned = mentioned_members(post.body, author=author)
    post.mentions.set(mentioned)
    Thread.objects.filter(pk=thread.pk).update(last_posted_at=post.created_at)
    thread.last_posted_at = post.created_at
    log_change(actor=actor, instance=post, action=ChangeAction.CREATE, after=snapshot(post, ["thread", "author"]))
    url = f"{thread.get_absolute_url()}#post-{post.pk}"
    for member in mentioned:
        notify(
            member=member,
            kind=NotificationKind.MENTION,
            message=_("%(name)s さんが「%(title)s」であなたをメンションしました")
            % {"name": author.user, "title": thread.title},
            url=url,
        )
    notified = {m.pk for m in mentioned} | {author.pk}
    earlier = (
        Member.objects.filter(posts__thread=thread, banned_at__isnull=True)
        .exclude(pk__in=notified)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    for member in earlier:
        notify(
            member=member,
            kind=NotificationKind.REPLY,
            message=_("「%(title)s」に %(name)s さんが返信しました") % {"title": thread.title, "name": author.user},
            url=url,
        )
    return post


@transaction.atomic
def post_report(*, actor, reporter: Member, post: Post, reason: str) -> PostReport:
    if PostReport.objects.filter(post=post, reporter=reporter).exists():
        raise ValidationError(_("この投稿はすでに通報済みです。"))
    report = PostReport(post=post, reporter=reporter, reason=reason.strip())
    report.full_clean()
    report.save()
    log_change(actor=actor, instance=report, action=ChangeAction.CREATE)
    return report


@transaction.atomic
def post_hide(*, actor, post: Post, reason: str) -> Post:
    """Hide a post (kept for the record) and resolve its open reports."""
    if not reason.strip():
        raise ValidationError({"hidden_reason": _("理由を入力してください。")})
    before = snapshot(post, ["hidden_at", "hidden_by", "hidden_reason"])
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.hidden_reason = reason.strip()
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    log_change(
        actor=actor,
        instance=post,
        action=ChangeAction.STATUS,
        before=before,
        after=snapshot(post, ["hidden_at", "hidden_by", "hidden_reason"]),
    )
    reports_resolve(actor=actor, post=post)
    return post


@transaction.atomic
def post_unhide(*, actor, post: Post) -> Post:
    before = snapshot(post, ["hidden_at", "hidden_by", "hidden_reason"])
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    log_change(
        actor=actor,
        instance=post,
        action=ChangeAction.STATUS,
        before=before,
        after=snapshot(post, ["hidden_at", "hidden_by", "hidden_reason"]),
    )
    return post


@transaction.atomic
def reports_resolve(*, actor, post: Post) -> int:
    """Mark every open report of a post as dealt with (the post hidden, or judged fine)."""
    count = 0
    for report in post.reports.filter(resolved_at__isnull=True):
        update_logged(report, actor=actor, action=ChangeAction.STATUS, resolved_at=timezone.now(), resolved_by=actor)
        count += 1
    return count


@transaction.atomic
def thread_propose_meetup(*, actor, member: Member, thread: Thread) -> Thread:
    """Ask staff for a follow-up meetup of the thread's people; staff see it on the moderation page."""
    _require_active(member)
    if thread.meetup_proposed_at is not None:
        raise ValidationError(_("このスレッドの交流会はすでに提案されています。"))
    update_logged(thread, actor=actor, meetup_proposed_at=timezone.now(), meetup_proposed_by=member)
    return thread


MEETUP_LENGTH = datetime.timedelta(hours=2)


@transaction.atomic
def thread_meetup_draft(*, actor, thread: Thread, programme, starts_at: datetime.datetime):
    """Turn a thread into a draft (unpublished) exchange event of the events app and link the two.

    Staff then complete and publish it in the events screens; the thread shows the event from then on.
    """
    from kakehashi.events.services import event_create

    if thread.event_id is not None:
        raise ValidationError(_("このスレッドにはすでにイベントがあります。"))
    event = event_create(
        actor=actor,
        programme=programme,
        values={
            "kind": "workshop",
            "title": (_("交流会：%(title)s") % {"title": thread.title})[:200],
            "theme": thread.topic.name,
            "description": _("コミュニティのスレッド「%(title)s」から提案された交流会です。") % {"title": thread.title},
            "starts_at": starts_at,
            "ends_at": starts_at + MEETUP_LENGTH,
        },
    )
    before = snapshot(thread, ["event"])
    thread.event = event
    thread.save(update_fields=["event", "updated_at"])
    log_change(
        actor=actor, instance=thread, action=ChangeAction.UPDATE, before=before, after=snapshot(thread, ["event"])
    )
    return event


# --- Co-creation projects --------------------------------------------------------------------------------------------


def _check_organisations(participants: list[Member]) -> None:
    if len({m.organisation_id for m in participants}) < 2:
        raise ValidationError(
            {"participants": _("共創プロジェクトには2つ以上の組織の会員が参加している必要があります。")}
        )


@transaction.atomic
def project_create(
    *,
    actor,
    creator: Member,
    title: str,
    summary: str,
    participants: Iterable[Member],
    challenges: Iterable[CodeItem] = (),
    started_on: datetime.date | None = None,
) -> Project:
    """Register a project in the idea stage; the creator always takes part; ≥2 distinct organisations."""
    _require_active(creator)
    members = list({m.pk: m for m in [creator, *participants]}.values())
    if any(m.is_banned for m in members):
        raise ValidationError({"participants": _("利用停止中の会員は参加者にできません。")})
    _check_organisations(members)
    started_on = started_on or timezone.localdate()
    project = Project(title=title.strip(), summary=summary.strip(), created_by=creator, started_on=started_on)
    project.full_clean()
    project.save()
    project.participants.set(members)
    project.challenges.set(_challenges(challenges))
    ProjectStageChange.objects.create(
        project=project, from_stage="", to_stage=ProjectStage.IDEA, changed_on=started_on, changed_by=actor
    )
    after = snapshot(project)
    after["participants"] = sorted(m.pk for m in members)
    log_change(actor=actor, instance=project, action=ChangeAction.CREATE, after=after)
    for member in members:
        if member.pk != creator.pk:
            notify(
                member=member,
                kind=NotificationKind.PROJECT,
                message=_("共創プロジェクト「%(title)s」の参加者に登録されました") % {"title": project.title},
                url=project.get_absolute_url(),
            )
    return project


@transaction.atomic
def project_advance(*, actor, project: Project, on: datetime.date | None = None, note: str = "") -> Project:
    """Move a project one stage forward (idea → trial → launched) on a date; a launch is a new business."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    target = STAGE_NEXT.get(project.stage)
    if target is None:
        raise ValidationError(_("事業化したプロジェクトはこれ以上進められません。"))
    on = on or timezone.localdate()
    last = project.stage_changes.order_by("-changed_on", "-pk").first()
    if on > timezone.localdate():
        raise ValidationError({"on": _("未来の日付は指定できません。")})
    if last is not None and on < last.changed_on:
        raise ValidationError({"on": _("前の段階の日付（%(date)s）より前にはできません。") % {"date": last.changed_on}})
    _check_organisations(list(project.participants.select_related("organisation")))
    before = snapshot(project)
    previous = project.stage
    project.stage = target
    if target == ProjectStage.LAUNCHED:
        project.launched_on = on
    project.full_clean()
    project.save()
    ProjectStageChange.objects.create(
        project=project, from_stage=previous, to_stage=target, changed_on=on, changed_by=actor, note=note.strip()[:300]
    )
    log_change(actor=actor, instance=project, action=ChangeAction.STATUS, before=before, note=note)
    return project
