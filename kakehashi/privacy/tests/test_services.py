"""The access log records reads and exports without personal information."""

import pytest

from kakehashi.companies.tests.factories import ContactFactory
from kakehashi.privacy.models import AccessLogEntry
from kakehashi.privacy.services import access_record, contact_view_record

pytestmark = pytest.mark.django_db


def test_access_record_names_the_target_without_personal_data(make_user):
    user = make_user("prefecture")
    contact = ContactFactory(name="山田 花子", email="hanako@example.jp")
    entry = access_record(
        actor=user,
        action="contact_export",
        target=contact,
        reason="  県への報告  ",
        detail={"rows": 3, "note": "x" * 500, "nested": {"drop": "me"}},
        path="/outreach/visits/export/xlsx/",
    )
    entry.refresh_from_db()
    assert entry.actor == user
    assert entry.object_id == str(contact.pk)
    assert entry.content_type.model == "contact"
    assert entry.object_label == f"担当者 #{contact.pk}"
    assert "山田" not in entry.object_label
    assert entry.reason == "県への報告"
    assert entry.detail["rows"] == 3
    assert len(entry.detail["note"]) == 80
    assert "nested" not in entry.detail
    assert entry.path == "/outreach/visits/export/xlsx/"


def test_unknown_actions_of_other_apps_are_kept_and_shown_as_codes(make_user):
    entry = access_record(actor=make_user("coordinator"), action="referral_contact_view")
    assert entry.action_label == "referral_contact_view"


def test_the_path_of_the_current_request_is_taken_by_default(client, make_user):
    from kakehashi.privacy.middleware import current_path

    token = current_path.set("/companies/12/")
    try:
        entry = access_record(actor=make_user("manager"), action="contact_view")
    finally:
        current_path.reset(token)
    assert entry.path == "/companies/12/"


def test_own_contacts_are_not_logged_others_are(make_user):
    communicator = make_user("communicator")
    manager = make_user("manager")
    own = ContactFactory(created_by=communicator)
    other = ContactFactory(created_by=manager)
    contact_view_record(actor=communicator, contacts=[own, other])
    assert list(AccessLogEntry.objects.values_list("object_id", flat=True)) == [str(other.pk)]
