import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kakehashi.companies.choices import CompanyStatus
from kakehashi.companies.corporate_number import make_corporate_number
from kakehashi.companies.models import Company, Contact
from kakehashi.companies.templatetags.companies_tags import corporate_number
from kakehashi.companies.tests.factories import (
    CodeItemFactory,
    CompanyFactory,
    ContactFactory,
    IndustryFactory,
    MunicipalityFactory,
)
from kakehashi.core.changelog import history_for
from kakehashi.outreach.services import designation_add
from kakehashi.outreach.tests.factories import PrefectureFactory

pytestmark = pytest.mark.django_db

LIST = reverse("companies:list")


@pytest.fixture
def city(programme):
    return MunicipalityFactory(code="062014", name="山形市", prefecture=programme.prefecture)


@pytest.fixture
def company(city):
    return CompanyFactory(
        name="株式会社山形精機",
        name_kana="ヤマガタセイキ",
        municipality=city,
        corporate_number=make_corporate_number("000012050002"),
    )


@pytest.fixture
def foreign_company():
    """A company of another prefecture, designated in no programme of the test users: out of scope."""
    miyagi = PrefectureFactory(code="04", name="宮城県")
    sendai = MunicipalityFactory(code="041009", name="仙台市", prefecture=miyagi)
    return CompanyFactory(name="仙台の会社", municipality=sendai)


# --- List ---------------------------------------------------------------------------------------------------------


def test_list_shows_companies_with_count_and_designation_badge(client_for, company, programme, make_user):
    designation_add(actor=make_user("prefecture"), programme=programme, company=company)
    CompanyFactory(name="統合済の会社", status=CompanyStatus.MERGED)

    response = client_for("communicator").get(LIST)

    body = response.content.decode()
    assert response.status_code == 200
    assert "株式会社山形精機" in body
    assert corporate_number(company.corporate_number) in body
    assert "統合済の会社" not in body
    assert '<span class="badge badge--blue">指定</span>' in body
    assert "<strong>1</strong> 件" in body
    assert '<details class="filter-panel"' in body
    assert 'hx-trigger="input changed delay:300ms, search"' in body


@pytest.mark.parametrize(("query", "opened"), [({}, False), ({"sort": "name"}, True)])
def test_the_filter_panel_opens_for_a_chosen_sort(client_for, company, query, opened):
    body = client_for("communicator").get(LIST, query).content.decode()

    assert ('<details class="filter-panel" open>' in body) is opened


def test_list_leaves_out_companies_of_other_prefectures(client_for, company, foreign_company):
    body = client_for("manager").get(LIST).content.decode()
    assert "株式会社山形精機" in body
    assert "仙台の会社" not in body


def test_superuser_sees_every_prefecture(client_for, company, foreign_company):
    body = client_for("superuser").get(LIST).content.decode()
    assert "仙台の会社" in body


