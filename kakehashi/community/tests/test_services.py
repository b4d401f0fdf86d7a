import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kakehashi.accounts.choices import Role
from kakehashi.companies.tests.factories import CompanyFactory
from kakehashi.core.models import ChangeLogEntry

from .. import services
from ..choices import IntroductionStatus, NotificationKind, NotifyFrequency, OrganisationKind, ProjectStage
from ..models import Member, Notification, Organisation, ProjectStageChange
from ..selectors import community_kpis
from .factories import MemberFactory, OrganisationFactory, ThreadFactory, TopicFactory, challenge

pytestmark = pytest.mark.django_db
VERIFY = "https://example.jp/community/join/{token}/"


def _signup(**overrides):
    data = {
        "email": "Taro@Example.jp",
        "username": "taro",
        "display_name": "山田 太郎",
        "kind": OrganisationKind.LOCAL,
        "organisation_name": "株式会社 蔵王精機",
        "it_company_id": None,
        "verify_url": VERIFY,
    }
    data.update(overrides)
    services.member_signup_request(**data)
    return mail.outbox[-1]


def _token(message) -> str:
    return message.body.split("/community/join/")[1].split("/")[0]


# --- Sign-up and verification ------------------------------------------------------------------------------------


def test_signup_mails_a_signed_link_and_stores_nothing():
    message = _signup()
    assert message.to == ["taro@example.jp"]
    assert Member.objects.count() == 0
    assert Organisation.objects.count() == 0
    payload = services.signup_payload(_token(message))
    assert payload["username"] == "taro"
    assert payload["email"] == "taro@example.jp"


def test_verification_creates_user_role_organisation_and_profile():
    payload = services.signup_payload(_token(_signup()))
    member = services.member_verify(payload=payload, password="a-Long-pass-2026")
    assert member.user.check_password("a-Long-pass-2026")
    assert member.user.has_role(Role.COMPANY_MEMBER)
    assert not member.user.has_role(Role.IT_COMPANY_MEMBER)
    assert member.organisation.name == "株式会社 蔵王精機"
    assert ChangeLogEntry.objects.filter(object_id=str(member.pk), action="create").exists()


def test_an_it_company_member_gets_the_it_role():
    payload = services.signup_payload(_token(_signup(kind=OrganisationKind.IT, organisation_name="最上ソフト合同会社")))
    member = services.member_verify(payload=payload, password="a-Long-pass-2026")
    assert member.user.has_role(Role.IT_COMPANY_MEMBER)
    assert member.organisation.kind == OrganisationKind.IT


def test_tampered_or_expired_links_are_refused(settings):
    token = _token(_signup())
    assert services.signup_payload(token[:-2] + "xx") is None
    settings.KAKEHASHI_COMMUNITY_SIGNUP_MAX_AGE = -1
    assert services.signup_payload(token) is None


def test_a_link_opened_twice_creates_one_account():
    payload = services.signup_payload(_token(_signup()))
    services.member_verify(payload=payload, password="a-Long-pass-2026")
    with pytest.raises(ValidationError):
        services.member_verify(payload=payload, password="a-Long-pass-2026")
    assert Member.objects.count() == 1


def test_a_known_address_gets_a_notice_instead_of_a_link():
    MemberFactory(user__email="taro@example.jp")
    message = _signup()
    assert "/community/join/" not in message.body
    assert "すでに登録" in message.subject


# --- Organisations ------------------------------------------------------------------------------------------------


def test_name_variants_are_one_organisation():
    first = services.organisation_resolve(actor=None, kind=OrganisationKind.LOCAL, name="株式会社蔵王精機")
    second = services.organisation_resolve(actor=None, kind=OrganisationKind.LOCAL, name="（株）蔵王精機")
    assert first == second


def test_a_local_company_is_linked_to_its_registry_record():
    company = CompanyFactory(name="株式会社月山食品")
    organisation = services.organisation_resolve(actor=None, kind=OrganisationKind.LOCAL, name="月山食品株式会社")
    assert organisation.company == company
    again = services.organisation_resolve(actor=None, kind=OrganisationKind.LOCAL, name="㈱月山食品")
    assert again == organisation


