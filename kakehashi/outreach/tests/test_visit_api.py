"""The visit API: idempotent recording, the list filters, one visit, and who gets 401/403/404."""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from kakehashi.accounts.services import token_issue
from kakehashi.outreach.choices import VisitStatus
from kakehashi.outreach.models import Visit
from kakehashi.outreach.services import visits as services

pytestmark = pytest.mark.django_db
URL = "/api/v1/visits"


def _auth(user) -> dict:
    _token, raw = token_issue(actor=user, user=user, name="phone")
    return {"authorization": f"Bearer {raw}"}


def _body(programme, company, **extra) -> dict:
    body = {
        "programme": programme.code,
        "company_id": company.pk,
        "visit_date": timezone.localdate().isoformat(),
        "visit_format": "online",
        "challenges": ["security", "paperless_telework"],
        "outcomes": ["mail_magazine"],
        "interest_level": "medium",
        "summary": "テレワーク導入の相談。VPNの設定に不安がある。",
        "contact": {"name": "佐藤 花子", "title": "代表取締役", "phone": "0238-22-0000", "email": "sato@example.jp"},
        "consent_share_foundation": True,
    }
    body.update(extra)
    return body


def _post(headers, body, key=None):
    if key is not None:
        headers = {**headers, "idempotency-key": key}
    return Client().post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


def test_record_a_visit_by_codes(communicator, visit_programme, company):
    response = _post(_auth(communicator), _body(visit_programme, company), key=str(uuid.uuid4()))

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted"
    assert data["visit_format"] == {"code": "online", "label": "オンライン"}
    assert sorted(c["code"] for c in data["challenges"]) == ["paperless_telework", "security"]
    assert data["contact"]["name"] == "佐藤 花子"
    assert data["communicators"] == [communicator.username]
    assert data["company"]["id"] == company.pk


def test_the_same_key_twice_stores_one_visit_and_answers_the_same(communicator, visit_programme, company):
    headers, body, key = _auth(communicator), _body(visit_programme, company), "phone-7f3a"
    first = _post(headers, body, key)
    second = _post(headers, body, key)

    assert (first.status_code, second.status_code) == (201, 200)
    assert second["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert Visit.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(communicator, visit_programme, company):
    headers = _auth(communicator)
    _post(headers, _body(visit_programme, company), "k1")
    response = _post(headers, _body(visit_programme, company, summary="別の内容"), "k1")
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json()["detail"]
    assert Visit.objects.count() == 1


def test_a_draft_by_a_field(communicator, visit_programme):
    response = _post(_auth(communicator), {"programme": visit_programme.code, "status": "draft", "summary": "メモ"})
    assert response.status_code == 201
    assert response.json()["status"] == VisitStatus.DRAFT


def test_unknown_codes_and_missing_fields_are_422_in_japanese(communicator, visit_programme, company):
    response = _post(
        _auth(communicator), _body(visit_programme, company, challenges=["セキュリティ"], visit_format="bike")
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["challenges"] == ["コード「セキュリティ」は使えません。"]
    assert "visit_format" in errors

    response = _post(_auth(communicator), {"programme": visit_programme.code, "summary": "概要だけ"})
    assert response.status_code == 422
    assert response.json()["errors"]["company"] == ["企業等を選んでください。"]
    assert not Visit.objects.exists()


def test_a_company_by_corporate_number(communicator, visit_programme, company):
    company.corporate_number = "7000012050002"
    company.save()
    body = _body(visit_programme, company, company_id=None, corporate_number="7000012050002")
    assert _post(_auth(communicator), body).json()["company"]["id"] == company.pk


def test_who_may_record(make_user, visit_programme, other_programme, company):
    body = _body(visit_programme, company)
    assert Client().post(URL, data=json.dumps(body), content_type="application/json").status_code == 401
    assert _post(_auth(make_user("prefecture")), body).status_code == 403
    assert _post(_auth(make_user("coordinator")), body).status_code == 403
    assert _post(_auth(make_user("company_member")), body).status_code == 403
    outsider = _post(_auth(make_user("communicator")), {**body, "programme": other_programme.code})
    assert outsider.status_code == 404


@pytest.fixture
def recorded(communicator, make_user, visit_programme, full_values, codes):
    first = services.visit_submit(
        actor=communicator,
        visit=services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values),
    )
    second = services.visit_draft_save(
        actor=communicator,
        programme=visit_programme,
        values={**full_values, "visit_format": codes("visit_format", "seminar"), "summary": "展示会で名刺交換"},
    )
    return first, second


def test_list_uses_the_list_filters(communicator, recorded):
    headers = _auth(communicator)
    response = Client().get(URL, {"visit_format": "seminar"}, headers=headers)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["items"][0]["uuid"] == str(recorded[1].uuid)

    data = Client().get(URL, {"q": "在庫"}, headers=headers).json()
    assert [item["uuid"] for item in data["items"]] == [str(recorded[0].uuid)]
    data = Client().get(URL, {"status": "counted"}, headers=headers).json()
    assert data["count"] == 1


def test_a_bad_filter_is_422(communicator, recorded):
    response = Client().get(URL, {"visit_format": "helicopter"}, headers=_auth(communicator))
    assert response.status_code == 422
    assert "visit_format" in response.json()["errors"]


def test_list_and_detail_are_narrowed_to_the_user(communicator, make_user, recorded):
    other = make_user("communicator")
    data = Client().get(URL, headers=_auth(other)).json()
    assert [item["uuid"] for item in data["items"]] == [str(recorded[0].uuid)], "others' drafts are not listed"

    draft_url = f"{URL}/{recorded[1].uuid}"
    assert Client().get(draft_url, headers=_auth(communicator)).status_code == 200
    assert Client().get(draft_url, headers=_auth(other)).status_code == 404
    assert Client().get(f"{URL}/{uuid.uuid4()}", headers=_auth(communicator)).status_code == 404
    assert Client().get(draft_url, headers=_auth(make_user("coordinator"))).status_code == 404
    assert Client().get(draft_url).status_code == 401
    assert Client().get(URL, headers=_auth(make_user("it_company_member"))).status_code == 403


def test_list_queries_stay_bounded(communicator, recorded, django_assert_max_num_queries):
    headers = _auth(communicator)
    with django_assert_max_num_queries(25):
        assert Client().get(URL, headers=headers).json()["count"] == 2


def test_session_users_may_call_it_too(communicator, recorded):
    client = Client()
    client.force_login(communicator)
    assert client.get(URL).status_code == 200


def test_the_openapi_schema_lists_the_visit_endpoints():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/visits" in paths
    assert "/api/v1/visits/{visit_uuid}" in paths
