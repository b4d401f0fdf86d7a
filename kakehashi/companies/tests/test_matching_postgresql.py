"""PostgreSQL specifics of matching: the prepared candidate query and the VACUUM after a rebuild."""

import pytest
from django.db import connection

from kakehashi.companies.matching import company_match, reindex_all
from kakehashi.companies.services import company_create
from kakehashi.companies.tests.factories import MunicipalityFactory, municipality_code

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _prepared_candidate_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%unnest(%"])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_candidate_query_is_prepared_once_and_answers_every_name():
    place = MunicipalityFactory(code=municipality_code("06201"), name="山形市")
    seimitsu = company_create(actor=None, name="株式会社山形精密", municipality=place)
    sato = company_create(actor=None, name="佐藤建設株式会社", municipality=place)

    first = company_match("山形精密㈱", municipality=place.code)
    second = company_match("(株)佐藤建設", municipality=place.code)
    third = company_match("株式会社 山形精蜜", municipality=place.code)  # a typo, more grams than the others

    assert first[0].company == seimitsu
    assert second[0].company == sato
    assert third[0].company == seimitsu
    assert _prepared_candidate_statements() == 1  # one statement text for names of any length


@pytest.mark.django_db(transaction=True)
def test_a_committed_rebuild_vacuums_the_index_tables():
    place = MunicipalityFactory(code=municipality_code("06201"), name="山形市")
    company_create(actor=None, name="株式会社山形精密", municipality=place)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'companies_companygram'")
        before = cursor.fetchone()[0]

    reindex_all()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'companies_companygram'")
        assert cursor.fetchone()[0] == before + 1
