import time

import pytest
from django.core.management import call_command

from kakehashi.reference.choices import CodeList, IndustryLevel, MunicipalityKind
from kakehashi.reference.data import codes as code_data
from kakehashi.reference.data import jsic
from kakehashi.reference.data.regions import REGIONS
from kakehashi.reference.jiscode import is_valid_municipality_code
from kakehashi.reference.loaders import (
    katakana_to_hiragana,
    load_all,
    load_codes,
    load_municipalities,
    load_regions,
    municipality_sources,
)
from kakehashi.reference.models import CodeItem, Industry, Municipality, Prefecture, Region

pytestmark = pytest.mark.django_db

YAMAGATA_35 = {
    "山形市", "米沢市", "鶴岡市", "酒田市", "新庄市", "寒河江市", "上山市", "村山市", "長井市", "天童市",
    "東根市", "尾花沢市", "南陽市", "山辺町", "中山町", "河北町", "西川町", "朝日町", "大江町", "大石田町",
    "金山町", "最上町", "舟形町", "真室川町", "大蔵村", "鮭川村", "戸沢村", "高畠町", "川西町", "小国町",
    "白鷹町", "飯豊町", "三川町", "庄内町", "遊佐町",
}  # fmt: skip


def _counts():
    return {
        "prefectures": Prefecture.objects.count(),
        "municipalities": Municipality.objects.count(),
        "regions": Region.objects.count(),
        "members": Region.municipalities.through.objects.count(),
        "industries": Industry.objects.count(),
        "codes": CodeItem.objects.count(),
    }


def test_first_load_creates_everything(loaded_reference):
    assert loaded_reference["都道府県"].created == 47
    assert loaded_reference["市区町村"].created == Municipality.objects.count()
    assert loaded_reference["産業分類"].created == 20 + 99
    assert loaded_reference["コード表"].created == sum(len(v) for v in code_data.DEFAULTS.values())


def test_prefectures(loaded_reference):
    assert Prefecture.objects.count() == 47
    yamagata = Prefecture.objects.get(code="06")
    assert (yamagata.name, yamagata.kana, yamagata.name_en, yamagata.lg_code) == (
        "山形県",
        "やまがたけん",
        "Yamagata",
        "060003",
    )


def test_municipality_counts(loaded_reference):
    municipalities = Municipality.objects.exclude(kind=MunicipalityKind.WARD)
    # 792 cities (20 of them designated), 743 towns, 183 villages, 23 special wards (as of 2024–).
    assert municipalities.count() == 1741
    assert municipalities.filter(kind=MunicipalityKind.DESIGNATED_CITY).count() == 20
    assert municipalities.filter(kind__in=[MunicipalityKind.CITY, MunicipalityKind.DESIGNATED_CITY]).count() == 792
    assert municipalities.filter(kind=MunicipalityKind.TOWN).count() == 743
    assert municipalities.filter(kind=MunicipalityKind.VILLAGE).count() == 183
    assert municipalities.filter(kind=MunicipalityKind.SPECIAL_WARD).count() == 23
    # 175 wards until Hamamatsu merged its seven wards into three on 2024-01-01.
    assert Municipality.objects.filter(kind=MunicipalityKind.WARD).count() == 171


def test_every_code_is_valid_and_every_ward_has_its_city(loaded_reference):
    codes = list(Municipality.objects.values_list("code", flat=True))
    assert all(is_valid_municipality_code(code) for code in codes)
    wards = Municipality.objects.filter(kind=MunicipalityKind.WARD).select_related("parent")
    assert all(w.parent and w.parent.kind == MunicipalityKind.DESIGNATED_CITY for w in wards)
    assert all(w.name.startswith(w.parent.name) for w in wards)
    assert Municipality.objects.filter(kind=MunicipalityKind.DESIGNATED_CITY).exclude(wards__isnull=False).count() == 0
    assert not Municipality.objects.filter(kana="").exists()
    # No district (郡) prefix is left on a town or village; 上郡町 is the one whose own name has 郡.
    towns = Municipality.objects.filter(kind__in=[MunicipalityKind.TOWN, MunicipalityKind.VILLAGE])
    assert set(towns.filter(name__contains="郡").values_list("name", flat=True)) == {"上郡町"}


@pytest.mark.parametrize(
    ("code", "name", "kana", "kind", "parent"),
    [
        ("011002", "札幌市", "さっぽろし", MunicipalityKind.DESIGNATED_CITY, None),
        ("011011", "札幌市中央区", "さっぽろしちゅうおうく", MunicipalityKind.WARD, "011002"),
        ("041017", "仙台市青葉区", "せんだいしあおばく", MunicipalityKind.WARD, "041009"),
        ("062014", "山形市", "やまがたし", MunicipalityKind.CITY, None),
        ("063011", "山辺町", "やまのべまち", MunicipalityKind.TOWN, None),
        ("063657", "大蔵村", "おおくらむら", MunicipalityKind.VILLAGE, None),
        ("131016", "千代田区", "ちよだく", MunicipalityKind.SPECIAL_WARD, None),
        ("133817", "三宅村", "みやけむら", MunicipalityKind.VILLAGE, None),
        ("403440", "須恵町", "すえまち", MunicipalityKind.TOWN, None),
        ("221384", "浜松市中央区", "はままつしちゅうおうく", MunicipalityKind.WARD, "221309"),
    ],
)
def test_sample_municipalities(loaded_reference, code, name, kana, kind, parent):
    municipality = Municipality.objects.select_related("parent").get(code=code)
    assert (municipality.name, municipality.kana, municipality.kind) == (name, kana, kind)
    assert (municipality.parent.code if municipality.parent else None) == parent


