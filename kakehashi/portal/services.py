"""Every write of the portal: articles and images, directory profiles and their approval, consultation requests,
the mail magazine (double opt-in, one-click unsubscribe, issues).

Services are keyword-only, validate with `full_clean()`, run in one transaction and write the change log. Public
writes (a consultation request, a sign-up) have no actor. Mails leave with `transaction.on_commit`, so a rolled
back write sends nothing. Personal data (names, e-mail addresses) is never logged: the change log of a
consultation request or subscriber records its status changes, not its contact fields.
"""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction
from kakehashi.reference.models import CodeItem, Industry

from .choices import ArticleStatus, ConsultationStatus, RevisionStatus, SubscriberStatus
from .models import (
    Article,
    ArticleImage,
    ConsultationRequest,
    ITCompany,
    ITCompanyRevision,
    MagazineIssue,
    Subscriber,
    Tag,
)
from .rendering import render_markdown
from .search import article_search_text, itcompany_search_text

logger = logging.getLogger(__name__)

CONFIRM_SALT = "kakehashi.portal.magazine.confirm"
UNSUBSCRIBE_SALT = "kakehashi.portal.magazine.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
# A second sign-up with a pending address re-sends the confirmation at most this often (seconds).
RESEND_INTERVAL = 10 * 60
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WebP"}
MAX_TAGS = 10

# Contact fields of a consultation request are personal information and stay out of the change log.
CONSULTATION_LOGGED_FIELDS = ("status", "assigned_to", "company", "staff_note", "closed_at")


# --- Articles ----------------------------------------------------------------------------------------------------


def _tags(names: Iterable[str]) -> list[Tag]:
    cleaned: list[str] = []
    for name in names:
        name = " ".join((name or "").split())[:40]
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("タグは%(n)d個までです。") % {"n": MAX_TAGS}})
    tags = []
    for name in cleaned:
        tag, _created = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    return tags


def _article_refresh(article: Article) -> None:
    article.search_text = article_search_text(
        article,
        [t.name for t in article.tags.all()],
        [c.label_ja for c in article.challenges.all()],
    )
    Article.objects.filter(pk=article.pk).update(search_text=article.search_text)


ARTICLE_FIELDS = ("kind", "title", "summary", "body", "status", "published_at")


def _article_apply(article: Article, values: dict[str, Any]) -> None:
    for name in ARTICLE_FIELDS:
        if name in values:
            setattr(article, name, values[name])
    if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.body_html = render_markdown(article.body)


@transaction.atomic
def article_create(*, actor, values: dict[str, Any]) -> Article:
    """Write a new article (draft or published). `values`: the article fields, `tags` (names), `challenges`."""
    article = Article(author=actor if getattr(actor, "pk", None) else None)
    _article_apply(article, values)
    article.full_clean(exclude=["tags", "challenges"])
    article.save()
    article.tags.set(_tags(values.get("tags", ())))
    article.challenges.set(values.get("challenges", ()))
    _article_refresh(article)
    log_change(actor=actor, instance=article, action=ChangeAction.CREATE)
    return article


@transaction.atomic
def article_update(*, actor, article: Article, values: dict[str, Any]) -> Article:
    before = snapshot(article)
    before["tags"] = sorted(article.tags.values_list("name", flat=True))
    before["challenges"] = sorted(article.challenges.values_list("code", flat=True))
    _article_apply(article, values)
    article.full_clean(exclude=["tags", "challenges"])
    article.save()
    if "tags" in values:
        article.tags.set(_tags(values["tags"]))
    if "challenges" in values:
        article.challenges.set(values["challenges"])
    _article_refresh(article)
    after = snapshot(article)
    after["tags"] = sorted(article.tags.values_list("name", flat=True))
    after["challenges"] = sorted(article.challenges.values_list("code", flat=True))
    log_change(actor=actor, instance=article, action=ChangeAction.UPDATE, before=before, after=after)
    return article


