"""The one filter definition of the visit list, Japanese full-text search, and the CSV/XLSX exports."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.companies.tests.factories import CompanyFactory, RegionFactory
from kakehashi.core.exports import BOM
from kakehashi.outreach.filters import filter_visits
from kakehashi.outreach.models import Visit
from kakehashi.outreach.search import fts_available, normalise_search_text, search_terms, search_visits
from kakehashi.outreach.services import visits as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(communicator, make_user, visit_programme, full_values, codes, company, other_municipality):
    """Three submitted visits and one draft with distinct formats, challenges, places and summaries."""
    today = timezone.localdate()
    other = make_user("communicator")
    yonezawa = CompanyFactory(name="米沢織物株式会社", name_kana="ヨネザワオリモノ", municipality=other_municipality)

    def make(actor, submit=True, **values):
        visit = services.visit_draft_save(actor=actor, programme=visit_programme, values={**full_values, **values})
        return services.visit_submit(actor=actor, visit=visit) if submit else visit

    return {
        "zao": make(communicator),  # 在庫 / 受発注 summary, visit, security+production, mail_magazine
        "online": make(
            other,
            company=yonezawa,
            visit_format=codes("visit_format", "online"),
            challenges=[codes("challenge", "sales_customer")],
            outcomes=[codes("outcome", "seminar")],
            summary="ECサイトの立ち上げを検討。AIで需要予測をしたい。",
            visit_date=today - datetime.timedelta(days=30),
        ),
        "seminar": make(
            communicator,
            visit_format=codes("visit_format", "seminar"),
            challenges=[codes("challenge", "security")],
            summary="セミナー後の個別相談。情報セキュリティ対策が手つかず。",
            visit_date=today - datetime.timedelta(days=5),
        ),
        "draft": make(communicator, submit=False, summary="下書きの在庫メモ"),
    }


def _found(user, data, programme):
    return set(
        filter_visits(
            Visit.objects.filter(programme=programme), data, programme=programme, user=user
        ).queryset.values_list("pk", flat=True)
    )


def _pks(*visits):
    return {v.pk for v in visits}


def test_each_filter_narrows_the_list(visits, communicator, visit_programme, other_municipality):
    today = timezone.localdate()
    v = visits
    assert _found(communicator, {"visit_format": "online"}, visit_programme) == _pks(v["online"])
    assert _found(communicator, {"challenge": "security"}, visit_programme) == _pks(v["zao"], v["seminar"], v["draft"])
    assert _found(communicator, {"outcome": "seminar"}, visit_programme) == _pks(v["online"])
    assert _found(communicator, {"status": "counted"}, visit_programme) == _pks(v["zao"], v["online"], v["seminar"])
    assert _found(communicator, {"status": "draft"}, visit_programme) == _pks(v["draft"])
    assert _found(communicator, {"municipality": other_municipality.code}, visit_programme) == _pks(v["online"])
    period = {"date_from": (today - datetime.timedelta(days=10)).isoformat(), "date_to": today.isoformat()}
    assert _found(communicator, period, visit_programme) == _pks(v["zao"], v["seminar"], v["draft"])
    assert _found(communicator, {"mine": "on"}, visit_programme) == _pks(v["zao"], v["seminar"], v["draft"])
    other = v["online"].recorded_by
    assert _found(communicator, {"communicator": other.username}, visit_programme) == _pks(v["online"])


def test_region_filter_uses_the_configured_groups(visits, communicator, visit_programme, other_municipality):
    RegionFactory(code="okitama", name="置賜", municipalities=[other_municipality])
    assert _found(communicator, {"region": "okitama"}, visit_programme) == _pks(visits["online"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [("米", {"online"}), ("米沢", {"online"}), ("ヨネザワ", {"online"}), ("蔵王精", {"zao", "seminar", "draft"})],
)
def test_company_name_filter_from_one_character(query, expected, visits, communicator, visit_programme):
    assert _found(communicator, {"company": query}, visit_programme) == {visits[k].pk for k in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("在", {"zao", "draft"}),  # one character
        ("在庫", {"zao", "draft"}),  # two characters
        ("ai", {"online"}),  # two ASCII characters, any case
        ("ＥＣサイト", {"online"}),  # full width folds to half width, three or more: the trigram index
        ("情報セキュリティ", {"seminar"}),
        ("受発注 在庫", {"zao"}),  # every term must occur
        ("せきゅりてぃ", {"seminar"}),  # hiragana finds katakana
        ("存在しない語句", set()),
    ],
)
def test_full_text_search_over_summaries(query, expected, visits, communicator, visit_programme):
    assert _found(communicator, {"q": query}, visit_programme) == {visits[k].pk for k in expected}


def test_sqlite_uses_its_trigram_index_and_still_checks_the_text(visits, visit_programme):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert fts_available()
    # A stale index row can only make a visit be missed, never found wrongly.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_visit_fts SET search_text = 'まったく別の情報セキュリティ' WHERE rowid = %s",
            [visits["online"].pk],
        )
    found = search_visits(Visit.objects.all(), "情報セキュリティ")
    assert set(found.values_list("pk", flat=True)) == {visits["seminar"].pk}


def test_search_text_follows_edits(visits, communicator):
    draft = services.visit_draft_save(actor=communicator, visit=visits["draft"], values={"summary": "補助金の相談"})
    assert set(search_visits(Visit.objects.all(), "補助金").values_list("pk", flat=True)) == {draft.pk}
    assert not search_visits(Visit.objects.filter(pk=draft.pk), "在庫メモ").exists()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_query_terms_are_normalised_and_bounded(text):
    terms = search_terms(text)
    assert len(terms) <= 5
    assert all(t and " " not in t and t == normalise_search_text(t) for t in terms)


def test_a_bad_filter_value_is_ignored_and_reported(visits, communicator, visit_programme):
    result = filter_visits(
        Visit.objects.filter(programme=visit_programme),
        {"visit_format": "helicopter", "date_from": "yesterday"},
        programme=visit_programme,
    )
    assert result.queryset.count() == 4
    assert len(result.ignored) == 2
    assert "外訪形態" in result.ignored[0] + result.ignored[1]


# --- Exports -------------------------------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_csv_export_is_excel_ready_with_codes_and_labels(visits, manager):
    response = _client(manager).get(reverse("outreach:visit_export", args=["csv"]), {"visit_format": "online"})
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM.encode("utf-8"))
    text = body.decode("utf-8-sig")
    header, *rows = text.strip().split("\r\n")
    assert "外訪形態コード" in header
    assert "外訪形態" in header
    assert "課題カテゴリコード" in header
    assert len(rows) == 1
    assert ",online,オンライン," in rows[0]
    assert "sales_customer" in rows[0]
    assert "顧客対応・販売" in rows[0]
    assert "yamada@example.jp" not in text, "no personal information"
    assert "023-630" not in text, "no personal information"


def test_exports_neutralise_formulas(visits, manager, communicator):
    services.visit_draft_save(
        actor=communicator, visit=visits["draft"], values={"summary": '=HYPERLINK("http://evil")', "next_action": "+1"}
    )
    response = _client(manager).get(reverse("outreach:visit_export", args=["csv"]), {"status": "draft"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",'+1," in text

    from openpyxl import load_workbook

    response = _client(manager).get(reverse("outreach:visit_export", args=["xlsx"]), {"status": "draft"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil")' in values
    assert sheet["A1"].value == "識別子"


def test_communicators_cannot_export(visits, communicator):
    assert _client(communicator).get(reverse("outreach:visit_export", args=["csv"])).status_code == 403


def test_an_unknown_export_format_is_not_found(manager):
    assert _client(manager).get(reverse("outreach:visit_export", args=["pdf"])).status_code == 404


def test_bulk_inserted_visits_are_found_after_a_reindex(communicator, visit_programme):
    from django.core.management import call_command

    Visit.objects.bulk_create(
        [
            Visit(programme=visit_programme, recorded_by=communicator, summary=f"一括投入{n} 原価管理の相談")
            for n in range(3)
        ]
    )
    assert not search_visits(Visit.objects.all(), "原価管理").exists()
    call_command("visit_search_reindex", stdout=io.StringIO())
    assert search_visits(Visit.objects.all(), "原価管理").count() == 3
    assert search_visits(Visit.objects.all(), "原価").count() == 3
