import pytest

from kakehashi.accounts.services import token_issue
from kakehashi.companies.choices import CompanyStatus
from kakehashi.companies.corporate_number import make_corporate_number
from kakehashi.companies.tests.factories import CompanyFactory, ContactFactory, IndustryFactory, MunicipalityFactory
from kakehashi.outreach.services import designation_add
from kakehashi.outreach.tests.factories import PrefectureFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/companies"


@pytest.fixture
def city(programme):
    return MunicipalityFactory(code="062014", name="山形市", prefecture=programme.prefecture)


@pytest.fixture
def company(city):
    return CompanyFactory(
        name="株式会社山形精機",
        name_kana="ヤマガタセイキ",
        municipality=city,
        industry=IndustryFactory(code="E", name="製造業"),
        corporate_number=make_corporate_number("000012050002"),
    )


@pytest.fixture
def foreign_company():
    sendai = MunicipalityFactory(code="041009", name="仙台市", prefecture=PrefectureFactory(code="04", name="宮城県"))
    return CompanyFactory(name="仙台の会社", municipality=sendai)


def test_anonymous_gets_401(client, company):
    assert client.get(LIST).status_code == 401
    assert client.get(f"{LIST}/{company.pk}").status_code == 401


@pytest.mark.parametrize("role", ["no_role", "company_member", "it_company_member"])
def test_roles_without_registry_access_get_403(client_for, company, role):
    client = client_for(role)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}/{company.pk}").status_code == 403


# Coordinators see only companies that agreed to share (kakehashi/sharing/tests/test_consent.py).
@pytest.mark.parametrize("role", ["prefecture", "manager", "communicator", "partner", "superuser"])
def test_staff_list_companies(client_for, company, role, programme, make_user):
    designation_add(actor=make_user("prefecture"), programme=programme, company=company)

    response = client_for(role).get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": company.pk,
        "corporate_number": company.corporate_number,
        "name": "株式会社山形精機",
        "name_kana": "ヤマガタセイキ",
        "municipality": "062014",
        "industry": "E",
        "business_form": None,
        "employees_band": None,
        "revenue_band": None,
        "status": "active",
        "designated": True,
    }


def test_list_uses_the_shared_filters_and_reports_ignored_values(client_for, company, city):
    CompanyFactory(name="佐藤商店", municipality=city)
    CompanyFactory(name="統合済", municipality=city, status=CompanyStatus.MERGED)
    client = client_for("manager")

    assert [i["name"] for i in client.get(LIST, {"q": "佐藤"}).json()["items"]] == ["佐藤商店"]
    assert {i["name"] for i in client.get(LIST).json()["items"]} == {"株式会社山形精機", "佐藤商店"}
    assert client.get(LIST, {"industry": "E"}).json()["count"] == 1
    body = client.get(LIST, {"sort": "nonsense", "status": "merged"}).json()
    assert [i["name"] for i in body["items"]] == ["統合済"]
    assert len(body["ignored"]) == 1


def test_list_is_paginated(client_for, city):
    for _ in range(7):
        CompanyFactory(municipality=city)

    body = client_for("manager").get(LIST, {"page_size": 3, "page": 3}).json()

    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (7, 3, 3, 1)


def test_list_leaves_out_other_prefectures(client_for, company, foreign_company):
    names = {i["name"] for i in client_for("partner").get(LIST).json()["items"]}
    assert names == {"株式会社山形精機"}


def test_unknown_programme_is_404(client_for, company):
    assert client_for("manager").get(LIST, {"programme": "nope"}).status_code == 404


def test_detail_has_no_contacts(client_for, company, programme, make_user):
    ContactFactory(company=company, name="個人情報太郎", email="taro@example.jp")
    designation_add(actor=make_user("prefecture"), programme=programme, company=company)

    response = client_for("prefecture").get(f"{LIST}/{company.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "株式会社山形精機"
    assert body["prefecture"] == "06"
    assert body["designated"] is True
    assert body["designations"] == [{"programme": programme.code, "source": ""}]
    assert "個人情報太郎" not in response.content.decode()
    assert "contacts" not in body


@pytest.mark.parametrize("role", ["prefecture", "manager", "communicator", "coordinator", "partner"])
def test_detail_out_of_scope_is_404(client_for, foreign_company, role):
    assert client_for(role).get(f"{LIST}/{foreign_company.pk}").status_code == 404


def test_detail_missing_is_404(client_for):
    assert client_for("superuser").get(f"{LIST}/999999").status_code == 404


def test_token_authentication(client, make_user, company):
    user = make_user("communicator")
    _token, raw = token_issue(actor=user, user=user, name="test")

    response = client.get(LIST, headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json()["count"] == 1
