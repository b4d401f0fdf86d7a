"""The access-log page and its export; contact views and contact exports are recorded with their reason."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kakehashi.companies.tests.factories import ContactFactory
from kakehashi.privacy.models import AccessLogEntry
from kakehashi.privacy.services import access_record

pytestmark = pytest.mark.django_db


def test_access_log_filters_by_user_action_and_dates(client_for, make_user):
    alice = make_user("manager", username="alice", display_name="有田 アリス")
    bob = make_user("communicator", username="bob")
    access_record(actor=alice, action="contact_view", path="/a/")
    access_record(actor=bob, action="visit_export", path="/b/")
    old = access_record(actor=bob, action="contact_view", path="/old/")
    AccessLogEntry.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - datetime.timedelta(days=40))
    client = client_for("prefecture")
    url = reverse("privacy:access_log")

    assert client.get(url).context["page"].paginator.count == 3
    assert [e.path for e in client.get(url, {"user": "alice"}).context["page"]] == ["/a/"]
    assert [e.path for e in client.get(url, {"user": "アリス"}).context["page"]] == ["/a/"]
    assert [e.path for e in client.get(url, {"action": "visit_export"}).context["page"]] == ["/b/"]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert {e.path for e in client.get(url, {"date_from": since}).context["page"]} == {"/a/", "/b/"}
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert [e.path for e in client.get(url, {"date_to": until}).context["page"]] == ["/old/"]


def test_access_log_csv_follows_the_filter_and_is_itself_logged(client_for, make_user):
    alice = make_user("manager", username="alice")
    access_record(actor=alice, action="contact_view", path="/a/", reason="=HYPERLINK(1)")
    client = client_for("prefecture")
    response = client.get(reverse("privacy:access_log_export"), {"user": "alice"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "alice" in body
    assert "'=HYPERLINK(1)" in body, "formula-safe"
    assert AccessLogEntry.objects.filter(action="access_log_export").count() == 1


def test_company_page_records_contact_views_by_others(client, make_user, programme):
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.outreach.models import DesignatedCompany

    communicator = make_user("communicator")
    company = CompanyFactory()
    DesignatedCompany.objects.create(programme=programme, company=company)
    ContactFactory(company=company, created_by=communicator, name="鈴木 一郎")
    client.force_login(communicator)
    assert "鈴木 一郎" in client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert not AccessLogEntry.objects.exists()
    client.force_login(make_user("prefecture"))
    client.get(reverse("companies:detail", args=[company.pk]))
    assert AccessLogEntry.objects.get().action == "contact_view"


def test_visit_export_with_contacts_asks_why_and_records_it(client, make_user, programme):
    from kakehashi.outreach.models import Visit
    from kakehashi.outreach.tests.library_factories import counted_visit

    manager = make_user("manager")
    visit = counted_visit(programme, status="accepted")
    contact = ContactFactory(company=visit.company, name="佐藤 次郎", email="jiro@example.jp")
    Visit.objects.filter(pk=visit.pk).update(contact=contact)
    client.force_login(manager)
    url = reverse("outreach:visit_export", args=["csv"])

    plain = client.get(url)
    assert "佐藤 次郎" not in b"".join(plain.streaming_content).decode("utf-8-sig")
    assert AccessLogEntry.objects.get().action == "visit_export"

    ask = client.get(url, {"contacts": "1"})
    assert ask.status_code == 200
    assert "利用目的" in ask.content.decode()
    assert client.get(url, {"contacts": "1", "reason": ""}).status_code == 200
    assert AccessLogEntry.objects.count() == 1, "no export without a reason"

    response = client.get(url, {"contacts": "1", "reason": "フォローアップの電話連絡"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "佐藤 次郎" in body
    assert "jiro@example.jp" in body
    entry = AccessLogEntry.objects.get(action="contact_export")
    assert (entry.actor, entry.reason, entry.detail["rows"]) == (manager, "フォローアップの電話連絡", 1)


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_roles_without_contacts_cannot_export_them(client_for, role):
    response = client_for(role).get(
        reverse("outreach:visit_export", args=["csv"]), {"contacts": "1", "reason": "見たい"}
    )
    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(action="contact_export").exists()
