import re

import pytest
from django.core import mail
from django.urls import reverse

from ..choices import IntroductionStatus, ProjectStage
from ..models import Introduction, Member, Notification, Project
from .factories import MemberFactory, OrganisationFactory, PostFactory, ThreadFactory, TopicFactory, challenge

pytestmark = pytest.mark.django_db


def _client(member):
    from django.test import Client

    client = Client()
    client.force_login(member.user)
    return client


def test_join_verify_profile_and_see_suggestions(client):
    challenge("procurement", "調達・在庫・物流")
    it = MemberFactory(
        organisation=OrganisationFactory(kind="it", name="さくらシステム合同会社"), offers=["procurement"]
    )
    response = client.post(
        reverse("community:signup"),
        {
            "display_name": "蔵王 花子",
            "email": "hanako@example.jp",
            "username": "hanako",
            "kind": "local",
            "organisation_name": "株式会社蔵王精機",
            "agree": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    link = re.search(r"https?://\S+/community/join/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, {"password1": "zao-Seiki-2026!", "password2": "zao-Seiki-2026!"})
    assert response.status_code == 302
    assert response["Location"] == reverse("community:profile_edit")
    member = Member.objects.get(user__username="hanako")
    response = client.post(
        reverse("community:profile_edit"),
        {
            "title": "総務",
            "need_challenges": [challenge("procurement").pk],
            "needs_text": "在庫管理",
            "notify_frequency": "daily",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("community:suggestions"))
    assert page.context["page"].object_list[0].member == it
    assert "あなたの課題「調達・在庫・物流」に対応できます" in page.content.decode()
    assert member.organisation.name == "株式会社蔵王精機"


def test_signup_form_errors_are_shown(client):
    MemberFactory(user__username="taken")
    response = client.post(reverse("community:signup"), {"username": "taken", "kind": "local"})
    assert response.status_code == 200
    assert "このユーザー名はすでに使われています" in response.content.decode()
    assert not mail.outbox


def test_a_bad_link_says_so(client):
    response = client.get(reverse("community:verify", kwargs={"token": "nonsense"}))
    assert response.status_code == 400
    assert "無効" in response.content.decode()


def test_introduction_request_and_answer_through_the_pages():
    asker = MemberFactory(needs=["procurement"])
    other = MemberFactory(offers=["procurement"])
    response = _client(asker).post(
        reverse("community:introduction_create", kwargs={"pk": other.pk}), {"message": "在庫の件でご相談したいです"}
    )
    assert response.status_code == 302
    intro = Introduction.objects.get()
    assert intro.reasons
    assert intro.reasons[0].startswith("あなたの課題")
    # Only the recipient may answer; the asker gets 404.
    assert (
        _client(asker)
        .post(reverse("community:introduction_answer", kwargs={"pk": intro.pk}), {"decision": "accept"})
        .status_code
        == 404
    )
    _client(other).post(reverse("community:introduction_answer", kwargs={"pk": intro.pk}), {"decision": "accept"})
    intro.refresh_from_db()
    assert intro.status == IntroductionStatus.ACCEPTED
    page = _client(asker).get(reverse("community:introduction_list")).content.decode()
    assert other.user.email in page  # contact shown once accepted


def test_contact_is_not_shown_before_acceptance():
    asker = MemberFactory()
    other = MemberFactory()
    _client(asker).post(reverse("community:introduction_create", kwargs={"pk": other.pk}), {"message": "よろしく"})
    assert other.user.email not in _client(asker).get(reverse("community:introduction_list")).content.decode()


def test_thread_create_reply_and_mention():
    topic = TopicFactory(slug="zaiko")
    author = MemberFactory(user__username="sato")
    named = MemberFactory(user__username="kimura")
    response = _client(author).post(
        reverse("community:thread_create", kwargs={"slug": "zaiko"}),
        {"title": "在庫の相談", "body": "@kimura さんどう思いますか"},
    )
    thread = topic.threads.get()
    assert response["Location"] == thread.get_absolute_url()
    response = _client(named).post(thread.get_absolute_url(), {"body": "<script>alert(1)</script> 良いと思います"})
    assert response.status_code == 302
    assert Notification.objects.filter(member=named, kind="mention").exists()
    assert Notification.objects.filter(member=author, kind="reply").exists()
    page = _client(author).get(thread.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in page


def test_hidden_posts_keep_their_place_but_not_their_text(client_for):
    post = PostFactory(body="不適切な宣伝")
    reader = MemberFactory()
    moderator = client_for("manager")
    moderator.post(reverse("community:post_moderate", kwargs={"pk": post.pk}), {"action": "hide", "reason": "宣伝"})
    post.refresh_from_db()
    assert post.is_hidden
    page = _client(reader).get(post.thread.get_absolute_url()).content.decode()
    assert "不適切な宣伝" not in page
    assert "非表示" in page
    assert "不適切な宣伝" in moderator.get(post.thread.get_absolute_url()).content.decode()


def test_a_banned_member_can_read_but_not_post(client_for):
    member = MemberFactory()
    thread = ThreadFactory()
    client_for("coordinator").post(reverse("community:member_ban", kwargs={"pk": member.pk}), {"reason": "荒らし"})
    member.refresh_from_db()
    assert member.is_banned
    client = _client(member)
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert client.post(thread.get_absolute_url(), {"body": "まだ書ける？"}).status_code == 403
    assert client.get(reverse("community:thread_create", kwargs={"slug": thread.topic.slug})).status_code == 403


def test_report_appears_on_the_moderation_page(client_for):
    post = PostFactory()
    reader = MemberFactory()
    _client(reader).post(reverse("community:post_report", kwargs={"pk": post.pk}), {"reason": "誹謗中傷"})
    page = client_for("prefecture").get(reverse("community:moderation"))
    assert "誹謗中傷" in page.content.decode()


def test_project_registered_with_an_introduced_partner_reaches_launch(client_for):
    local = MemberFactory(organisation=OrganisationFactory(kind="local"))
    it = MemberFactory(organisation=OrganisationFactory(kind="it"))
    Introduction.objects.create(requester=local, recipient=it, message="x", status=IntroductionStatus.ACCEPTED)
    client = _client(local)
    form = client.get(reverse("community:project_create")).context["form"]
    assert list(form.fields["participants"].queryset) == [it]
    response = client.post(
        reverse("community:project_create"),
        {"title": "受発注のデジタル化", "summary": "", "participants": [it.pk], "started_on": "2026-04-01"},
    )
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    for day in ("2026-06-01", "2026-10-01"):
        _client(it).post(reverse("community:project_advance", kwargs={"pk": project.pk}), {"on": day})
    project.refresh_from_db()
    assert project.stage == ProjectStage.LAUNCHED
    panel = client_for("manager").get(reverse("community:home")).content.decode()
    assert "新事業創出" in panel
    assert client_for("manager").get(reverse("community:home")).context["kpis"]["new_businesses"] == 1


def test_a_project_with_one_organisation_is_refused_on_the_form():
    local = MemberFactory()
    colleague = MemberFactory(organisation=local.organisation)
    response = _client(local).post(
        reverse("community:project_create"),
        {"title": "社内だけ", "participants": [colleague.pk], "started_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "2つ以上の組織" in response.content.decode()
    assert not Project.objects.exists()


def test_lists_keep_a_bounded_query_count(django_assert_max_num_queries):
    me = MemberFactory()
    topic = TopicFactory(slug="many")
    for _ in range(15):
        PostFactory(thread=ThreadFactory(topic=topic))
    client = _client(me)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("community:topic_detail", kwargs={"slug": "many"})).status_code == 200
    thread = ThreadFactory(topic=topic)
    for _ in range(20):
        PostFactory(thread=thread, author=MemberFactory())
    with django_assert_max_num_queries(20):
        assert client.get(thread.get_absolute_url()).status_code == 200


def test_kpi_api_and_dashboard_panel(client_for):
    from kakehashi.insights.panels import registered_panels

    assert "community" in {p.key for p in registered_panels()}
    MemberFactory()
    response = client_for("manager").get("/api/v1/community/kpis")
    assert response.status_code == 200
    body = response.json()
    assert body["registrants"] == 1
    assert set(body["projects_by_stage"]) == {"idea", "trial", "launched"}
    assert "30日" in body["definitions"]["active_members"]
    assert client_for("company_member").get("/api/v1/community/kpis").status_code == 403


def test_staff_turn_a_meetup_proposal_into_a_draft_event(client_for, programme):
    from kakehashi.community import services

    member = MemberFactory()
    thread = ThreadFactory(author=member)
    services.thread_propose_meetup(actor=member.user, member=member, thread=thread)
    manager = client_for("manager")
    assert "イベントの下書きを作る" in manager.get(reverse("community:moderation")).content.decode()
    response = manager.post(
        reverse("community:thread_meetup_draft", kwargs={"pk": thread.pk}), {"starts_at": "2026-12-10T18:00"}
    )
    thread.refresh_from_db()
    event = thread.event
    assert response["Location"] == reverse("events:detail", kwargs={"pk": event.pk})
    assert event.programme == programme
    assert not event.published
    assert event.title.startswith("交流会：")
    # Unpublished: members do not get a registration link yet.
    assert event.get_absolute_url() not in _client(member).get(thread.get_absolute_url()).content.decode()


def test_admin_topic_edit_is_logged(admin_client):
    from kakehashi.core.models import ChangeLogEntry

    from ..models import Topic

    response = admin_client.post(
        reverse("admin:community_topic_add"),
        {"slug": "new-topic", "name": "新しいトピック", "order": 1, "active": "on"},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="new-topic")
    assert ChangeLogEntry.objects.filter(object_id=str(topic.pk), note="admin").exists()
