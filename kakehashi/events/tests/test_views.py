"""Public registration, the personal pages and the staff screens, through the test client."""

import pytest
from django.core import mail
from django.urls import reverse

from kakehashi.events.models import Registration
from kakehashi.events.tickets import SURVEY_SALT, make_token

pytestmark = pytest.mark.django_db

FORM = {
    "name": "佐藤 次郎",
    "organisation": "株式会社最上木工",
    "is_it_company": "0",
    "role_title": "専務",
    "email": "jiro@example.jp",
    "consent": "on",
    "q_interest": "受発注のデジタル化",
}


def test_public_registration_then_duplicate_is_caught(client, event, django_capture_on_commit_callbacks):
    url = reverse("events:register", kwargs={"uuid": event.uuid})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FORM)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.answers == {"interest": "受発注のデジタル化"}
    ticket = client.get(response["Location"])
    assert registration.ticket_code in ticket.content.decode()
    assert "<svg" in ticket.content.decode()
    assert "https://meet.example.jp/abc" in ticket.content.decode()
    assert len(mail.outbox) == 1
    again = client.post(url, {**FORM, "email": "JIRO@example.jp"})
    assert again.status_code == 200
    assert "すでにお申し込み済み" in again.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_online_url_is_not_on_the_public_page(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    assert "meet.example.jp" not in page
    assert "山形県山形市松栄1-3-8" in page


def test_honeypot_stores_nothing(client, event):
    response = client.post(reverse("events:register", kwargs={"uuid": event.uuid}), {**FORM, "website": "spam"})
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_cancel_link_cancels(client, register):
    registration = register()
    url = reverse("events:cancel", kwargs={"token": make_token(registration)})
    assert client.post(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(url.replace("cancel", "cancel").replace(registration.uuid.hex[:4], "zzzz")).status_code == 404


def test_check_in_by_code_and_survey_and_export(client_for, event, register, manager):
    registration = register()
    staff = client_for("communicator")
    response = staff.post(
        reverse("events:checkin_code", kwargs={"pk": event.pk}),
        {"code": registration.ticket_code},
        HTTP_HX_REQUEST="true",
    )
    assert "受付しました" in response.content.decode()
    count = staff.get(reverse("events:checkin_count", kwargs={"pk": event.pk})).content.decode()
    assert 'data-testid="attended">1<' in count
    survey_url = reverse("events:survey", kwargs={"token": make_token(registration, salt=SURVEY_SALT)})
    answered = client_for("anonymous").post(survey_url, {"overall": "5", "usefulness": "4", "comment": "=SUM(A1)"})
    assert "ありがとうございました" in answered.content.decode()
    owner = client_for("manager")
    results = owner.get(reverse("events:survey_results", kwargs={"pk": event.pk})).content.decode()
    assert "=SUM(A1)" in results
    export = owner.get(reverse("events:survey_export", kwargs={"pk": event.pk}))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    values = [c.value for c in list(sheet.iter_rows())[1]]
    assert "'=SUM(A1)" in values
    assert 5 in values


def test_event_list_query_count(client_for, event, django_assert_max_num_queries):
    client = client_for("manager")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("events:list")).status_code == 200
