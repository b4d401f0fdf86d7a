import pytest

from kakehashi.core.changelog import history_for, log_change, snapshot, update_logged
from kakehashi.core.choices import ChangeAction
from kakehashi.outreach.services import programme_create

pytestmark = pytest.mark.django_db


def test_service_write_is_logged_with_before_and_after(programme, make_user):
    from kakehashi.outreach.tests.factories import PrefectureFactory

    actor = make_user("manager")
    created = programme_create(actor=actor, code="p-x", name="事業X", prefecture=PrefectureFactory(), fiscal_year=2026)
    entry = history_for(created).get()
    assert entry.action == ChangeAction.CREATE
    assert entry.actor == actor
    assert entry.changes["name"] == [None, "事業X"]


def test_update_without_change_logs_nothing(programme):
    before = snapshot(programme)
    assert log_change(actor=None, instance=programme, action=ChangeAction.UPDATE, before=before) is None
    programme.target_count = 420
    entry = log_change(actor=None, instance=programme, action=ChangeAction.UPDATE, before=before)
    assert entry.changes == {"target_count": [400, 420]}


def test_update_logged_saves_only_the_changed_fields_and_logs_them(programme, make_user):
    from kakehashi.outreach.models import Programme

    actor = make_user("manager")
    Programme.objects.filter(pk=programme.pk).update(name="他の人が変えた名前")  # not in memory
    entry = update_logged(programme, actor=actor, note="目標変更", target_count=450)
    assert entry.changes == {"target_count": [400, 450]}
    assert (entry.actor, entry.note, entry.action) == (actor, "目標変更", ChangeAction.UPDATE)
    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.target_count, stored.name) == (450, "他の人が変えた名前"), "only the changed field is written"
    assert update_logged(programme, actor=actor, target_count=450) is None, "no change, no entry"


def test_admin_edit_is_logged(client, make_user, programme):
    admin = make_user("superuser")
    client.force_login(admin)
    from kakehashi.accounts.tests.factories import UserFactory

    target = UserFactory(display_name="旧名")
    url = f"/admin/accounts/user/{target.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data.update(
        {
            "username": target.username,
            "display_name": "新名",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = history_for(target).filter(note="admin").get()
    assert entry.changes["display_name"] == ["旧名", "新名"]
    assert entry.actor == admin


def test_global_change_log_filters_by_type_of_any_app_and_by_actor(client_for, make_user):
    from django.urls import reverse

    from kakehashi.companies.tests.factories import ContactFactory
    from kakehashi.privacy.services import erasure_request_register

    manager = make_user("manager", username="kanri")
    contact = ContactFactory()
    log_change(actor=manager, instance=contact.company, action=ChangeAction.CREATE)
    erasure = erasure_request_register(actor=manager, contact=contact, channel="email", received_on="2026-07-01")
    client = client_for("prefecture")
    url = reverse("core:changelog")

    page = client.get(url, {"model": "privacy.erasurerequest"})
    assert [e.object_id for e in page.context["page"]] == [str(erasure.pk)]
    assert ("privacy.erasurerequest", "個人情報の削除請求") in page.context["models"]
    assert client.get(url, {"actor": "kanri"}).context["page"].paginator.count == 2
    assert client.get(url, {"actor": "someone-else"}).context["page"].paginator.count == 0
    assert (
        client.get(url, {"q": str(erasure.pk), "model": "privacy.erasurerequest"}).context["page"].paginator.count == 1
    )


def test_a_file_field_is_snapshotted_by_its_stored_name():
    from types import SimpleNamespace

    from django.db.models.fields.files import FieldFile

    from kakehashi.core.changelog import _plain

    field = SimpleNamespace(storage=None, name="file")
    assert _plain(FieldFile(None, field, "reports/2026-10.xlsx")) == "reports/2026-10.xlsx"
    assert _plain(FieldFile(None, field, None)) == ""