@pytest.mark.parametrize("query", ["ＡＢ", "佐藤"])
def test_search_as_you_type_returns_the_results_partial(client_for, city, query):
    CompanyFactory(name="ＡＢ電機株式会社", municipality=city)
    CompanyFactory(name="佐藤商店", municipality=city)
    CompanyFactory(name="鈴木工業", municipality=city)

    response = client_for("communicator").get(LIST, {"q": query}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body, "HTMX gets only the partial"
    assert 'id="company-results"' in body
    assert "鈴木工業" not in body
    assert ("ＡＢ電機株式会社" in body) == (query == "ＡＢ")
    assert ("佐藤商店" in body) == (query == "佐藤")


def test_bad_filter_values_show_a_message_not_an_error(client_for, company):
    response = client_for("manager").get(LIST, {"sort": "evil", "municipality": "000000"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "株式会社山形精機" in body
    assert "「並び順」の指定が正しくない" in body
    assert "「市区町村」の指定が正しくない" in body


def test_list_query_count_is_bounded(client_for, city, programme, make_user, django_assert_max_num_queries):
    industry = IndustryFactory(code="E", name="製造業")
    form = CodeItemFactory(list="business_form", code="manufacturing_own", label_ja="製造(自社製品)")
    size = CodeItemFactory(list="employees", code="6_20", label_ja="6〜20人")
    actor = make_user("prefecture")
    for n in range(30):
        c = CompanyFactory(municipality=city, industry=industry, business_form=form, employees_band=size)
        if n % 3 == 0:
            designation_add(actor=actor, programme=programme, company=c)
    client = client_for("manager")
    client.get(LIST)  # warm caches (content types, sessions)

    with django_assert_max_num_queries(20):
        response = client.get(LIST, {"industry": "E", "sort": "municipality"})
    assert response.content.decode().count('href="/companies/') >= 30


def test_list_is_paginated(client_for, city):
    for _ in range(55):
        CompanyFactory(municipality=city)

    body = client_for("manager").get(LIST).content.decode()

    assert "<strong>55</strong> 件" in body
    assert "1 / 2 ページ" in body


# --- Exports ------------------------------------------------------------------------------------------------------


def test_csv_export_of_the_filtered_list(client_for, company, city):
    CompanyFactory(name="=cmd|' /C calc'!A0", municipality=city)
    CompanyFactory(name="天童の会社", municipality=MunicipalityFactory(code="062103", name="天童市"))

    response = client_for("prefecture").get(reverse("companies:export", args=["csv"]), {"municipality": "062014"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    names = [r[2] for r in rows[1:]]
    assert sorted(names) == sorted(["株式会社山形精機", "'=cmd|' /C calc'!A0"])
    assert rows[0][:4] == ["ID", "法人番号", "名称", "フリガナ"]


def test_xlsx_export(client_for, company):
    response = client_for("manager").get(reverse("companies:export", args=["xlsx"]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].value == "株式会社山形精機"
    assert sheet["H2"].value == "062014"


def test_unknown_export_format_is_404(client_for):
    assert client_for("manager").get(reverse("companies:export", args=["pdf"])).status_code == 404


# --- Detail -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_contacts"),
    [
        ("prefecture", True),
        ("manager", True),
        ("communicator", True),
        # coordinator: per consent, in kakehashi/sharing/tests/test_consent.py
        ("partner", False),
        ("superuser", False),
    ],
)
def test_contacts_are_shown_only_to_roles_that_need_them(client_for, company, role, sees_contacts):
    ContactFactory(company=company, name="連絡太郎", phone="023-630-2211")

    body = client_for(role).get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert "株式会社山形精機" in body
    assert ("連絡太郎" in body) == sees_contacts
    assert ("023-630-2211" in body) == sees_contacts
    assert ("担当者" in body) == sees_contacts, "others see nothing, not even the section"


def test_detail_shows_attributes_designations_and_history(client_for, company, programme, make_user):
    designation_add(actor=make_user("prefecture"), programme=programme, company=company)
    client = client_for("manager")
    client.post(reverse("companies:update", args=[company.pk]), _company_post(company, address="旅篭町二丁目3-25"))

    body = client.get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert corporate_number(company.corporate_number) in body
    assert corporate_number(company.corporate_number).startswith(company.corporate_number[0] + "-0000-1205-0002")
    assert "山形県山形市旅篭町二丁目3-25" in body
    assert programme.name in body
    assert "変更履歴" in body
    assert "旅篭町二丁目3-25" in body.split("変更履歴")[-1], "the change shows in the history table"


def test_merged_record_links_to_the_survivor(client_for, company):
    merged = CompanyFactory(name="山形精機（重複）", status=CompanyStatus.MERGED, merged_into=company)

    body = client_for("partner").get(reverse("companies:detail", args=[merged.pk])).content.decode()

    assert "統合されました" in body
    assert reverse("companies:detail", args=[company.pk]) in body


@pytest.mark.parametrize("role", ["prefecture", "manager", "communicator", "coordinator", "partner"])
def test_out_of_scope_company_is_404_for_staff(client_for, foreign_company, role):
    assert client_for(role).get(reverse("companies:detail", args=[foreign_company.pk])).status_code == 404


def test_company_designated_in_my_programme_is_in_scope_wherever_it_is(
    client_for, foreign_company, programme, make_user
):
    designation_add(actor=make_user("prefecture"), programme=programme, company=foreign_company)
    assert client_for("partner").get(reverse("companies:detail", args=[foreign_company.pk])).status_code == 200


def test_missing_company_is_404(client_for):
    assert client_for("manager").get(reverse("companies:detail", args=[999999])).status_code == 404


# --- Create and edit ----------------------------------------------------------------------------------------------


def _company_post(company=None, **overrides):
    data = {
        "name": company.name if company else "",
        "name_kana": company.name_kana if company else "",
        "corporate_number": company.corporate_number or "" if company else "",
        "municipality": company.municipality_id or "" if company else "",
        "postal_code": "",
        "address": "",
        "website": "",
        "status": "active",
        "closed_on": "",
    }
    data.update(overrides)
    return data


def test_update_saves_through_the_service_and_logs_before_and_after(client_for, company):
    response = client_for("communicator").post(
        reverse("companies:update", args=[company.pk]),
        _company_post(company, name="株式会社 山形精機製作所", postal_code="９９０－８５７０"),
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "株式会社 山形精機製作所"
    assert company.postal_code == "9908570"
    entry = history_for(company).first()
    assert entry.changes["name"] == ["株式会社山形精機", "株式会社 山形精機製作所"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("corporate_number", "1234567890123", "チェックデジット"),
        ("corporate_number", "12345", "13桁"),
        ("postal_code", "99085", "7桁"),
        ("name", "　", "名称を入力してください"),
    ],
)
def test_update_validation_messages_are_japanese(client_for, company, field, value, message):
    response = client_for("manager").post(
        reverse("companies:update", args=[company.pk]), _company_post(company, **{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_create_without_matches_creates_directly(client_for, city):
    response = client_for("communicator").post(
        reverse("companies:create"), _company_post(name="まったく新しい商店", municipality=city.pk)
    )

    company = Company.objects.get(name="まったく新しい商店")
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    assert company.sources == ["manual"]


def test_create_shows_probable_matches_and_needs_explicit_confirmation(client_for, company, city):
    client = client_for("communicator")
    data = _company_post(name="（株）山形精機", municipality=city.pk)

    first = client.post(reverse("companies:create"), data)

    body = first.content.decode()
    assert first.status_code == 200
    assert Company.objects.filter(name="（株）山形精機").count() == 0
    assert "同じ企業がすでに登録されている可能性があります" in body
    assert reverse("companies:detail", args=[company.pk]) in body
    assert "正規化名称が一致" in body
    assert 'name="confirm_distinct" value="1"' in body

    assert 'name="checked_name" value="（株）山形精機"' in body

    second = client.post(
        reverse("companies:create"), {**data, "confirm_distinct": "1", "checked_name": "（株）山形精機"}
    )

    assert second.status_code == 302
    assert Company.objects.filter(name="（株）山形精機").count() == 1


def test_confirmation_does_not_carry_over_to_a_changed_name(client_for, company, city):
    data = _company_post(name="山形精機（株）", municipality=city.pk, confirm_distinct="1", checked_name="別の名前")

    response = client_for("manager").post(reverse("companies:create"), data)

    assert response.status_code == 200
    assert "同じ企業がすでに登録されている可能性があります" in response.content.decode()
    assert not Company.objects.filter(name="山形精機（株）").exists()


def test_create_refuses_a_corporate_number_already_registered(client_for, company, city):
    response = client_for("manager").post(
        reverse("companies:create"), _company_post(name="別名", corporate_number=company.corporate_number)
    )

    assert response.status_code == 200
    assert "この法人番号の企業等はすでに登録されています" in response.content.decode()


def test_status_merged_cannot_be_typed_in(client_for, company):
    response = client_for("manager").post(
        reverse("companies:update", args=[company.pk]), _company_post(company, status="merged")
    )

    assert response.status_code == 200
    company.refresh_from_db()
    assert company.status == CompanyStatus.ACTIVE


# --- Contacts -----------------------------------------------------------------------------------------------------


def test_contact_add_edit_delete(client_for, company):
    client = client_for("communicator")

    response = client.post(
        reverse("companies:contact_create", args=[company.pk]),
        {"name": "山田 花子", "title": "総務課長", "phone": "０２３－６３０－２２１１", "email": "hanako@example.jp"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(company=company)
    assert contact.phone == "023-630-2211"

    response = client.post(
        reverse("companies:contact_update", args=[company.pk, contact.pk]),
        {"name": "山田 花子", "title": "総務部長", "phone": "023-630-2211", "email": "hanako@example.jp"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.title == "総務部長"

    response = client.post(reverse("companies:contact_delete", args=[company.pk, contact.pk]))
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "氏名を入力してください"),
        ({"name": "山田", "phone": "電話して"}, "電話番号は数字とハイフンで入力してください"),
        ({"name": "山田", "email": "hanako@"}, "メールアドレスの形式が正しくありません"),
    ],
)
def test_contact_validation_messages(client_for, company, data, message):
    response = client_for("manager").post(reverse("companies:contact_create", args=[company.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_of_another_company_is_404(client_for, company, city):
    other = ContactFactory(company=CompanyFactory(municipality=city))
    url = reverse("companies:contact_update", args=[company.pk, other.pk])
    assert client_for("manager").get(url).status_code == 404


# --- Duplicates and merge -----------------------------------------------------------------------------------------


def test_duplicate_review_lists_probable_pairs(client_for, company, city):
    twin = CompanyFactory(name="山形精機（株）", municipality=city)  # same name_key, same city, no number
    CompanyFactory(name="全く別の会社", municipality=city)

    body = client_for("prefecture").get(reverse("companies:duplicates")).content.decode()

    assert "重複の可能性がある組が 1 組あります" in body
    assert reverse("companies:merge", args=[company.pk, twin.pk]) in body
    assert "同じ市区町村に同じ名称" in body


def test_merge_confirm_then_merge(client_for, company, city):
    twin = CompanyFactory(name="山形精機（株）", municipality=city, website="https://seiki.example.jp/")
    ContactFactory(company=twin, name="移る担当者")
    client = client_for("manager")
    url = reverse("companies:merge", args=[company.pk, twin.pk])

    page = client.get(url).content.decode()
    assert "株式会社山形精機" in page
    assert "山形精機（株）" in page
    assert "https://seiki.example.jp/" in page

    response = client.post(url, {"survivor": company.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    twin.refresh_from_db()
    assert twin.status == CompanyStatus.MERGED
    assert Contact.objects.get(name="移る担当者").company_id == company.pk


def test_merge_refusal_is_shown_on_the_page(client_for, company, city):
    other = CompanyFactory(name="山形精機", municipality=city, corporate_number=make_corporate_number("000012050003"))

    response = client_for("manager").post(
        reverse("companies:merge", args=[company.pk, other.pk]), {"survivor": other.pk}
    )

    assert response.status_code == 200
    assert "法人番号が異なる記録は別の法人のため統合できません" in response.content.decode()


def test_duplicate_review_finds_similar_names_on_request(client_for, city):
    first = CompanyFactory(name="山形精密機械製作所", municipality=city)
    second = CompanyFactory(name="山形精密機械製造所", municipality=city)
    client = client_for("manager")
    merge_url = reverse("companies:merge", args=[first.pk, second.pk])

    assert merge_url not in client.get(reverse("companies:duplicates")).content.decode()
    body = client.get(reverse("companies:duplicates"), {"similar": "1"}).content.decode()

    assert merge_url in body
    assert "同じ市区町村に似た名称" in body
