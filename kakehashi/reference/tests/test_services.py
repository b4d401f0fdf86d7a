import pytest
from django.core.exceptions import ValidationError

from kakehashi.core.changelog import history_for
from kakehashi.core.choices import ChangeAction
from kakehashi.reference import services
from kakehashi.reference.models import CodeItem

from .factories import CodeItemFactory, MunicipalityFactory, PrefectureFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(make_user):
    return make_user("prefecture")


def test_codeitem_create_logs_and_appends(actor):
    CodeItemFactory(list="barrier", code="budget", order=40)
    item = services.codeitem_create(
        actor=actor, list="barrier", code="no_time", label_ja="時間がない", label_en="No time"
    )
    assert (item.list, item.code, item.order, item.active) == ("barrier", "no_time", 50, True)
    entry = history_for(item).get()
    assert entry.action == ChangeAction.CREATE
    assert entry.actor == actor
    assert entry.changes["label_ja"] == [None, "時間がない"]


def test_codeitem_create_refuses_a_code_in_use_even_when_retired(actor):
    item = CodeItemFactory(list="barrier", code="budget")
    services.codeitem_retire(actor=actor, item=item)
    with pytest.raises(ValidationError) as error:
        services.codeitem_create(actor=actor, list="barrier", code="budget", label_ja="予算がない")
    assert "再利用できません" in str(error.value.message_dict["code"])
    assert CodeItem.objects.filter(list="barrier", code="budget").count() == 1


def test_the_same_code_may_exist_in_another_list(actor):
    CodeItemFactory(list="introduction", code="seminar")
    item = services.codeitem_create(actor=actor, list="outcome", code="seminar", label_ja="セミナー申込")
    assert item.pk


@pytest.mark.parametrize("code", ["Budget", "予算", "with space", "a-b", ""])
def test_codeitem_create_refuses_codes_that_are_not_lowercase_ascii(actor, code):
    with pytest.raises(ValidationError) as error:
        services.codeitem_create(actor=actor, list="barrier", code=code, label_ja="ラベル")
    assert "code" in error.value.message_dict
    assert not CodeItem.objects.exists()


def test_codeitem_create_refuses_an_unknown_list(actor):
    with pytest.raises(ValidationError):
        services.codeitem_create(actor=actor, list="colours", code="red", label_ja="赤")


def test_codeitem_update_changes_labels_and_logs_the_difference(actor):
    item = CodeItemFactory(list="employees", code="0_5", label_ja="0〜5人", label_en="0–5", order=10)
    services.codeitem_update(actor=actor, item=item, label_ja="5人以下", label_en="0–5", order=15, description="")
    item.refresh_from_db()
    assert (item.code, item.label_ja, item.order) == ("0_5", "5人以下", 15)
    entry = history_for(item).get()
    assert entry.action == ChangeAction.UPDATE
    assert entry.changes == {"label_ja": ["0〜5人", "5人以下"], "order": [10, 15]}


def test_codeitem_update_requires_a_japanese_label(actor):
    item = CodeItemFactory()
    with pytest.raises(ValidationError):
        services.codeitem_update(actor=actor, item=item, label_ja="  ", label_en="", order=1, description="")


def test_retire_keeps_the_row_and_reactivate_brings_it_back(actor):
    item = CodeItemFactory(list="visit_format", code="online")
    services.codeitem_retire(actor=actor, item=item)
    item.refresh_from_db()
    assert item.active is False
    assert CodeItem.objects.filter(pk=item.pk).exists()
    services.codeitem_reactivate(actor=actor, item=item)
    item.refresh_from_db()
    assert item.active is True
    actions = list(history_for(item).values_list("action", flat=True))
    assert actions == [ChangeAction.STATUS, ChangeAction.RETIRE]


def test_retiring_twice_logs_once(actor):
    item = CodeItemFactory()
    services.codeitem_retire(actor=actor, item=item)
    services.codeitem_retire(actor=actor, item=item)
    assert history_for(item).count() == 1


def test_there_is_no_delete_service():
    assert not [name for name in dir(services) if "delete" in name or "remove" in name]


def test_region_update_renames_and_moves_municipalities(actor):
    yamagata = PrefectureFactory()
    a, b, c = MunicipalityFactory.create_batch(3, prefecture=yamagata)
    murayama = RegionFactory(prefecture=yamagata, code="murayama", name="村山")
    mogami = RegionFactory(prefecture=yamagata, code="mogami", name="最上")
    murayama.municipalities.set([a, b])
    mogami.municipalities.set([c])

    services.region_update(actor=actor, region=mogami, name="最上地域", order=5, municipalities=[b, c])

    mogami.refresh_from_db()
    assert mogami.name == "最上地域"
    assert set(mogami.municipalities.all()) == {b, c}
    assert set(murayama.municipalities.all()) == {a}  # b moved out of 村山
    changes = history_for(mogami).get().changes
    assert changes["name"] == ["最上", "最上地域"]
    assert changes["municipalities"] == [[c.code], sorted([b.code, c.code])]
    assert history_for(murayama).get().changes["municipalities"] == [sorted([a.code, b.code]), [a.code]]


def test_region_update_refuses_another_prefectures_municipality(actor):
    yamagata = PrefectureFactory()
    miyagi = PrefectureFactory(code="04", name="宮城県")
    sendai = MunicipalityFactory(prefecture=miyagi, code="041009", name="仙台市")
    region = RegionFactory(prefecture=yamagata)
    with pytest.raises(ValidationError) as error:
        services.region_update(actor=actor, region=region, name=region.name, order=1, municipalities=[sendai])
    assert "仙台市" in str(error.value)
    assert not region.municipalities.exists()


def test_region_update_refuses_a_duplicate_name(actor):
    yamagata = PrefectureFactory()
    RegionFactory(prefecture=yamagata, name="庄内")
    region = RegionFactory(prefecture=yamagata, name="置賜")
    with pytest.raises(ValidationError) as error:
        services.region_update(actor=actor, region=region, name="庄内", order=1, municipalities=[])
    assert "既に使われています" in str(error.value)