def sniff_image_type(head: bytes) -> str | None:
    """PNG, JPEG, GIF or WebP from the first bytes; None for anything else (SVG is refused: it can run script)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@transaction.atomic
def article_image_upload(*, actor, upload, alt: str = "") -> ArticleImage:
    """Store an image for articles: PNG, JPEG, GIF or WebP by content, at most KAKEHASHI_PORTAL_IMAGE_MAX_BYTES."""
    limit = settings.KAKEHASHI_PORTAL_IMAGE_MAX_BYTES
    if upload is None or not upload.size:
        raise ValidationError({"file": _("画像ファイルを選んでください。")})
    if upload.size > limit:
        raise ValidationError(
            {"file": _("画像は%(mb)s MBまでです。") % {"mb": f"{limit / 1024 / 1024:.0f}"}},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_image_type(head)
    if content_type is None:
        raise ValidationError({"file": _("登録できる画像は PNG・JPEG・GIF・WebP です。")})
    image = ArticleImage(
        content_type=content_type,
        size=upload.size,
        original_name=(upload.name or "")[-255:],
        alt=alt[:200],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    image.file.save(image.pk.hex, upload, save=False)
    image.full_clean()
    image.save()
    log_change(
        actor=actor,
        instance=image,
        action=ChangeAction.CREATE,
        after=snapshot(image, ["content_type", "size", "original_name", "alt"]),
    )
    return image


# --- IT-company directory ----------------------------------------------------------------------------------------

PROFILE_FIELDS = ("name", "name_kana", "summary", "description", "website", "contact_email", "founded_year")
PROFILE_FKS = ("region", "municipality", "employees_band")


def _itcompany_refresh(company: ITCompany) -> None:
    places = [p.name for p in (company.region, company.municipality) if p is not None]
    company.search_text = itcompany_search_text(
        company,
        [c.label_ja for c in company.challenges.all()],
        [i.name for i in company.industries.all()],
        places,
    )
    ITCompany.objects.filter(pk=company.pk).update(search_text=company.search_text)


def _profile_snapshot(company: ITCompany) -> dict[str, Any]:
    data = snapshot(company, [*PROFILE_FIELDS, *PROFILE_FKS, "approved", "company"])
    if company.pk:
        data["challenges"] = sorted(company.challenges.values_list("code", flat=True))
        data["industries"] = sorted(company.industries.values_list("code", flat=True))
    return data


def _profile_apply(company: ITCompany, values: dict[str, Any]) -> None:
    for name in (*PROFILE_FIELDS, *PROFILE_FKS, "company"):
        if name in values:
            setattr(company, name, values[name])


def _profile_relations(company: ITCompany, values: dict[str, Any]) -> None:
    if "challenges" in values:
        company.challenges.set(values["challenges"])
    if "industries" in values:
        company.industries.set(values["industries"])


@transaction.atomic
def itcompany_create(*, actor, values: dict[str, Any], members: Sequence = (), approved: bool = False) -> ITCompany:
    """Staff register an IT company in the directory (published at once when `approved`)."""
    company = ITCompany()
    _profile_apply(company, values)
    if approved:
        company.approved, company.approved_at = True, timezone.now()
    company.full_clean(exclude=["challenges", "industries", "members"])
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError as error:
        raise ValidationError({"company": _("この企業台帳の企業はすでに掲載されています。")}) from error
    _profile_relations(company, values)
    company.members.set(members)
    _itcompany_refresh(company)
    log_change(actor=actor, instance=company, action=ChangeAction.CREATE, after=_profile_snapshot(company))
    return company


@transaction.atomic
def itcompany_update(*, actor, it_company: ITCompany, values: dict[str, Any]) -> ITCompany:
    """Staff edit a profile directly (what they save is what the public sees)."""
    before = _profile_snapshot(it_company)
    _profile_apply(it_company, values)
    if "approved" in values and bool(values["approved"]) != it_company.approved:
        it_company.approved = bool(values["approved"])
        it_company.approved_at = timezone.now() if it_company.approved else None
    it_company.full_clean(exclude=["challenges", "industries", "members"])
    it_company.save()
    _profile_relations(it_company, values)
    if "members" in values:
        it_company.members.set(values["members"])
    _itcompany_refresh(it_company)
    log_change(
        actor=actor, instance=it_company, action=ChangeAction.UPDATE, before=before, after=_profile_snapshot(it_company)
    )
    return it_company


def revision_data(values: dict[str, Any]) -> dict[str, Any]:
    """The JSON a revision stores: plain values, ids of reference rows, codes of the code lists."""
    data: dict[str, Any] = {name: values.get(name) for name in PROFILE_FIELDS if name in values}
    for name in PROFILE_FKS:
        if name in values:
            data[f"{name}_id"] = values[name].pk if values[name] is not None else None
    if "challenges" in values:
        data["challenges"] = sorted(c.code for c in values["challenges"])
    if "industries" in values:
        data["industries"] = sorted(i.code for i in values["industries"])
    return data


def revision_values(data: dict[str, Any]) -> dict[str, Any]:
    """`revision_data` back to model values (reference rows that vanished are left out)."""
    from kakehashi.reference.models import Municipality, Region

    values: dict[str, Any] = {name: data[name] for name in PROFILE_FIELDS if name in data}
    models_by_fk = {"region": Region, "municipality": Municipality, "employees_band": CodeItem}
    for name, model in models_by_fk.items():
        key = f"{name}_id"
        if key in data:
            values[name] = model.objects.filter(pk=data[key]).first() if data[key] else None
    if "challenges" in data:
        values["challenges"] = list(CodeItem.objects.filter(list="challenge", code__in=data["challenges"]))
    if "industries" in data:
        values["industries"] = list(Industry.objects.filter(code__in=data["industries"]))
    return values


@transaction.atomic
def itcompany_revision_submit(*, actor, it_company: ITCompany, values: dict[str, Any]) -> ITCompanyRevision:
    """A member of the company proposes new profile values; staff approve them before the public sees them.

    A second proposal while one is pending replaces the pending one (one pending revision per company).
    """
    if not it_company.members.filter(pk=actor.pk).exists():
        raise ValidationError(_("この企業の掲載内容を管理するメンバーではありません。"))
    trial = ITCompany(pk=it_company.pk, approved=it_company.approved, approved_at=it_company.approved_at)
    for name in (*PROFILE_FIELDS, *PROFILE_FKS, "company"):
        setattr(trial, name, getattr(it_company, name))
    _profile_apply(trial, values)
    trial.full_clean(exclude=["challenges", "industries", "members", "company"], validate_unique=False)
    data = revision_data(values)
    revision = (
        ITCompanyRevision.objects.select_for_update()
        .filter(it_company=it_company, status=RevisionStatus.PENDING)
        .first()
    )
    if revision is None:
        revision = ITCompanyRevision(it_company=it_company, submitted_by=actor, data=data)
        revision.full_clean()
        revision.save()
        log_change(actor=actor, instance=revision, action=ChangeAction.CREATE)
    else:
        before = snapshot(revision)
        revision.data, revision.submitted_by = data, actor
        revision.full_clean()
        revision.save()
        log_change(actor=actor, instance=revision, action=ChangeAction.UPDATE, before=before)
    return revision


def _decide(revision: ITCompanyRevision, *, actor, status: str, note: str) -> None:
    if revision.status != RevisionStatus.PENDING:
        raise ValidationError(_("この申請はすでに処理されています。"))
    before = snapshot(revision)
    revision.status = status
    revision.decided_by = actor
    revision.decided_at = timezone.now()
    revision.decision_note = (note or "")[:500]
    revision.full_clean()
    revision.save()
    log_change(actor=actor, instance=revision, action=ChangeAction.STATUS, before=before)


@transaction.atomic
def itcompany_revision_approve(*, actor, revision: ITCompanyRevision, note: str = "") -> ITCompany:
    """Staff approve a proposal: its values become the published profile (and the company is listed)."""
    revision = ITCompanyRevision.objects.select_for_update().get(pk=revision.pk)
    _decide(revision, actor=actor, status=RevisionStatus.APPROVED, note=note)
    values = revision_values(revision.data)
    values["approved"] = True
    return itcompany_update(actor=actor, it_company=revision.it_company, values=values)


@transaction.atomic
def itcompany_revision_reject(*, actor, revision: ITCompanyRevision, note: str) -> ITCompanyRevision:
    """Staff send a proposal back with a reason; the published profile stays as it was."""
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("差し戻す理由を書いてください。")})
    revision = ITCompanyRevision.objects.select_for_update().get(pk=revision.pk)
    _decide(revision, actor=actor, status=RevisionStatus.REJECTED, note=note)
    return revision


# --- Consultation requests ---------------------------------------------------------------------------------------

# A registry match at or above this score is linked to the request; lower ones are left for staff.
CONSULTATION_MATCH_SCORE = 80


@transaction.atomic
def consultation_submit(*, values: dict[str, Any], challenges: Sequence[CodeItem] = ()) -> ConsultationRequest:
    """A visitor asks the foundation for a consultation. Matches the company in the registry; notifies staff.

    `values`: company_name, person_name, email, phone, municipality, message, consent.
    """
    from kakehashi.companies.matching import company_match

    request = ConsultationRequest(
        company_name=" ".join((values.get("company_name") or "").split()),
        person_name=" ".join((values.get("person_name") or "").split()),
        email=(values.get("email") or "").strip(),
        phone=(values.get("phone") or "").strip(),
        municipality=values.get("municipality"),
        message=(values.get("message") or "").strip(),
        consent=bool(values.get("consent")),
    )
    if not request.consent:
        raise ValidationError({"consent": _("個人情報の取扱いに同意いただくと送信できます。")})
    request.full_clean(exclude=["challenges"])
    candidates = company_match(request.company_name, municipality=request.municipality, limit=1)
    if candidates and candidates[0].score >= CONSULTATION_MATCH_SCORE:
        request.company = candidates[0].company
        request.match_score = candidates[0].score
        request.match_reasons = list(candidates[0].reasons)
    request.save()
    request.challenges.set(challenges)
    log_change(actor=None, instance=request, action=ChangeAction.CREATE, after=snapshot(request, ["status", "company"]))
    transaction.on_commit(lambda: _consultation_notify(request.pk))
    return request


def _consultation_notify(pk: int) -> None:
    request = ConsultationRequest.objects.filter(pk=pk).first()
    recipients = settings.KAKEHASHI_PORTAL_CONSULTATION_NOTIFY
    if request is None or not recipients:
        return
    # No personal data in the notice: staff open the inbox (signed in) to read it.
    body = render_to_string("portal/email/consultation_notice.txt", {"request": request, "path": _inbox_path(pk)})
    EmailMessage(_("【ポータル】新しい相談依頼が届きました"), body, to=list(recipients)).send(fail_silently=True)


def _inbox_path(pk: int) -> str:
    return reverse("portal:consultation_detail", kwargs={"pk": pk})


@transaction.atomic
def consultation_update(
    *,
    actor,
    consultation: ConsultationRequest,
    status: str | None = None,
    staff_note: str | None = None,
    assigned_to=None,
    company=None,
) -> ConsultationRequest:
    """Staff move a request along (status, assignee, note, registry link)."""
    before = snapshot(consultation, CONSULTATION_LOGGED_FIELDS)
    if status is not None:
        consultation.status = status
        closed = status in {ConsultationStatus.DONE, ConsultationStatus.NO_ACTION}
        consultation.closed_at = (consultation.closed_at or timezone.now()) if closed else None
    if staff_note is not None:
        consultation.staff_note = staff_note
    if assigned_to is not None:
        consultation.assigned_to = assigned_to or None
    if company is not None:
        consultation.company = company or None
    consultation.full_clean(exclude=["challenges"])
    consultation.save()
    log_change(
        actor=actor,
        instance=consultation,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(consultation, CONSULTATION_LOGGED_FIELDS),
    )
    return consultation


# --- Mail magazine -----------------------------------------------------------------------------------------------


def public_url(path: str, base_url: str = "") -> str:
    """An absolute URL for mails: KAKEHASHI_PUBLIC_BASE_URL when set, else the request's own origin."""
    base = (settings.KAKEHASHI_PUBLIC_BASE_URL or base_url or "http://localhost:8000").rstrip("/")
    return base + path


