"""The progress cache key follows every saved visit report and designation."""

import pytest

from kakehashi.insights.kpis import progress_cache_key
from kakehashi.insights.models import ProgressVersion

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    from django.core.cache import cache

    settings.KAKEHASHI_PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_no_key_and_no_counter_while_caching_is_off(kpi_world):
    assert progress_cache_key(kpi_world["programme"], TODAY) is None
    assert not ProgressVersion.objects.exists()


def test_saving_a_visit_gives_a_new_key(kpi_world, caching):
    programme = kpi_world["programme"]
    before = progress_cache_key(programme, TODAY)
    visit = programme.visits.first()
    visit.summary = "追記"
    visit.save()
    assert progress_cache_key(programme, TODAY) != before


def test_deleting_a_visit_gives_a_new_key(kpi_world, caching):
    programme = kpi_world["programme"]
    before = progress_cache_key(programme, TODAY)
    programme.visits.filter(status="returned").delete()
    assert progress_cache_key(programme, TODAY) != before


def test_saving_a_draft_that_was_never_submitted_keeps_the_key(kpi_world, caching):
    programme = kpi_world["programme"]
    before = progress_cache_key(programme, TODAY)
    draft = programme.visits.get(status="draft")
    draft.summary = "入力中"
    draft.save()
    draft.communicators.add(kpi_world["users"]["u2"])
    assert progress_cache_key(programme, TODAY) == before
    draft.status = "submitted"
    draft.save()
    assert progress_cache_key(programme, TODAY) != before


def test_changing_communicators_gives_a_new_key(kpi_world, caching):
    programme = kpi_world["programme"]
    before = progress_cache_key(programme, TODAY)
    programme.visits.first().communicators.add(kpi_world["users"]["u2"])
    middle = progress_cache_key(programme, TODAY)
    assert middle != before
    kpi_world["users"]["u2"].visits.remove(programme.visits.get(visit_format__code="seminar"))
    assert progress_cache_key(programme, TODAY) != middle


def test_a_new_designation_gives_a_new_key(kpi_world, caching):
    from kakehashi.outreach.models import DesignatedCompany

    programme = kpi_world["programme"]
    before = progress_cache_key(programme, TODAY)
    DesignatedCompany.objects.create(programme=programme, company=kpi_world["companies"][1])
    assert progress_cache_key(programme, TODAY) != before


def test_other_programmes_keep_their_key(kpi_world, other_programme, caching):
    before = progress_cache_key(other_programme, TODAY)
    visit = kpi_world["programme"].visits.first()
    visit.save()
    assert progress_cache_key(other_programme, TODAY) == before


def test_key_depends_on_the_day_and_language(kpi_world, caching):
    from django.utils import translation

    programme = kpi_world["programme"]
    with translation.override("ja"):
        ja = progress_cache_key(programme, TODAY)
    with translation.override("en"):
        assert progress_cache_key(programme, TODAY) != ja
    assert progress_cache_key(programme, TODAY.replace(day=14)) != ja
