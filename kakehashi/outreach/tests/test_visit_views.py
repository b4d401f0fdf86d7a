"""The visit screens: starting a report, the form (codes only, Japanese messages, nothing lost), autosave,
company search and the duplicate check, content suggestions, the field home, detail and review."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kakehashi.companies.models import Company, Contact
from kakehashi.companies.tests.factories import CompanyFactory
from kakehashi.outreach.choices import VisitStatus
from kakehashi.outreach.models import ContentItem, Visit
from kakehashi.outreach.services import visits as services

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_url(visit_uuid=None) -> str:
    return reverse("outreach:visit_edit", kwargs={"uuid": visit_uuid or uuid.uuid4()})


def _full_post(company, **extra) -> dict:
    data = {
        "company": company.pk,
        "visit_date": timezone.localdate().isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "visit_format": "visit",
        "challenges": ["security", "production"],
        "barriers": ["budget"],
        "digital_stage": "2",
        "introductions": ["mail_magazine"],
        "outcomes": ["mail_magazine", "seminar"],
        "interest_level": "high",
        "summary": "受発注を紙とFAXで管理。在庫の把握に時間がかかる。",
        "contact_name": "山田 太郎",
        "contact_title": "総務部長",
        "contact_phone": "023-630-2211",
        "contact_email": "yamada@example.jp",
        "consent_share_foundation": "on",
        "next_action": "機構の相談窓口を案内",
        "employees_band": "21_50",
        "municipality": company.municipality.code,
        "action": "submit",
    }
    data.update(extra)
    return data


# --- Starting and submitting -------------------------------------------------------------------------------------


def test_recording_starts_with_a_fresh_identifier_in_the_url(communicator):
    response = _client(communicator).get(reverse("outreach:visit_new"))
    assert response.status_code == 302
    assert re.fullmatch(r"/outreach/visits/[0-9a-f-]{36}/edit/", response["Location"])


def test_the_new_form_has_today_and_the_recorder(communicator, codes):
    response = _client(communicator).get(_edit_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in content
    assert f'value="{communicator.pk}"' in content
    assert "checked" in content
    assert "hx-post" in content
    assert "input delay:2s" in content
    assert not Visit.objects.exists(), "opening the form stores nothing"


def test_a_full_report_is_submitted_with_its_contact(communicator, company):
    visit_uuid = uuid.uuid4()
    response = _client(communicator).post(_edit_url(visit_uuid), _full_post(company))

    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:visit_detail", kwargs={"uuid": visit_uuid}) + "?submitted=1"
    visit = Visit.objects.get(uuid=visit_uuid)
    assert visit.status == VisitStatus.SUBMITTED
    assert sorted(c.code for c in visit.challenges.all()) == ["production", "security"]
    assert visit.consent_share_foundation
    assert not visit.consent_contractor_use
    assert visit.contact.name == "山田 太郎"
    assert visit.contact.company == company
    assert Contact.objects.count() == 1


def test_a_refused_submission_keeps_everything_and_says_why_next_to_the_field(communicator, company):
    visit_uuid = uuid.uuid4()
    data = _full_post(company, visit_format="", contact_email="yamada-at-example")
    response = _client(communicator).post(_edit_url(visit_uuid), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "外訪形態を選んでください。" in content
    assert "メールアドレスの形式が正しくありません" in content
    assert "受発注を紙とFAXで管理。" in content, "the summary is shown again"
    assert 'value="yamada-at-example"' in content, "even the invalid e-mail is shown again"
    visit = Visit.objects.get(uuid=visit_uuid)
    assert visit.status == VisitStatus.DRAFT
    assert visit.summary.startswith("受発注を紙とFAXで管理")
    assert visit.draft_data["contact"]["name"] == "山田 太郎"


def test_coded_fields_take_codes_only(communicator, company, codes):
    codes("challenge", "security").__class__.objects.filter(list="challenge", code="iot_equipment").update(active=False)
    data = _full_post(company, challenges=["security", "ＩｏＴ", "iot_equipment"], visit_format="訪問")
    response = _client(communicator).post(_edit_url(), data)

    content = response.content.decode()
    assert content.count("選択肢から選んでください。") >= 2
    assert 'value="iot_equipment"' not in content, "a retired code is not offered on a new report"


def test_the_draft_button_saves_without_checking_completeness(communicator):
    visit_uuid = uuid.uuid4()
    response = _client(communicator).post(_edit_url(visit_uuid), {"summary": "メモだけ", "action": "draft"})
    assert response.status_code == 302
    assert Visit.objects.get(uuid=visit_uuid).status == VisitStatus.DRAFT


# --- Autosave ------------------------------------------------------------------------------------------------------


def test_autosave_stores_what_is_valid_and_names_what_is_not(communicator):
    visit_uuid = uuid.uuid4()
    url = reverse("outreach:visit_autosave", kwargs={"uuid": visit_uuid})
    response = _client(communicator).post(
        url, {"summary": "途中", "contact_email": "not-an-email", "visit_date": "2026-13-45"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r"下書きを保存しました \d\d:\d\d", content)
    assert "メールアドレス" in content
    assert "訪問日" in content
    visit = Visit.objects.get(uuid=visit_uuid)
    assert visit.summary == "途中"
    assert visit.visit_date is None


def test_autosave_of_a_submitted_report_changes_nothing(manager, communicator, company):
    visit_uuid = uuid.uuid4()
    _client(communicator).post(_edit_url(visit_uuid), _full_post(company))
    url = reverse("outreach:visit_autosave", kwargs={"uuid": visit_uuid})
    response = _client(manager).post(url, {"summary": "上書き"})
    assert "自動保存しません" in response.content.decode()
    assert Visit.objects.get(uuid=visit_uuid).summary.startswith("受発注")


def test_someone_elses_uuid_is_not_found(communicator, make_user, visit_programme):
    visit = services.visit_draft_save(actor=communicator, programme=visit_programme, values={})
    other = make_user("communicator")
    assert _client(other).post(reverse("outreach:visit_autosave", kwargs={"uuid": visit.uuid}), {}).status_code == 404
    assert _client(other).get(_edit_url(visit.uuid)).status_code == 404


# --- Company picking -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["蔵", "蔵王", "ザオ", "蔵王精密"])
def test_company_search_works_from_one_character(query, communicator, company):
    CompanyFactory(name="有限会社月山食品", municipality=company.municipality)
    response = _client(communicator).get(reverse("outreach:visit_company_search"), {"company_q": query})
    content = response.content.decode()
    assert "株式会社蔵王精密" in content
    assert "月山食品" not in content


def test_picking_a_company_prefills_its_attributes(communicator, company):
    response = _client(communicator).get(reverse("outreach:visit_company_pick"), {"company": company.pk})
    content = response.content.decode()
    assert f'name="company" value="{company.pk}"' in content
    assert re.search(r'<option value="21_50" selected>', content)
    assert re.search(rf'<option value="{company.municipality.code}" selected>', content)


def test_a_new_company_goes_through_the_duplicate_check(communicator, company):
    client = _client(communicator)
    url = reverse("outreach:visit_company_create")
    data = {"new_company_name": "(株)蔵王精密", "new_company_municipality": company.municipality.code}

    response = client.post(url, data)
    content = response.content.decode()
    assert "同じ企業等がすでに登録されている可能性があります。" in content
    assert "株式会社蔵王精密" in content
    assert "別の企業として登録" in content
    assert Company.objects.count() == 1

    response = client.post(url, {**data, "confirm_distinct": "1"})
    assert Company.objects.count() == 2
    created = Company.objects.exclude(pk=company.pk).get()
    assert created.sources == ["visit"]
    assert f'name="company" value="{created.pk}"' in response.content.decode()
    assert response["HX-Retarget"] == "#company-section"


def test_a_new_company_without_a_probable_duplicate_is_created_at_once(communicator, company):
    response = _client(communicator).post(
        reverse("outreach:visit_company_create"), {"new_company_name": "合同会社まったく別の名前"}
    )
    assert Company.objects.filter(name="合同会社まったく別の名前").exists()
    assert "企業台帳に新しく登録しました" in response.content.decode()


def test_a_new_company_needs_a_name(communicator):
    response = _client(communicator).post(reverse("outreach:visit_company_create"), {"new_company_name": "  "})
    assert "名称を入力してください。" in response.content.decode()


# --- Content suggestions -------------------------------------------------------------------------------------------


def test_content_is_suggested_for_the_ticked_challenges(communicator, visit_programme, codes):
    security = ContentItem.objects.create(programme=visit_programme, title="情報セキュリティ入門", kind="interest")
    security.challenges.add(codes("challenge", "security"))
    other = ContentItem.objects.create(programme=visit_programme, title="EC活用事例", kind="interest")
    other.challenges.add(codes("challenge", "sales_customer"))

    response = _client(communicator).get(reverse("outreach:visit_content_suggestions"), {"challenges": ["security"]})
    content = response.content.decode()
    assert "情報セキュリティ入門" in content
    assert "EC活用事例" not in content

    response = _client(communicator).get(
        reverse("outreach:visit_content_suggestions"), {"challenges": [], "contents_shown": [str(other.pk)]}
    )
    assert "EC活用事例" in response.content.decode(), "what was ticked stays listed"


# --- Field home, list, detail and review ---------------------------------------------------------------------------


def test_the_field_home_shows_todays_work(communicator, manager, visit_programme, full_values):
    today = timezone.localdate()
    draft_today = services.visit_draft_save(
        actor=communicator, programme=visit_programme, values={"company": full_values["company"], "visit_date": today}
    )
    follow = services.visit_draft_save(
        actor=communicator, programme=visit_programme, values={**full_values, "follow_up_date": today}
    )
    follow = services.visit_submit(actor=communicator, visit=follow)
    returned = services.visit_submit(
        actor=communicator,
        visit=services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values),
    )
    services.visit_return(actor=manager, visit=returned, comment="概要を追記してください")

    response = _client(communicator).get(reverse("outreach:visit_today"))
    content = response.content.decode()
    assert "訪問を記録する" in content
    assert "差し戻された報告" in content
    assert "フォローアップ予定" in content
    assert reverse("outreach:visit_edit", kwargs={"uuid": draft_today.uuid}) in content
    assert reverse("outreach:visit_edit", kwargs={"uuid": returned.uuid}) in content
    home = response.context["home"]
    assert follow in home.follow_ups
    assert draft_today in home.today
    assert returned in home.returned


def test_a_manager_sees_how_many_reports_wait_for_review(communicator, manager, visit_programme, full_values):
    services.visit_submit(
        actor=communicator,
        visit=services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values),
    )
    content = _client(manager).get(reverse("outreach:visit_today")).content.decode()
    assert "確認待ちの訪問報告が 1 件あります" in content


def test_detail_shows_the_contact_and_records_views_by_others(communicator, manager, company):
    from kakehashi.privacy.models import AccessLogEntry

    visit_uuid = uuid.uuid4()
    _client(communicator).post(_edit_url(visit_uuid), _full_post(company))
    url = reverse("outreach:visit_detail", kwargs={"uuid": visit_uuid})

    content = _client(communicator).get(url).content.decode()
    assert "023-630-2211" in content
    assert f'data-clear-local-draft="{visit_uuid}"' in content, "the phone forgets its local copy"
    assert not AccessLogEntry.objects.exists(), "the communicator's own record is not logged"

    assert "023-630-2211" in _client(manager).get(url).content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.path) == (manager, "contact_view", url)
    assert entry.object_id == str(Visit.objects.get(uuid=visit_uuid).contact_id)
    assert "023-630-2211" not in entry.object_label


def test_a_manager_returns_a_report_with_a_comment(communicator, manager, company):
    visit_uuid = uuid.uuid4()
    _client(communicator).post(_edit_url(visit_uuid), _full_post(company))
    url = reverse("outreach:visit_review", kwargs={"uuid": visit_uuid})

    response = _client(manager).post(url, {"decision": "return", "comment": ""})
    assert "差戻しの理由を入力してください。" in response.content.decode()
    response = _client(manager).post(url, {"decision": "return", "comment": "課題をもう一つ確認"})
    assert response.status_code == 302
    assert Visit.objects.get(uuid=visit_uuid).status == VisitStatus.RETURNED

    content = _client(communicator).get(_edit_url(visit_uuid)).content.decode()
    assert "課題をもう一つ確認" in content
    assert "再提出する" in content


def test_the_list_keeps_a_bounded_number_of_queries(
    communicator, visit_programme, full_values, django_assert_max_num_queries
):
    for _ in range(8):
        services.visit_submit(
            actor=communicator,
            visit=services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values),
        )
    client = _client(communicator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("outreach:visit_list"))
    assert response.context["page"].paginator.count == 8


def test_the_cached_list_total_follows_new_drafts_and_submissions(
    communicator, manager, visit_programme, full_values, settings
):
    from django.core.cache import cache

    settings.KAKEHASHI_PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    list_url = reverse("outreach:visit_list")

    def total(user) -> int:
        return _client(user).get(list_url).context["page"].paginator.count

    assert total(communicator) == 0
    draft = services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values)
    assert total(communicator) == 1, "the recorder's own new draft is counted at once"
    assert total(manager) == 1
    services.visit_submit(actor=communicator, visit=draft)
    services.visit_submit(
        actor=communicator,
        visit=services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values),
    )
    assert total(manager) == 2, "submissions bump the programme's version"
    assert total(communicator) == 2
    filtered = _client(manager).get(list_url, {"status": "returned"}).context["page"].paginator.count
    assert filtered == 0, "each filter has its own total"


def test_a_manager_edits_a_submitted_report_and_others_cannot(communicator, manager, make_user, company):
    visit_uuid = uuid.uuid4()
    _client(communicator).post(_edit_url(visit_uuid), _full_post(company))
    page = _client(manager).get(_edit_url(visit_uuid)).content.decode()
    assert "更新する" in page
    assert "input delay:2s" not in page, "no autosave on a submitted report"

    response = _client(manager).post(
        _edit_url(visit_uuid), _full_post(company, next_action="電話で再確認", action="update")
    )
    assert response.status_code == 302
    visit = Visit.objects.get(uuid=visit_uuid)
    assert (visit.status, visit.next_action) == (VisitStatus.SUBMITTED, "電話で再確認")

    assert _client(make_user("prefecture")).get(_edit_url(visit_uuid)).status_code == 404
    assert _client(communicator).get(_edit_url(visit_uuid)).status_code == 404, "submitted: no longer the recorder's"
    assert (
        _client(make_user("prefecture")).get(reverse("outreach:visit_detail", kwargs={"uuid": visit_uuid})).status_code
        == 200
    )
