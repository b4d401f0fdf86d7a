"""Content-library screens: list with filters and search, detail, file download, create/edit, usage."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kakehashi.outreach.models import ContentItem
from kakehashi.outreach.tests.library_factories import ContentItemFactory, counted_visit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def items(programme, codes):
    security = codes("challenge", "security")
    return {
        "security": ContentItemFactory(programme=programme, title="情報セキュリティ5か条", challenges=[security]),
        "rpa": ContentItemFactory(
            programme=programme,
            title="RPA事例集",
            description="定型作業の自動化",
            challenges=[codes("challenge", "automation_analytics")],
        ),
        "referral": ContentItemFactory(programme=programme, title="相談窓口の案内", kind="referral"),
        "retired": ContentItemFactory(programme=programme, title="古いチラシ", kind="publicity", active=False),
    }


def _titles(response) -> list[str]:
    return [item.title for item in response.context["page"]]


def test_list_filters_by_kind_challenge_state_and_keyword(client_for, items, django_assert_max_num_queries):
    client = client_for("communicator")
    url = reverse("library:content_list")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert _titles(response) == ["RPA事例集", "情報セキュリティ5か条", "相談窓口の案内"]
    assert _titles(client.get(url, {"kind": "referral"})) == ["相談窓口の案内"]
    assert _titles(client.get(url, {"challenge": "security"})) == ["情報セキュリティ5か条"]
    assert _titles(client.get(url, {"state": "retired"})) == ["古いチラシ"]
    assert _titles(client.get(url, {"q": "自動化"})) == ["RPA事例集"]
    response = client.get(url, {"kind": "nonsense"})
    assert response.status_code == 200
    assert len(_titles(response)) == 3


def test_list_answers_htmx_with_the_results_partial(client_for, items):
    response = client_for("communicator").get(reverse("library:content_list"), {"q": "RPA"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="content-results"' in html
    assert "<html" not in html


def test_list_is_paginated(client_for, programme):
    for index in range(55):
        ContentItemFactory(programme=programme, title=f"資料{index:02d}")
    response = client_for("manager").get(reverse("library:content_list"), {"page": "2"})
    assert len(_titles(response)) == 5


def test_detail_and_file_are_served_after_the_permission_check(client_for, programme, other_programme):
    item = ContentItemFactory(programme=programme, title="事例集")
    item.file.save("case.pdf", ContentFile(PDF), save=False)
    item.file_name, item.file_type, item.file_size = "事例集.pdf", "application/pdf", len(PDF)
    item.save()
    client = client_for("partner")
    detail = client.get(reverse("library:content_detail", args=[item.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert reverse("library:content_file", args=[item.pk]) in html
    assert item.file.url not in html
    response = client.get(reverse("library:content_file", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    other = ContentItemFactory(programme=other_programme)
    assert client.get(reverse("library:content_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("library:content_file", args=[item.pk + 1000])).status_code == 404
    no_file = ContentItemFactory(programme=programme)
    assert client.get(reverse("library:content_file", args=[no_file.pk])).status_code == 404


def test_manager_creates_an_item_with_a_file(client_for, programme, codes):
    response = client_for("manager").post(
        reverse("library:content_create"),
        {
            "title": "受発注EDI入門",
            "kind": "interest",
            "description": "FAXからの切替",
            "challenges": ["procurement_logistics", "sales_customer"],
            "introduction": "seminar",
            "audience": "all",
            "version": "第1版",
            "url": "",
            "active": "on",
            "file": SimpleUploadedFile("edi.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    item = ContentItem.objects.get(title="受発注EDI入門")
    assert item.file_type == "application/pdf"
    assert item.introduction.code == "seminar"
    assert set(item.challenges.values_list("code", flat=True)) == {"procurement_logistics", "sales_customer"}


def test_a_disguised_file_is_refused_next_to_the_field(client_for, programme, codes):
    response = client_for("prefecture").post(
        reverse("library:content_create"),
        {"title": "x", "kind": "interest", "audience": "all", "file": SimpleUploadedFile("a.pdf", b"<html>")},
    )
    assert response.status_code == 200
    assert "PDF と画像" in response.content.decode()
    assert not ContentItem.objects.exists()


def test_edit_retires_an_item(client_for, items):
    item = items["rpa"]
    response = client_for("manager").post(
        reverse("library:content_edit", args=[item.pk]),
        {"title": item.title, "kind": "interest", "audience": "all", "challenges": ["automation_analytics"]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.active is False


def test_communicators_and_coordinators_do_not_edit(client_for, items):
    for actor in ("communicator", "coordinator"):
        client = client_for(actor)
        assert client.get(reverse("library:content_create")).status_code == 403
        assert client.get(reverse("library:content_edit", args=[items["rpa"].pk])).status_code == 404


def test_usage_page_ranks_items_by_counted_visits(client_for, programme, items, codes):
    for _ in range(2):
        counted_visit(programme, interest_level=codes("interest_level", "high")).contents_shown.add(items["rpa"])
    counted_visit(programme).contents_shown.add(items["security"])
    counted_visit(programme, status="draft").contents_shown.add(items["referral"])
    response = client_for("prefecture").get(reverse("library:content_usage"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.item.title, r.visits) for r in rows][:2] == [("RPA事例集", 2), ("情報セキュリティ5か条", 1)]
    assert "100%" in response.content.decode()
    assert client_for("coordinator").get(reverse("library:content_usage")).status_code == 403
