import json

import pytest
from django.test import Client

from kakehashi.accounts.services import token_issue

from .factories import member, referral_for_visit, shared_visit

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _token, raw = token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_funnel_endpoint(programme, coordinator):
    shared_visit(programme, introductions=["foundation_consultation"], outcomes=["coordinator_support"])
    body = Client().get(f"/api/v1/programmes/{programme.code}/referrals/funnel", headers=_auth(coordinator)).json()
    assert [(s["key"], s["count"]) for s in body["stages"]] == [
        ("introduced", 1),
        ("solicited", 1),
        ("consultation", 0),
        ("support", 0),
    ]


def test_funnel_of_another_programme_is_404(programme, other_programme, coordinator):
    response = Client().get(f"/api/v1/programmes/{other_programme.code}/referrals/funnel", headers=_auth(coordinator))
    assert response.status_code == 404


def test_list_and_move(programme, coordinator):
    visit = shared_visit(programme, challenges=["security"])
    referral = referral_for_visit(visit, with_contact=True, challenges=visit.challenges.all())
    client = Client()
    headers = _auth(coordinator)
    listing = client.get(f"/api/v1/programmes/{programme.code}/referrals", headers=headers).json()
    assert listing["count"] == 1
    assert listing["items"][0]["challenges"] == ["security"]
    assert "contact" not in listing["items"][0]
    assert "連絡 一郎" not in json.dumps(listing, ensure_ascii=False)

    url = f"/api/v1/referrals/{referral.pk}/status"
    bad = client.post(url, {"status": "declined"}, content_type="application/json", headers=headers)
    assert bad.status_code == 422
    assert "note" in bad.json()["errors"]
    ok = client.post(url, {"status": "contacted", "note": "電話"}, content_type="application/json", headers=headers)
    assert ok.status_code == 200
    assert ok.json()["status"] == "contacted"


@pytest.mark.parametrize("role", ["prefecture", "communicator"])
def test_readers_cannot_move(programme, role):
    referral = referral_for_visit(shared_visit(programme))
    response = Client().post(
        f"/api/v1/referrals/{referral.pk}/status",
        {"status": "contacted"},
        content_type="application/json",
        headers=_auth(member(programme, role)),
    )
    assert response.status_code == 404
