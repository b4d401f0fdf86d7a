import pytest

from kakehashi.companies.services import company_create
from kakehashi.companies.tests.factories import MunicipalityFactory, municipality_code
from kakehashi.outreach.tests.factories import PrefectureFactory

pytestmark = pytest.mark.django_db

MATCH = "/api/v1/companies/match"
SUGGEST = "/api/v1/companies/suggest"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The users made here never sign in with a password; don't spend seconds hashing one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def companies(programme):
    """Two companies in the programme's prefecture (山形) and one outside it (宮城: out of scope for staff)."""
    yamagata = MunicipalityFactory(code=municipality_code("06201"), name="山形市", prefecture=programme.prefecture)
    miyagi = PrefectureFactory(code="04", name="宮城県", kana="みやぎけん", name_en="Miyagi")
    sendai = MunicipalityFactory(code=municipality_code("04101"), name="仙台市青葉区", prefecture=miyagi)
    return {
        "seimitsu": company_create(
            actor=None,
            name="株式会社山形精密",
            name_kana="ヤマガタセイミツ",
            municipality=yamagata,
            corporate_number="7000012050002",
        ),
        "seiki": company_create(actor=None, name="山形精機(有)", name_kana="ヤマガタセイキ", municipality=yamagata),
        "sendai": company_create(
            actor=None, name="山形精密株式会社", name_kana="ヤマガタセイミツ", municipality=sendai
        ),
    }


@pytest.mark.parametrize("url", [MATCH, SUGGEST])
def test_anonymous_is_401(client_for, url):
    assert client_for("anonymous").get(url, {"name": "山形精密", "q": "山形"}).status_code == 401


@pytest.mark.parametrize("actor", ["no_role", "company_member", "it_company_member"])
@pytest.mark.parametrize("url", [MATCH, SUGGEST])
def test_roles_without_registry_access_are_403(client_for, companies, actor, url):
    response = client_for(actor).get(url, {"name": "山形精密", "q": "山形"})
    assert response.status_code == 403


# Coordinators match only among shared companies (kakehashi/sharing/tests/test_consent.py).
@pytest.mark.parametrize("actor", ["prefecture", "manager", "communicator", "partner"])
def test_staff_get_ranked_candidates_in_their_scope(client_for, companies, actor):
    response = client_for(actor).get(MATCH, {"name": "(株)山形精密", "municipality": municipality_code("06201")})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0] == {
        "id": companies["seimitsu"].pk,
        "corporate_number": "7000012050002",
        "name": "株式会社山形精密",
        "municipality": municipality_code("06201"),
        "score": 99,
        "reasons": ["正規化名称が一致（同じ市区町村）"],
    }
    # 仙台's 山形精密 is outside the programme's prefecture: out of scope
    assert companies["sendai"].pk not in [r["id"] for r in results]


def test_superuser_sees_every_prefecture(client_for, companies):
    response = client_for("superuser").get(MATCH, {"name": "山形精密", "corporate_number": "7000-0120-50002"})
    results = response.json()["results"]
    assert results[0]["id"] == companies["seimitsu"].pk
    assert results[0]["score"] == 100
    assert results[0]["reasons"] == ["法人番号が一致"]
    assert companies["sendai"].pk in [r["id"] for r in results]


def test_reading_and_limit(client_for, companies):
    client = client_for("communicator")
    results = client.get(MATCH, {"name": "ﾔﾏｶﾞﾀｾｲﾐﾂ"}).json()["results"]
    assert results[0]["id"] == companies["seimitsu"].pk
    assert "フリガナが一致" in results[0]["reasons"]
    assert len(client.get(MATCH, {"name": "山形", "limit": 1}).json()["results"]) <= 1


@pytest.mark.parametrize(
    "params",
    [{}, {"name": ""}, {"name": "山形", "municipality": "6201"}, {"name": "山形", "limit": 0}, {"name": "x" * 301}],
)
def test_bad_parameters_are_422(client_for, companies, params):
    assert client_for("communicator").get(MATCH, params).status_code == 422


def test_suggest_from_one_character(client_for, companies):
    client = client_for("communicator")
    names = [r["name"] for r in client.get(SUGGEST, {"q": "山"}).json()["results"]]
    assert sorted(names) == ["山形精機(有)", "株式会社山形精密"]
    names = [r["name"] for r in client.get(SUGGEST, {"q": "せいみつ"}).json()["results"]]
    assert names == ["株式会社山形精密"]
    assert client.get(SUGGEST, {"q": "・"}).json() == {"results": []}
    assert client_for("superuser").get(SUGGEST, {"q": "精密", "limit": 1}).json()["results"].__len__() == 1


def test_match_query_count_is_bounded(client_for, companies, django_assert_max_num_queries):
    client = client_for("communicator")
    with django_assert_max_num_queries(16):
        assert client.get(MATCH, {"name": "山形精密", "municipality": municipality_code("06201")}).status_code == 200