def confirm_token(subscriber: Subscriber) -> str:
    sent = subscriber.confirmation_sent_at.isoformat() if subscriber.confirmation_sent_at else ""
    return signing.dumps([subscriber.pk, sent], salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)


def subscriber_for_confirm_token(token: str) -> Subscriber | None:
    """The subscriber a confirmation link is for, if the link is genuine, recent and the latest one sent."""
    try:
        pk, sent = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or subscriber.confirmation_sent_at is None:
        return None
    if subscriber.confirmation_sent_at.isoformat() != sent:
        return None
    return subscriber


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscriber.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


@transaction.atomic
def subscriber_request(*, email: str, base_url: str = "") -> Subscriber:
    """Sign-up: store the address as pending and mail a confirmation link (double opt-in).

    The answer is the same whether or not the address was known (no one learns who subscribes); a confirmed
    address gets no mail, and a pending one is re-sent at most every RESEND_INTERVAL seconds.
    """
    email = normalise_email(email)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=email, status=SubscriberStatus.PENDING, confirmation_sent_at=now)
        subscriber.full_clean()
        try:
            with transaction.atomic():
                subscriber.save()
        except IntegrityError:  # a racing sign-up with the same address
            return Subscriber.objects.get(email=email)
        log_change(actor=None, instance=subscriber, action=ChangeAction.CREATE, after={"status": subscriber.status})
    elif subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    else:
        recent = subscriber.confirmation_sent_at and (now - subscriber.confirmation_sent_at).total_seconds() < (
            RESEND_INTERVAL
        )
        if subscriber.status == SubscriberStatus.PENDING and recent:
            return subscriber
        before = {"status": subscriber.status}
        subscriber.status = SubscriberStatus.PENDING
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["status", "confirmation_sent_at", "updated_at"])
        log_change(
            actor=None, instance=subscriber, action=ChangeAction.STATUS, before=before, after={"status": "pending"}
        )
    link = public_url(reverse("portal:magazine_confirm", kwargs={"token": confirm_token(subscriber)}), base_url)
    transaction.on_commit(lambda: _send_confirmation(subscriber.email, link))
    return subscriber