def test_an_unknown_company_is_not_linked():
    CompanyFactory(name="株式会社月山食品")
    organisation = services.organisation_resolve(actor=None, kind=OrganisationKind.LOCAL, name="羽州物産株式会社")
    assert organisation.company is None


def test_an_empty_organisation_name_is_refused():
    with pytest.raises(ValidationError):
        services.organisation_resolve(actor=None, kind=OrganisationKind.LOCAL, name="  ")


# --- Profile ------------------------------------------------------------------------------------------------------


def test_profile_update_sets_codes_and_logs():
    member = MemberFactory()
    services.member_update(
        actor=member.user,
        member=member,
        title="製造部長",
        offers_text="",
        needs_text="在庫管理を紙から移したい",
        offer_challenges=[],
        need_challenges=[challenge("procurement")],
        notify_frequency=NotifyFrequency.IMMEDIATE,
    )
    member.refresh_from_db()
    assert list(member.need_challenges.values_list("code", flat=True)) == ["procurement"]
    entry = ChangeLogEntry.objects.filter(object_id=str(member.pk), action="update").latest("pk")
    assert entry.changes["need_challenges"] == [[], ["procurement"]]


def test_profile_refuses_codes_from_another_list():
    from kakehashi.companies.tests.factories import CodeItemFactory

    member = MemberFactory()
    with pytest.raises(ValidationError):
        services.member_update(
            actor=member.user,
            member=member,
            title="",
            offers_text="",
            needs_text="",
            offer_challenges=[CodeItemFactory(list="barrier", code="budget")],
            need_challenges=[],
            notify_frequency=NotifyFrequency.DAILY,
        )


# --- Introductions ------------------------------------------------------------------------------------------------


def test_introduction_flow_notifies_both_sides():
    asker = MemberFactory(notify_frequency=NotifyFrequency.IMMEDIATE)
    other = MemberFactory(notify_frequency=NotifyFrequency.IMMEDIATE)
    mail.outbox.clear()
    with pytest.MonkeyPatch.context():
        intro = services.introduction_request(actor=asker.user, requester=asker, recipient=other, message="在庫の件で")
    assert intro.status == IntroductionStatus.REQUESTED
    assert Notification.objects.get(member=other).kind == NotificationKind.INTRO_REQUESTED
    services.introduction_respond(actor=other.user, introduction=intro, accept=True, message="ぜひ")
    intro.refresh_from_db()
    assert intro.status == IntroductionStatus.ACCEPTED
    assert intro.responded_at
    assert Notification.objects.get(member=asker).kind == NotificationKind.INTRO_ANSWERED
    with pytest.raises(ValidationError):
        services.introduction_respond(actor=other.user, introduction=intro, accept=False)


