"""Coordinators never see what consent forbids: registry, visits, contacts, API, search, exports, priority list.

The world: in `programme`, one company agreed to share at a submitted visit (`shared`), one did not
(`hidden`), one agreed only on a draft (`draft_only`), one refused at the visit but was referred afterwards with
contact consent (`referred`); in `other_programme` a company agreed to share there (`elsewhere`).
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.companies.tests.factories import ContactFactory

from .factories import company_in, member, referral_for_visit, shared_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme, other_programme):
    shared = shared_visit(programme, company=company_in(programme, name="共有精機株式会社"), interest="high")
    shared_contact = ContactFactory(company=shared.company, name="共有 花子", phone="023-111-1111")
    shared.contact = shared_contact
    shared.save()
    hidden = shared_visit(programme, company=company_in(programme, name="非公開工業株式会社"), consent=False)
    hidden.contact = ContactFactory(company=hidden.company, name="秘密 太郎", phone="023-222-2222")
    hidden.save()
    draft_only = shared_visit(programme, company=company_in(programme, name="下書商店"), status="draft")
    referred_visit = shared_visit(programme, company=company_in(programme, name="紹介物産株式会社"), consent=False)
    referral = referral_for_visit(referred_visit, with_contact=True)
    other_contact = ContactFactory(company=referred_visit.company, name="別人 次郎", phone="023-333-3333")
    elsewhere = shared_visit(other_programme, company=company_in(other_programme, name="他事業建設株式会社"))
    return {
        "shared": shared,
        "hidden": hidden,
        "draft_only": draft_only,
        "referred": referred_visit,
        "referral": referral,
        "other_contact": other_contact,
        "elsewhere": elsewhere,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


VISIBLE = {"共有精機株式会社", "紹介物産株式会社"}
INVISIBLE = {"非公開工業株式会社", "下書商店", "他事業建設株式会社"}


def test_registry_list_page_shows_only_shared_companies(world, coordinator):
    body = _client(coordinator).get(reverse("companies:list")).content.decode()
    assert all(name in body for name in VISIBLE)
    assert not any(name in body for name in INVISIBLE)


def test_registry_search_cannot_reach_hidden_companies(world, coordinator):
    client = _client(coordinator)
    assert "非公開工業" not in client.get(reverse("companies:list"), {"q": "非公開"}).content.decode()
    suggest = client.get("/api/v1/companies/suggest", {"q": "非公開"}).json()
    assert suggest["results"] == []
    match = client.get("/api/v1/companies/match", {"name": "非公開工業株式会社"}).json()
    assert match["results"] == []


@pytest.mark.parametrize("role", ["prefecture", "manager", "communicator"])
def test_contractor_and_prefecture_see_every_company(world, make_user, role):
    body = _client(make_user(role)).get(reverse("companies:list")).content.decode()
    assert "非公開工業株式会社" in body
    assert "共有精機株式会社" in body


def test_registry_detail_is_404_without_consent(world, coordinator):
    client = _client(coordinator)
    assert client.get(reverse("companies:detail", args=[world["shared"].company_id])).status_code == 200
    for key in ("hidden", "draft_only", "elsewhere"):
        assert client.get(reverse("companies:detail", args=[world[key].company_id])).status_code == 404, key


def test_registry_api_is_narrowed(world, coordinator):
    client = _client(coordinator)
    names = {item["name"] for item in client.get("/api/v1/companies").json()["items"]}
    assert names == VISIBLE
    assert client.get(f"/api/v1/companies/{world['hidden'].company_id}").status_code == 404


def test_registry_export_is_narrowed(world, coordinator):
    response = _client(coordinator).get(reverse("companies:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("名称")
    names = {row[column] for row in rows[1:]}
    assert names == VISIBLE


def test_visit_list_and_detail_show_only_shared_counted_visits(world, coordinator):
    client = _client(coordinator)
    body = client.get(reverse("outreach:visit_list")).content.decode()
    assert "共有精機株式会社" in body
    assert not any(
        name in body for name in ("非公開工業株式会社", "下書商店", "他事業建設株式会社", "紹介物産株式会社")
    )
    assert client.get(reverse("outreach:visit_detail", args=[world["shared"].uuid])).status_code == 200
    for key in ("hidden", "draft_only", "referred", "elsewhere"):
        assert client.get(reverse("outreach:visit_detail", args=[world[key].uuid])).status_code == 404, key
    assert "非公開工業株式会社" not in client.get(reverse("outreach:visit_list"), {"q": "非公開"}).content.decode()


def test_visit_api_is_narrowed(world, coordinator):
    client = _client(coordinator)
    items = client.get("/api/v1/visits").json()["items"]
    assert [item["uuid"] for item in items] == [str(world["shared"].uuid)]
    assert client.get(f"/api/v1/visits/{world['hidden'].uuid}").status_code == 404
    shared = client.get(f"/api/v1/visits/{world['shared'].uuid}").json()
    assert shared["contact"] is None, "sharing the visit is not consent to share the contact"


def test_coordinators_cannot_export_visits(world, coordinator):
    assert _client(coordinator).get(reverse("outreach:visit_export", args=["csv"])).status_code == 403


def test_contacts_only_where_the_referral_consent_covers_them(world, coordinator):
    client = _client(coordinator)
    shared_page = client.get(reverse("companies:detail", args=[world["shared"].company_id])).content.decode()
    assert "共有 花子" not in shared_page
    assert "023-111-1111" not in shared_page
    visit_page = client.get(reverse("outreach:visit_detail", args=[world["shared"].uuid])).content.decode()
    assert "共有 花子" not in visit_page

    referred_page = client.get(reverse("companies:detail", args=[world["referred"].company_id])).content.decode()
    assert world["referral"].contact.name in referred_page
    assert "別人 次郎" not in referred_page, "only the contact named on the referral"
    referral_page = client.get(reverse("sharing:referral_detail", args=[world["referral"].pk])).content.decode()
    assert world["referral"].contact.phone in referral_page


def test_company_only_consent_shows_no_contact(programme, coordinator):
    visit = shared_visit(programme, contact=None)
    ContactFactory(company=visit.company, name="窓口 三郎")
    referral = referral_for_visit(visit)
    page = _client(coordinator).get(reverse("sharing:referral_detail", args=[referral.pk])).content.decode()
    assert "窓口 三郎" not in page
    assert "同意していません" in page


def test_coordinator_contact_views_are_access_logged(world, coordinator):
    from kakehashi.privacy.models import AccessLogEntry

    _client(coordinator).get(reverse("sharing:referral_detail", args=[world["referral"].pk]))
    _client(coordinator).get(reverse("companies:detail", args=[world["referred"].company_id]))

    entries = AccessLogEntry.objects.filter(actor=coordinator, action="contact_view")
    assert entries.count() == 2
    assert {e.object_id for e in entries} == {str(world["referral"].contact_id)}
    assert all(
        "紹介物産" not in e.object_label and world["referral"].contact.name not in e.object_label for e in entries
    )


def test_coordinator_cannot_change_contacts(world, coordinator):
    url = reverse("companies:contact_create", args=[world["referred"].company_id])
    assert _client(coordinator).get(url).status_code == 403


def test_priority_list_holds_only_shared_companies(world, coordinator):
    from kakehashi.sharing.services import priority_recompute

    snapshot = priority_recompute(actor=coordinator, programme=world["shared"].programme)
    assert set(snapshot.entries.values_list("company__name", flat=True)) == {"共有精機株式会社"}
    body = _client(coordinator).get(reverse("sharing:priority_list")).content.decode()
    assert "共有精機株式会社" in body
    assert "非公開工業株式会社" not in body


def test_coordinator_of_another_programme_sees_none_of_it(world, other_programme):
    outsider = member(other_programme, "coordinator")
    client = _client(outsider)
    body = client.get(reverse("companies:list")).content.decode()
    assert "他事業建設株式会社" in body
    assert not any(name in body for name in VISIBLE)
    assert client.get(reverse("sharing:referral_detail", args=[world["referral"].pk])).status_code == 404
    assert client.get(reverse("companies:detail", args=[world["referred"].company_id])).status_code == 404


def test_withdrawn_consent_hides_the_company_again(world, coordinator):
    from kakehashi.outreach.models import Visit

    Visit.objects.filter(pk=world["shared"].pk).update(consent_share_foundation=False)
    assert _client(coordinator).get(reverse("companies:detail", args=[world["shared"].company_id])).status_code == 404


def test_rule_and_selector_agree(world, coordinator):
    """`outreach.view_visit` (rules) and `visits_for` (the query) give the same answer for every visit."""
    from kakehashi.outreach.models import Visit
    from kakehashi.outreach.selectors import visits_for

    visible = set(visits_for(coordinator).values_list("pk", flat=True))
    for visit in Visit.objects.all():
        assert coordinator.has_perm("outreach.view_visit", visit) == (visit.pk in visible), visit
