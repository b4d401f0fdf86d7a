import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_programme_in_wareki(client_for, programme):
    body = client_for("manager").get("/").content.decode()
    assert programme.name in body
    assert "令和8年4月1日" in body
    assert "令和9年3月31日" in body


def test_home_without_programme_explains_what_to_do(client_for):
    body = client_for("communicator", member=False).get("/").content.decode()
    assert "参加している事業がありません" in body
    assert "ようこそ" in client_for("company_member").get("/").content.decode()


def test_navigation_depends_on_role(client_for):
    assert "変更履歴" in client_for("prefecture").get("/").content.decode()
    assert "変更履歴" not in client_for("communicator").get("/").content.decode()


def test_programme_switch_changes_the_current_programme(make_user, client, programme, other_programme):
    from kakehashi.outreach.models import ProgrammeMembership

    user = make_user("manager")
    ProgrammeMembership.objects.create(programme=other_programme, user=user, role="manager")
    client.force_login(user)
    client.post(reverse("core:programme_switch"), {"programme": other_programme.pk, "next": "https://evil.example/"})
    assert other_programme.name in client.get("/").content.decode()


@override_settings(DEBUG=False)
def test_404_page_is_helpful(client_for):
    response = client_for("manager").get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_changelog_search(client_for, programme):
    from kakehashi.core.changelog import log_change

    log_change(actor=None, instance=programme, action="create")
    body = client_for("prefecture").get(reverse("core:changelog"), {"q": programme.name[:6]}).content.decode()
    assert programme.name in body
