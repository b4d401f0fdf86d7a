import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kakehashi.sharing.models import PriorityDecision, Referral
from kakehashi.sharing.services import priority_recompute

from .factories import code, member, referral_for_visit, shared_visit

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_refer_from_the_visit_page(programme):
    communicator = member(programme, "communicator")
    visit = shared_visit(programme, recorded_by=communicator, challenges=["security"])
    client = _client(communicator)

    page = client.get(reverse("outreach:visit_detail", args=[visit.uuid])).content.decode()
    assert reverse("sharing:referral_create", args=[visit.uuid]) in page

    form = client.get(reverse("sharing:referral_create", args=[visit.uuid])).content.decode()
    assert "紹介先" in form
    assert "checked" in form, "the visit's challenges are pre-selected"
    response = client.post(
        reverse("sharing:referral_create", args=[visit.uuid]),
        {
            "destination": "foundation",
            "challenges": [code("challenge", "security").pk],
            "purpose": "情報セキュリティの相談",
            "urgency": "high",
            "consent_scope": "company",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:referral_detail", args=[referral.pk])
    assert list(referral.challenges.values_list("code", flat=True)) == ["security"]
    page = client.get(reverse("outreach:visit_detail", args=[visit.uuid])).content.decode()
    assert "紹介済" in page


def test_referral_form_errors_are_shown(programme):
    manager = member(programme, "manager")
    visit = shared_visit(programme)
    response = _client(manager).post(
        reverse("sharing:referral_create", args=[visit.uuid]),
        {"destination": "foundation", "purpose": "x", "urgency": "normal", "consent_scope": "contact"},
    )
    assert response.status_code == 200
    assert "担当者を選んでください" in response.content.decode()


def test_coordinator_moves_a_referral_on_the_page(programme, coordinator):
    referral = referral_for_visit(shared_visit(programme))
    client = _client(coordinator)
    detail = client.get(reverse("sharing:referral_detail", args=[referral.pk])).content.decode()
    assert "状態を更新" in detail
    assert "連絡済" in detail

    bad = client.post(reverse("sharing:referral_move", args=[referral.pk]), {"to_status": "declined"})
    assert bad.status_code == 422
    assert "理由" in bad.content.decode()
    ok = client.post(reverse("sharing:referral_move", args=[referral.pk]), {"to_status": "contacted", "note": "電話済"})
    assert ok.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "contacted"


def test_referral_of_another_programme_is_404(programme, other_programme, coordinator):
    referral = referral_for_visit(shared_visit(other_programme))
    assert _client(coordinator).get(reverse("sharing:referral_detail", args=[referral.pk])).status_code == 404


def test_referral_list_filters_and_is_paginated(programme, manager, django_assert_max_num_queries):
    for _ in range(3):
        referral_for_visit(shared_visit(programme))
    client = _client(manager)
    with django_assert_max_num_queries(20):
        body = client.get(reverse("sharing:referral_list")).content.decode()
    assert body.count("card-list__title") == 3
    assert (
        client.get(reverse("sharing:referral_list"), {"status": "declined"}).content.decode().count("card-list__title")
        == 0
    )


def test_advice_thread_pages(programme, coordinator):
    communicator = member(programme, "communicator")
    visit = shared_visit(programme, recorded_by=communicator)
    client = _client(coordinator)
    form = client.get(reverse("sharing:advice_new")).content.decode()
    assert visit.company.name in form
    response = client.post(
        reverse("sharing:advice_new"), {"company": visit.company_id, "subject": "在庫の件", "body": "教えてください"}
    )
    assert response.status_code == 302
    waiting = _client(communicator).get(reverse("sharing:advice_list")).content.decode()
    assert "在庫の件" in waiting
    assert "回答待ち" in waiting
    thread_url = response["Location"]
    assert _client(communicator).post(thread_url, {"body": "Excelです"}).status_code == 302
    assert "Excelです" in client.get(thread_url).content.decode()


def test_advice_new_refuses_hidden_company(programme, coordinator):
    hidden = shared_visit(programme, consent=False)
    response = _client(coordinator).post(
        reverse("sharing:advice_new"), {"company": hidden.company_id, "subject": "s", "body": "b"}
    )
    assert response.status_code == 200, "the company is not a choice"


def test_priority_list_shows_reasons_decisions_and_exports(programme, coordinator, django_assert_max_num_queries):
    for _ in range(4):
        shared_visit(programme, interest="high", challenges=["security"])
    top = shared_visit(programme, interest="high", outcomes=["coordinator_support"])
    priority_recompute(actor=coordinator, programme=programme)
    client = _client(coordinator)
    with django_assert_max_num_queries(25):
        body = client.get(reverse("sharing:priority_list")).content.decode()
    assert "関心度が高い（+20）" in body
    assert "伴走支援を希望（+25）" in body
    assert body.index(top.company.name) < body.index("課題カテゴリ 1件"), "the top company comes first"

    response = client.post(
        reverse("sharing:priority_decide", args=[top.company_id]), {"kind": "decline", "note": "他機関で支援中"}
    )
    assert response.status_code == 302
    assert PriorityDecision.objects.get().note == "他機関で支援中"
    assert "他機関で支援中" in client.get(reverse("sharing:priority_list")).content.decode()
    assert (
        client.get(reverse("sharing:priority_list"), {"decision": "none"}).content.decode().count("priority__rank") == 4
    )

    xlsx = client.get(reverse("sharing:priority_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("順位", "点数", "企業")
    assert rows[1][2] == top.company.name
    assert rows[1][7] == "見送り"


def test_weights_page_saves_a_version(programme):
    prefecture = member(programme, "prefecture")
    shared_visit(programme, interest="high")
    client = _client(prefecture)
    page = client.get(reverse("sharing:priority_weights"))
    data = {
        name: field.initial if field.initial is not None else 0 for name, field in page.context["form"].fields.items()
    }
    data.update({name: page.context["form"].initial.get(name, 0) for name in page.context["form"].fields})
    data.update({"interest_high": 50, "note": "関心度を重視"})
    assert client.post(reverse("sharing:priority_weights"), data).status_code == 302
    body = client.get(reverse("sharing:priority_list")).content.decode()
    assert "関心度が高い（+50）" in body
    assert "第2版" in body
