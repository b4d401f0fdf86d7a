import pytest

from kakehashi.accounts.services import token_issue
from kakehashi.reference.loaders import load_codes
from kakehashi.reference.models import CodeItem

from .factories import IndustryFactory, MunicipalityFactory, PrefectureFactory, RegionFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def data(db):
    load_codes()
    yamagata = PrefectureFactory()
    miyagi = PrefectureFactory(code="04", name="宮城県")
    city = MunicipalityFactory(prefecture=yamagata, code="062014", name="山形市", kana="やまがたし", latitude=38.25)
    MunicipalityFactory(prefecture=yamagata, code="062057", name="新庄市", kana="しんじょうし")
    sendai = MunicipalityFactory(
        prefecture=miyagi, code="041009", name="仙台市", kana="せんだいし", kind="designated_city"
    )
    MunicipalityFactory(
        prefecture=miyagi, code="041017", name="仙台市青葉区", kana="せんだいしあおばく", kind="ward", parent=sendai
    )
    RegionFactory(prefecture=yamagata, code="murayama", name="村山").municipalities.set([city])
    RegionFactory(prefecture=miyagi, code="sendai", name="仙台").municipalities.set([sendai])
    manufacturing = IndustryFactory()
    IndustryFactory(code="09", level="middle", parent=manufacturing, name="食料品製造業", name_en="Manufacture of food")


@pytest.mark.parametrize(
    "path", ["/municipalities", "/municipalities/062014", "/regions", "/industries", "/codes", "/codes/employees"]
)
@pytest.mark.parametrize(
    ("actor", "status"),
    [("anonymous", 401), ("no_role", 403), ("company_member", 403), ("communicator", 200), ("superuser", 200)],
)
def test_permissions(client_for, data, path, actor, status):
    assert client_for(actor).get(API + path).status_code == status


def test_token_auth(make_user, client, data):
    user = make_user("coordinator")
    _token, raw = token_issue(actor=user, user=user, name="test")
    response = client.get(f"{API}/codes/visit_format", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == ["visit", "seminar", "online"]


def test_municipalities_filter_search_and_paginate(client_for, data):
    client = client_for("manager")
    body = client.get(f"{API}/municipalities", {"prefecture": "06"}).json()
    assert body["count"] == 2
    assert [m["name"] for m in body["items"]] == ["山形市", "新庄市"]
    assert client.get(f"{API}/municipalities", {"q": "せんだい"}).json()["count"] == 2
    page = client.get(f"{API}/municipalities", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 4
    assert len(page["items"]) == 1


def test_municipality_detail(client_for, data):
    client = client_for("partner")
    ward = client.get(f"{API}/municipalities/041017").json()
    assert ward["kind"] == "ward"
    assert ward["parent_code"] == "041009"
    assert ward["prefecture_code"] == "04"
    city = client.get(f"{API}/municipalities/062014").json()
    assert (city["name"], city["kana"], city["latitude"], city["parent_code"]) == ("山形市", "やまがたし", 38.25, None)
    assert client.get(f"{API}/municipalities/999999").status_code == 404


def test_regions(client_for, data):
    client = client_for("prefecture")
    assert [r["code"] for r in client.get(f"{API}/regions").json()] == ["sendai", "murayama"]
    yamagata = client.get(f"{API}/regions", {"prefecture": "06"}).json()
    assert yamagata == [
        {"code": "murayama", "name": "村山", "prefecture_code": "06", "order": yamagata[0]["order"], "active": True,
         "municipality_codes": ["062014"]}
    ]  # fmt: skip


def test_industries(client_for, data):
    body = client_for("communicator").get(f"{API}/industries").json()
    assert body == [
        {"code": "E", "name": "製造業", "name_en": "Manufacturing",
         "middle": [{"code": "09", "name": "食料品製造業", "name_en": "Manufacture of food"}]}
    ]  # fmt: skip


def test_codes(client_for, data):
    CodeItem.objects.filter(list="interest_level", code="none").update(active=False)
    client = client_for("communicator")
    lists = client.get(f"{API}/codes").json()
    assert len(lists) == 11
    interest = next(lst for lst in lists if lst["name"] == "interest_level")
    assert interest["label"] == "関心度"
    assert [i["code"] for i in interest["items"]] == ["high", "medium", "low", "none"]
    assert interest["items"][3]["active"] is False
    active = client.get(f"{API}/codes/interest_level", {"active_only": True}).json()
    assert [i["code"] for i in active["items"]] == ["high", "medium", "low"]
    assert client.get(f"{API}/codes/colours").status_code == 404