def test_immediate_mail_is_sent_after_commit(django_capture_on_commit_callbacks):
    asker = MemberFactory()
    other = MemberFactory(notify_frequency=NotifyFrequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_request(actor=asker.user, requester=asker, recipient=other, message="よろしく")
    assert [m.to for m in mail.outbox] == [[other.user.email]]
    assert Notification.objects.get(member=other).emailed_at is not None


def test_introduction_rules():
    asker = MemberFactory()
    colleague = MemberFactory(organisation=asker.organisation)
    other = MemberFactory()
    with pytest.raises(ValidationError):
        services.introduction_request(actor=asker.user, requester=asker, recipient=colleague, message="x")
    services.introduction_request(actor=asker.user, requester=asker, recipient=other, message="x")
    with pytest.raises(ValidationError):  # one open request per pair
        services.introduction_request(actor=asker.user, requester=asker, recipient=other, message="x")
    banned = MemberFactory(banned_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.introduction_request(actor=banned.user, requester=banned, recipient=other, message="x")


# --- Threads, mentions, notifications, digest --------------------------------------------------------------------


def test_thread_post_mentions_and_replies_notify():
    author = MemberFactory(user__username="sato")
    named = MemberFactory(user__username="kimura")
    thread = services.thread_create(
        actor=author.user, author=author, topic=TopicFactory(), title="在庫管理の相談", body="@kimura さん、ご意見を"
    )
    first = thread.posts.get()
    assert list(first.mentions.all()) == [named]
    assert Notification.objects.get(member=named).kind == NotificationKind.MENTION
    replier = MemberFactory()
    services.post_create(actor=replier.user, author=replier, thread=thread, body="うちでもやりました @sato @nobody")
    kinds = dict(Notification.objects.filter(member=author).values_list("kind", "member"))
    assert NotificationKind.MENTION in kinds  # mentioned, so no second "reply" notice
    assert Notification.objects.filter(member=author).count() == 1
    assert Notification.objects.filter(member=replier).count() == 0


def test_mentions_ignore_email_addresses_and_self():
    author = MemberFactory(user__username="sato")
    MemberFactory(user__username="example")
    assert services.mentioned_members("連絡先 info@example と @sato", author=author) == []


def test_daily_digest_sends_one_mail_per_member_once():
    author = MemberFactory()
    daily = MemberFactory(user__username="daily1", notify_frequency=NotifyFrequency.DAILY)
    off = MemberFactory(user__username="off1", notify_frequency=NotifyFrequency.OFF)
    thread = ThreadFactory(author=author)
    services.post_create(actor=author.user, author=author, thread=thread, body="@daily1 @off1 お知らせです")
    services.post_create(actor=author.user, author=author, thread=thread, body="@daily1 もう一件")
    mail.outbox.clear()
    assert services.digest_send() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [daily.user.email]
    assert "2 件" in mail.outbox[0].subject
    assert not Notification.objects.filter(member=daily, emailed_at__isnull=True).exists()
    assert Notification.objects.filter(member=off, emailed_at__isnull=True).count() == 1  # kept on the site only
    assert services.digest_send() == 0


def test_digest_command(capsys):
    from django.core.management import call_command

    author = MemberFactory()
    MemberFactory(user__username="daily2", notify_frequency=NotifyFrequency.DAILY)
    services.post_create(actor=author.user, author=author, thread=ThreadFactory(author=author), body="@daily2 どうも")
    mail.outbox.clear()
    call_command("send_community_digest")
    assert len(mail.outbox) == 1
    assert "1" in capsys.readouterr().out


# --- Moderation ---------------------------------------------------------------------------------------------------


def test_report_hide_and_ban(make_user):
    moderator = make_user("manager")
    author = MemberFactory()
    reader = MemberFactory()
    thread = ThreadFactory(author=author)
    post = services.post_create(actor=author.user, author=author, thread=thread, body="宣伝です")
    report = services.post_report(actor=reader.user, reporter=reader, post=post, reason="宣伝")
    with pytest.raises(ValidationError):
        services.post_report(actor=reader.user, reporter=reader, post=post, reason="再度")
    services.post_hide(actor=moderator, post=post, reason="宣伝のため")
    report.refresh_from_db()
    assert post.is_hidden
    assert report.resolved_by == moderator
    services.member_ban(actor=moderator, member=author, reason="繰り返しの宣伝")
    with pytest.raises(PermissionDenied):
        services.post_create(actor=author.user, author=author, thread=thread, body="また")
    services.member_unban(actor=moderator, member=author)
    services.post_create(actor=author.user, author=author, thread=thread, body="失礼しました")
    services.post_unhide(actor=moderator, post=post)
    assert not post.is_hidden


def test_meetup_proposal_once():
    member = MemberFactory()
    thread = ThreadFactory(author=member)
    services.thread_propose_meetup(actor=member.user, member=member, thread=thread)
    assert thread.meetup_proposed_by == member
    with pytest.raises(ValidationError):
        services.thread_propose_meetup(actor=member.user, member=member, thread=thread)


# --- Projects and the KPI -----------------------------------------------------------------------------------------


def _pair():
    local = MemberFactory(organisation=OrganisationFactory(kind=OrganisationKind.LOCAL))
    it = MemberFactory(organisation=OrganisationFactory(kind=OrganisationKind.IT))
    return local, it


def test_a_project_needs_two_organisations():
    local, _it = _pair()
    colleague = MemberFactory(organisation=local.organisation)
    with pytest.raises(ValidationError) as error:
        services.project_create(
            actor=local.user, creator=local, title="在庫の見える化", summary="", participants=[colleague]
        )
    assert "participants" in error.value.message_dict


def test_project_moves_forward_with_dated_history_and_counts_as_new_business():
    local, it = _pair()
    start = timezone.localdate() - datetime.timedelta(days=60)
    project = services.project_create(
        actor=local.user, creator=local, title="在庫の見える化", summary="", participants=[it], started_on=start
    )
    assert project.stage == ProjectStage.IDEA
    assert community_kpis()["new_businesses"] == 0
    with pytest.raises(ValidationError):  # before the previous stage's date
        services.project_advance(actor=it.user, project=project, on=start - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):  # future
        services.project_advance(actor=it.user, project=project, on=timezone.localdate() + datetime.timedelta(days=1))
    project = services.project_advance(actor=it.user, project=project, on=start + datetime.timedelta(days=10))
    assert project.stage == ProjectStage.TRIAL
    assert project.launched_on is None
    project = services.project_advance(actor=it.user, project=project, on=start + datetime.timedelta(days=40))
    assert project.stage == ProjectStage.LAUNCHED
    assert project.launched_on == start + datetime.timedelta(days=40)
    with pytest.raises(ValidationError):
        services.project_advance(actor=it.user, project=project)
    history = list(ProjectStageChange.objects.filter(project=project).values_list("from_stage", "to_stage"))
    assert history == [("", "idea"), ("idea", "trial"), ("trial", "launched")]
    kpis = community_kpis()
    assert kpis["new_businesses"] == 1
    assert kpis["projects_by_stage"] == {"idea": 0, "trial": 0, "launched": 1}


def test_database_refuses_a_launch_without_date():
    from django.db import IntegrityError, transaction

    local, it = _pair()
    project = services.project_create(actor=local.user, creator=local, title="x", summary="", participants=[it])
    with pytest.raises(IntegrityError), transaction.atomic():
        type(project).objects.filter(pk=project.pk).update(stage=ProjectStage.LAUNCHED)


def test_kpis_count_registrants_active_members_and_introductions():
    now = timezone.now()
    active = MemberFactory()
    active.user.last_login = now - datetime.timedelta(days=3)
    active.user.save()
    idle = MemberFactory()
    idle.user.last_login = now - datetime.timedelta(days=45)
    idle.user.save()
    poster = MemberFactory()
    services.post_create(actor=poster.user, author=poster, thread=ThreadFactory(author=idle), body="こんにちは")
    intro = services.introduction_request(actor=active.user, requester=active, recipient=poster, message="x")
    services.introduction_request(actor=active.user, requester=active, recipient=idle, message="x")
    services.introduction_respond(actor=poster.user, introduction=intro, accept=True)
    kpis = community_kpis(now=now)
    assert kpis["registrants"] == 3
    assert kpis["active_members"] == 2
    assert kpis["introductions_requested"] == 2
    assert kpis["introductions_accepted"] == 1


def test_signing_up_for_a_directory_it_company_joins_its_organisation():
    from kakehashi.portal.tests.factories import ITCompanyFactory

    listed = ITCompanyFactory(name="杜の都ソフトウェア合同会社")
    unlisted = ITCompanyFactory(approved=False, approved_at=None)
    payload = services.signup_payload(
        _token(_signup(kind=OrganisationKind.LOCAL, organisation_name="", it_company_id=listed.pk))
    )
    member = services.member_verify(payload=payload, password="a-Long-pass-2026")
    assert member.organisation.it_company == listed
    assert member.organisation.kind == OrganisationKind.IT
    assert member.user.has_role(Role.IT_COMPANY_MEMBER)
    # A colleague picking the same entry joins the same organisation; an unlisted entry is ignored.
    payload = services.signup_payload(
        _token(_signup(email="b@example.jp", username="b_user", organisation_name="", it_company_id=listed.pk))
    )
    assert services.member_verify(payload=payload, password="a-Long-pass-2026").organisation == member.organisation
    assert services._it_company(unlisted.pk) is None