def _send_confirmation(email: str, link: str) -> None:
    body = render_to_string("portal/email/magazine_confirm.txt", {"link": link, "max_days": CONFIRM_MAX_AGE // 86400})
    EmailMessage(_("【メールマガジン】登録の確認"), body, to=[email]).send(fail_silently=True)


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """The confirmation link was followed: the address is subscribed from now on."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    before = {"status": subscriber.status}
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.full_clean()
    subscriber.save()
    log_change(
        actor=None, instance=subscriber, action=ChangeAction.STATUS, before=before, after={"status": "confirmed"}
    )
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, actor=None) -> Subscriber:
    """Stop sending: one click from a mail (RFC 8058) or the link's page. Unsubscribing twice is harmless."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    before = {"status": subscriber.status}
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    log_change(
        actor=actor, instance=subscriber, action=ChangeAction.STATUS, before=before, after={"status": "unsubscribed"}
    )
    return subscriber


def magazine_message(subscriber: Subscriber, *, subject: str, body: str, base_url: str = "") -> EmailMessage:
    """One issue for one subscriber, with the one-click unsubscribe headers of RFC 2369 / RFC 8058."""
    link = public_url(reverse("portal:magazine_unsubscribe", kwargs={"token": unsubscribe_token(subscriber)}), base_url)
    text = render_to_string("portal/email/magazine_issue.txt", {"body": body, "unsubscribe": link})
    return EmailMessage(
        subject,
        text,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


@transaction.atomic
def magazine_issue_send(*, actor, subject: str, body: str, base_url: str = "") -> MagazineIssue:
    """Send one issue to every confirmed subscriber (one mail each, so no address sees another)."""
    issue = MagazineIssue(subject=subject.strip(), body=body.strip(), sent_by=actor)
    issue.full_clean()
    recipients = list(Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).order_by("pk"))
    issue.recipients = len(recipients)
    issue.save()
    log_change(actor=actor, instance=issue, action=ChangeAction.CREATE)
    messages = [magazine_message(s, subject=issue.subject, body=issue.body, base_url=base_url) for s in recipients]

    def _send() -> None:
        with get_connection() as connection:
            connection.send_messages(messages)

    transaction.on_commit(_send)
    return issue
