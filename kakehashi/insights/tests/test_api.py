"""`GET /api/v1/programmes/{code}/progress` returns the dashboard's figures."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from kakehashi.accounts.services import token_issue
from kakehashi.insights.kpis import compute_progress

pytestmark = pytest.mark.django_db


def url(programme) -> str:
    return f"/api/v1/programmes/{programme.code}/progress"


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_api_returns_the_same_figures_as_the_page(kpi_world):
    client = Client()
    client.force_login(kpi_world["users"]["manager"])
    page = client.get("/insights/").context["progress"]
    data = client.get(url(kpi_world["programme"])).json()
    for key in ("headline", "designated", "formats", "breakdowns", "communicators", "programme", "has_quotas"):
        assert data[key] == as_json(page[key]), key
    assert data["burnup"] == as_json(page["burnup"])
    assert data["as_of"] == page["as_of"].isoformat()


def test_api_figures_match_the_hand_count(kpi_world):
    client = Client()
    client.force_login(kpi_world["users"]["u1"])
    data = client.get(url(kpi_world["programme"])).json()
    expected = compute_progress(kpi_world["programme"], today=kpi_world["programme"].start_date)
    assert data["headline"]["distinct_companies"] == 4 == expected["headline"]["distinct_companies"]
    assert data["designated"] == {"covered": 2, "total": 4, "percent": 50.0}
    assert [(r["code"], r["companies"], r["visits"]) for r in data["formats"]] == [
        ("visit", 3, 4),
        ("seminar", 1, 1),
        ("online", 2, 2),
    ]
    assert data["definitions"]["distinct_companies"].startswith("提出済・承認済")


def test_bearer_token_works(kpi_world):
    user = kpi_world["users"]["manager"]
    _token, raw = token_issue(actor=user, user=user, name="dashboard")
    response = Client().get(url(kpi_world["programme"]), headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["programme"]["code"] == kpi_world["programme"].code


def test_non_member_gets_404(kpi_world, other_programme, make_user):
    client = Client()
    client.force_login(kpi_world["users"]["manager"])
    assert client.get(url(other_programme)).status_code == 404
    assert client.get("/api/v1/programmes/no-such-programme/progress").status_code == 404


def test_member_without_progress_role_gets_404(kpi_world, make_user):
    client = Client()
    client.force_login(make_user("coordinator"))
    assert client.get(url(kpi_world["programme"])).status_code == 404


def test_anonymous_gets_401(kpi_world):
    assert Client().get(url(kpi_world["programme"])).status_code == 401


def test_api_queries_are_bounded(kpi_world, django_assert_max_num_queries):
    client = Client()
    client.force_login(kpi_world["users"]["manager"])
    with django_assert_max_num_queries(25):
        assert client.get(url(kpi_world["programme"])).status_code == 200


def test_openapi_documents_the_endpoint():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/programmes/{code}/progress" in schema["paths"]
