import pytest
from django.test import Client

from kakehashi.accounts.services import token_issue

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid():
    from openapi_spec_validator import validate

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert "/api/v1/programmes" in schema["paths"]


def test_bearer_token_lists_only_my_programmes(make_user, programme, other_programme):
    user = make_user("communicator")
    _token, raw = token_issue(actor=user, user=user, name="t")
    response = Client().get("/api/v1/programmes", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert [p["code"] for p in response.json()] == [programme.code]
    assert response.json()[0]["target_count"] == 400


def test_bad_token_is_401():
    response = Client().get("/api/v1/programmes", headers={"authorization": "Bearer khs_nope"})
    assert response.status_code == 401


def test_docs_page_served():
    assert Client().get("/api/v1/docs").status_code == 200