def test_city_halls_have_coordinates(loaded_reference):
    yamagata = Municipality.objects.get(code="062014")
    assert 38.2 < yamagata.latitude < 38.3
    assert 140.3 < yamagata.longitude < 140.4
    # Only Hamamatsu's three wards of 2024 are unknown to japancode.
    assert Municipality.objects.filter(latitude__isnull=True).count() == 3


def test_yamagata_has_exactly_its_35_municipalities(loaded_reference):
    names = set(Municipality.objects.filter(prefecture__code="06").values_list("name", flat=True))
    assert names == YAMAGATA_35


def test_yamagata_regions_cover_all_35_once(loaded_reference):
    regions = Region.objects.filter(prefecture__code="06").prefetch_related("municipalities")
    assert [r.name for r in regions] == ["村山", "最上", "置賜", "庄内"]
    assert [r.municipalities.count() for r in regions] == [14, 8, 8, 5]
    members = [m.name for r in regions for m in r.municipalities.all()]
    assert len(members) == 35
    assert set(members) == YAMAGATA_35


def test_miyagi_regions_cover_every_municipality_and_sendai_wards(loaded_reference):
    regions = Region.objects.filter(prefecture__code="04").prefetch_related("municipalities")
    assert [r.name for r in regions] == ["仙台", "仙南", "大崎", "栗原", "登米", "石巻", "気仙沼・本吉"]
    members = [m.pk for r in regions for m in r.municipalities.all()]
    assert len(members) == len(set(members))
    assert set(members) == set(Municipality.objects.filter(prefecture__code="04").values_list("pk", flat=True))
    sendai = regions.get(code="sendai")
    assert sendai.municipalities.filter(kind=MunicipalityKind.WARD, parent__code="041009").count() == 5


def test_industries(loaded_reference):
    assert Industry.objects.filter(level=IndustryLevel.MAJOR).count() == 20
    assert Industry.objects.filter(level=IndustryLevel.MIDDLE).count() == 99
    assert list(Industry.objects.filter(level=IndustryLevel.MAJOR).values_list("code", flat=True)) == list(
        "ABCDEFGHIJKLMNOPQRST"
    )
    assert [f"{n:02d}" for n in range(1, 100)] == sorted(code for code, *_ in jsic.MIDDLE)
    software = Industry.objects.select_related("parent").get(code="39")
    assert (software.name, software.parent.code, software.parent.name) == ("情報サービス業", "G", "情報通信業")
    assert Industry.objects.get(code="E").children.count() == 24
    assert not Industry.objects.filter(name_en="").exists()


def test_code_lists(loaded_reference):
    assert set(CodeItem.objects.values_list("list", flat=True)) == set(CodeList.values)
    sizes = {name: CodeItem.objects.filter(list=name).count() for name in CodeList.values}
    assert sizes == {
        "employees": 7, "revenue": 8, "legal_form": 14, "business_form": 15, "visit_format": 3, "challenge": 13,
        "barrier": 9, "digital_stage": 4, "introduction": 8, "outcome": 8, "interest_level": 4,
    }  # fmt: skip
    assert CodeItem.objects.get(list="legal_form", code="301").label_ja == "株式会社"
    assert CodeItem.objects.get(list="visit_format", code="online").label_ja == "オンライン"
    assert not CodeItem.objects.filter(label_en="").exists()


def test_second_run_changes_nothing_and_is_quick(loaded_reference):
    before = _counts()
    started = time.monotonic()
    results = load_all()
    elapsed = time.monotonic() - started
    assert not any(result.changed for result in results), [str(r) for r in results]
    assert _counts() == before
    assert elapsed < 10


def test_loader_never_overwrites_edits_and_never_deletes(loaded_reference):
    item = CodeItem.objects.get(list="employees", code="0_5")
    item.label_ja, item.order, item.active = "5人以下", 99, False
    item.save()
    own = CodeItem.objects.create(list="employees", code="our_own", label_ja="独自")
    yamagata = Municipality.objects.get(code="062014")
    yamagata.name = "山形市（編集）"
    yamagata.kana = ""
    yamagata.save()
    region = Region.objects.get(prefecture__code="06", code="mogami")
    region.name = "最上地域"
    region.save()
    region.municipalities.remove(Municipality.objects.get(code="062057"))  # 新庄市

    load_all()

    item.refresh_from_db()
    assert (item.label_ja, item.order, item.active) == ("5人以下", 99, False)
    assert CodeItem.objects.filter(pk=own.pk).exists()
    yamagata.refresh_from_db()
    assert yamagata.name == "山形市（編集）"
    assert yamagata.kana == "やまがたし"  # blank fields are filled
    region.refresh_from_db()
    assert region.name == "最上地域"
    assert not region.municipalities.filter(code="062057").exists()


def test_missing_rows_are_recreated(loaded_reference):
    CodeItem.objects.filter(list="barrier", code="budget").delete()
    Region.objects.filter(prefecture__code="06", code="shonai").delete()
    assert load_codes().created == 1
    assert load_regions().created == 1
    assert Region.objects.get(prefecture__code="06", code="shonai").municipalities.count() == 5
    assert load_municipalities().created == 0


def test_command_prints_a_summary(loaded_reference, capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "参照データは最新です" in out
    assert "市区町村 1912" in out


def test_sources_agree_with_region_table():
    """Every region member named in data/regions.py exists in the source data of its prefecture."""
    names = {(row["prefecture"], row["name"]) for row in municipality_sources()}
    missing = [(pref, m) for pref, regions in REGIONS.items() for _c, _n, members in regions for m in members
               if (pref, m) not in names]  # fmt: skip
    assert missing == []


def test_katakana_to_hiragana():
    assert katakana_to_hiragana("ハママツシチュウオウク") == "はままつしちゅうおうく"
    assert katakana_to_hiragana("ヴァー") == "ゔぁー"
