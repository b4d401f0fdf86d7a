"""The visit list's rows and its cached fragments: cached until a visit of the programme is saved or deleted."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from kakehashi.outreach.models import Visit
from kakehashi.outreach.selectors import visit_list_rows, visits_for
from kakehashi.outreach.services import visits as services

pytestmark = pytest.mark.django_db
LIST_URL = reverse("outreach:visit_list")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _total(response) -> int:
    return int(re.search(r"<strong>(\d+)</strong>", response.content.decode()).group(1))


def _submitted(actor, programme, values) -> Visit:
    draft = services.visit_draft_save(actor=actor, programme=programme, values=values)
    return services.visit_submit(actor=actor, visit=draft)


@pytest.fixture
def cache_on(settings):
    settings.KAKEHASHI_PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_rows_carry_plain_labels_in_code_order(communicator, visit_programme, full_values, company):
    _submitted(communicator, visit_programme, full_values)
    [row] = visit_list_rows(visits_for(communicator, programme=visit_programme))
    visit = Visit.objects.get()
    assert row.company_name == company.name
    assert row.recorded_by == str(communicator)
    assert row.status_label == visit.get_status_display()
    assert row.format_label == visit.visit_format.label
    assert row.challenges == [code.label for code in visit.challenges.all()]
    assert row.outcomes == [code.label for code in visit.outcomes.all()]
    with translation.override("en"):
        [row] = visit_list_rows(visits_for(communicator, programme=visit_programme))
    assert row.format_label == (visit.visit_format.label_en or visit.visit_format.label_ja)


def test_a_draft_without_company_or_codes_still_lists(communicator, visit_programme):
    services.visit_draft_save(actor=communicator, programme=visit_programme, values={})
    [row] = visit_list_rows(visits_for(communicator, programme=visit_programme))
    assert (row.company_name, row.municipality_name, row.format_label, row.challenges) == ("", "", "", [])
    assert "（企業未選択）" in _client(communicator).get(LIST_URL).content.decode()


def test_a_repeated_request_is_served_from_the_cache(cache_on, communicator, visit_programme, full_values):
    _submitted(communicator, visit_programme, full_values)
    client = _client(communicator)
    first = client.get(LIST_URL).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST_URL).content.decode()
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(again).group() == main.search(first).group()
    assert not any("outreach_visit_challenges" in q["sql"] for q in queries.captured_queries), "rows not re-read"


def test_every_save_and_deletion_shows_at_once(cache_on, communicator, manager, visit_programme, full_values):
    client, office = _client(communicator), _client(manager)
    assert _total(client.get(LIST_URL)) == 0
    draft = services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values)
    assert _total(client.get(LIST_URL)) == 1, "a new draft (no progress change) still changes the key"
    visit = services.visit_submit(actor=communicator, visit=draft)
    assert "badge--blue" in office.get(LIST_URL).content.decode(), "submitted"
    services.visit_return(actor=manager, visit=visit, comment="要確認")
    assert "badge--red" in client.get(LIST_URL).content.decode(), "someone else's change shows at once"
    other = services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values)
    assert _total(client.get(LIST_URL)) == 2
    services.visit_discard(actor=communicator, visit=other)
    assert _total(client.get(LIST_URL)) == 1, "a deleted draft leaves the cached list at once"


def test_a_saved_visit_or_another_page_re_renders_the_results_but_not_the_filter_panel(
    cache_on, communicator, manager, visit_programme, full_values
):
    _submitted(communicator, visit_programme, full_values)
    office = _client(manager)
    panel_lists = ('FROM "reference_region"', 'FROM "reference_municipality"')  # the panel's option lists

    def read(query) -> tuple[str, str]:
        with CaptureQueriesContext(connection) as queries:
            content = office.get(LIST_URL, query).content.decode()
        return content, " ".join(q["sql"] for q in queries.captured_queries)

    first, sql = read({"sort": "company"})
    assert 'value="company" selected' in first
    assert all(table in sql for table in panel_lists)

    services.visit_draft_save(actor=communicator, programme=visit_programme, values=full_values)
    for query in ({"sort": "company"}, {"sort": "company", "page": "1"}):
        again, sql = read(query)
        assert "outreach_visit_challenges" in sql, "the results are read again"
        assert not any(table in sql for table in panel_lists), "the filter panel comes from the cache"
        assert 'value="company" selected' in again
        assert _total(office.get(LIST_URL, query)) == 2


def test_search_as_you_type_renders_the_results_alone(communicator, visit_programme, full_values):
    _submitted(communicator, visit_programme, full_values)
    with CaptureQueriesContext(connection) as queries:
        response = _client(communicator).get(LIST_URL, {"q": "DX"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<section id="visit-results"')
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "reference_region"' not in sql, "the filter panel is not built for a results swap"


def test_each_user_and_query_has_its_own_fragments(cache_on, communicator, manager, make_user, visit_programme):
    other = make_user("communicator")
    services.visit_draft_save(actor=communicator, programme=visit_programme, values={})
    assert _total(_client(communicator).get(LIST_URL)) == 1
    assert _total(_client(other).get(LIST_URL)) == 0, "another communicator never sees a cached list not theirs"
    assert _total(_client(communicator).get(LIST_URL, {"status": "accepted"})) == 0


@pytest.mark.parametrize(("query", "opened"), [({}, False), ({"sort": "company"}, True), ({"mine": "on"}, True)])
def test_the_filter_panel_opens_for_a_chosen_sort_or_filter(communicator, visit_programme, query, opened):
    body = _client(communicator).get(LIST_URL, query).content.decode()

    assert ('<details class="filter-panel" open>' in body) is opened


def test_a_bad_filter_is_reported_inside_the_results(communicator, visit_programme):
    response = _client(communicator).get(LIST_URL, {"visit_format": "helicopter"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="visit-results"')
    assert 'role="alert"' in content
    assert "外訪形態" in content


def test_mine_narrows_the_list_to_the_viewer(communicator, manager, visit_programme, full_values):
    _submitted(communicator, visit_programme, full_values)
    office = _client(manager)
    assert _total(office.get(LIST_URL)) == 1
    assert _total(office.get(LIST_URL, {"mine": "on"})) == 0
    assert _total(_client(communicator).get(LIST_URL, {"mine": "on"})) == 1
