import pytest
from django.urls import reverse

from kakehashi.core.changelog import history_for
from kakehashi.reference.loaders import load_codes
from kakehashi.reference.models import CodeItem

from .factories import IndustryFactory, MunicipalityFactory, PrefectureFactory, RegionFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["prefecture", "manager", "communicator", "coordinator", "partner", "superuser"]
EDITORS = ["prefecture", "manager", "superuser"]
NOT_STAFF = ["no_role", "company_member", "it_company_member"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def codes(db):
    load_codes()


@pytest.fixture
def yamagata(db):
    prefecture = PrefectureFactory()
    yamagata_city = MunicipalityFactory(prefecture=prefecture, code="062014", name="山形市", kana="やまがたし")
    shinjo = MunicipalityFactory(prefecture=prefecture, code="062057", name="新庄市", kana="しんじょうし")
    murayama = RegionFactory(prefecture=prefecture, code="murayama", name="村山", order=10)
    mogami = RegionFactory(prefecture=prefecture, code="mogami", name="最上", order=20)
    murayama.municipalities.set([yamagata_city])
    mogami.municipalities.set([shinjo])
    return {
        "prefecture": prefecture,
        "yamagata": yamagata_city,
        "shinjo": shinjo,
        "murayama": murayama,
        "mogami": mogami,
    }


def edit_data(**overrides):
    data = {"label_ja": "5人以下", "label_en": "Up to 5", "order": "10", "description": ""}
    data.update(overrides)
    return data


# --- Access -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client_for, codes):
    response = client_for("anonymous").get(reverse("reference:code_list", args=["employees"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("actor", NOT_STAFF)
def test_users_without_a_staff_role_are_refused(client_for, codes, actor):
    client = client_for(actor)
    assert client.get(reverse("reference:index")).status_code == 403
    assert client.get(reverse("reference:code_list", args=["employees"])).status_code == 403
    assert client.get(reverse("reference:municipality_list")).status_code == 403


@pytest.mark.parametrize("actor", VIEWERS)
def test_staff_see_the_index_and_code_lists(client_for, codes, yamagata, actor):
    client = client_for(actor)
    index = client.get(reverse("reference:index"))
    assert index.status_code == 200
    assert "従業員規模" in index.content.decode()
    assert "村山" in index.content.decode()
    page = client.get(reverse("reference:code_list", args=["employees"])).content.decode()
    assert "0〜5人" in page
    assert "1001_plus" in page
    can_edit = actor in EDITORS
    assert ("コードを追加" in page) is can_edit
    assert (reverse("reference:codeitem_edit", args=["employees", "0_5"]) in page) is can_edit


def test_unknown_list_is_404(client_for):
    assert client_for("manager").get(reverse("reference:code_list", args=["colours"])).status_code == 404


def test_communicator_may_not_edit(client_for, codes):
    client = client_for("communicator")
    url = reverse("reference:codeitem_edit", args=["employees", "0_5"])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data()).status_code == 403
    assert client.post(reverse("reference:codeitem_retire", args=["employees", "0_5"])).status_code == 403
    assert (
        client.post(reverse("reference:codeitem_add", args=["employees"]), {"code": "x", "label_ja": "x"}).status_code
        == 403
    )
    assert CodeItem.objects.get(list="employees", code="0_5").label_ja == "0〜5人"
    assert CodeItem.objects.get(list="employees", code="0_5").active


# --- Editing code items -----------------------------------------------------------------------


@pytest.mark.parametrize("actor", EDITORS)
def test_editors_edit_a_label_without_javascript(client_for, codes, actor):
    client = client_for(actor)
    url = reverse("reference:codeitem_edit", args=["employees", "0_5"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="0〜5人"' in page.content.decode()
    response = client.post(url, edit_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("reference:code_list", args=["employees"])
    item = CodeItem.objects.get(list="employees", code="0_5")
    assert (item.label_ja, item.label_en) == ("5人以下", "Up to 5")
    assert history_for(item).get().actor.username


def test_htmx_edit_swaps_a_row(client_for, codes):
    client = client_for("manager")
    url = reverse("reference:codeitem_edit", args=["employees", "0_5"])
    form_row = client.get(url, **HTMX).content.decode()
    assert form_row.lstrip().startswith('<tr id="code-0_5">')
    assert "<html" not in form_row
    assert 'name="label_ja"' in form_row
    saved_row = client.post(url, edit_data(label_ja="小規模"), **HTMX).content.decode()
    assert saved_row.lstrip().startswith('<tr id="code-0_5">')
    assert "小規模" in saved_row
    assert 'name="label_ja"' not in saved_row
    cancel = client.get(reverse("reference:codeitem_row", args=["employees", "0_5"]), **HTMX).content.decode()
    assert "小規模" in cancel
    assert "<html" not in cancel


def test_row_without_htmx_goes_back_to_the_list(client_for, codes):
    response = client_for("communicator").get(reverse("reference:codeitem_row", args=["employees", "0_5"]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (edit_data(label_ja=""), "入力してください。"),
        (edit_data(order="-1"), "表示順は0以上の整数で入力してください。"),
        (edit_data(order="abc"), "表示順は0以上の整数で入力してください。"),
    ],
)
def test_invalid_edit_shows_japanese_errors_in_the_row(client_for, codes, data, message):
    client = client_for("prefecture")
    url = reverse("reference:codeitem_edit", args=["employees", "0_5"])
    row = client.post(url, data, **HTMX)
    assert row.status_code == 200
    assert message in row.content.decode()
    page = client.post(url, data)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert CodeItem.objects.get(list="employees", code="0_5").label_ja == "0〜5人"


def test_retire_and_reactivate(client_for, codes):
    client = client_for("prefecture")
    retire = reverse("reference:codeitem_retire", args=["visit_format", "online"])
    assert client.get(retire).status_code == 405
    row = client.post(retire, **HTMX).content.decode()
    assert "廃止" in row
    assert reverse("reference:codeitem_reactivate", args=["visit_format", "online"]) in row
    assert CodeItem.objects.get(list="visit_format", code="online").active is False
    response = client.post(reverse("reference:codeitem_reactivate", args=["visit_format", "online"]))
    assert response.status_code == 302
    assert CodeItem.objects.get(list="visit_format", code="online").active is True


def test_missing_item_is_404(client_for, codes):
    client = client_for("manager")
    assert client.get(reverse("reference:codeitem_edit", args=["employees", "nope"])).status_code == 404
    assert client.post(reverse("reference:codeitem_retire", args=["employees", "nope"])).status_code == 404


def test_add_a_code(client_for, codes):
    client = client_for("manager")
    url = reverse("reference:codeitem_add", args=["barrier"])
    response = client.post(url, {"code": "no_time", "label_ja": "時間がない", "label_en": "No time", "order": ""})
    assert response.status_code == 302
    item = CodeItem.objects.get(list="barrier", code="no_time")
    assert item.order == 100  # after the nine defaults (10 … 90)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "budget", "label_ja": "予算"}, "再利用できません"),
        ({"code": "No Time", "label_ja": "時間がない"}, "コードは半角の英小文字・数字・アンダースコア"),
        ({"code": "", "label_ja": "時間がない"}, "入力してください。"),
        ({"code": "no_time", "label_ja": ""}, "入力してください。"),
    ],
)
def test_add_refuses_bad_codes_with_japanese_messages(client_for, codes, data, message):
    CodeItem.objects.filter(list="barrier", code="budget").update(active=False)  # retired codes stay taken
    response = client_for("prefecture").post(reverse("reference:codeitem_add", args=["barrier"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CodeItem.objects.filter(list="barrier").count() == 9


# --- Municipalities, industries, regions -------------------------------------------------------


def test_municipality_list_filters_and_searches(client_for, yamagata):
    miyagi = PrefectureFactory(code="04", name="宮城県")
    MunicipalityFactory(prefecture=miyagi, code="041009", name="仙台市", kana="せんだいし")
    client = client_for("communicator")
    url = reverse("reference:municipality_list")
    page = client.get(url, {"prefecture": "06"}).content.decode()
    assert "山形市" in page
    assert "新庄市" in page
    assert "仙台市" not in page
    assert "山形市" in client.get(url, {"q": "やまがた"}).content.decode()
    assert "新庄市" not in client.get(url, {"q": "やまがた"}).content.decode()
    assert "山形市" in client.get(url, {"q": "06201"}).content.decode()


def test_municipality_list_is_paginated_with_bounded_queries(client_for, yamagata, django_assert_max_num_queries):
    MunicipalityFactory.create_batch(60, prefecture=yamagata["prefecture"])
    client = client_for("partner")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reference:municipality_list")).content.decode()
    assert "1 / 2 ページ" in page


def test_industry_list(client_for):
    manufacturing = IndustryFactory()
    IndustryFactory(code="09", level="middle", parent=manufacturing, name="食料品製造業", name_en="Manufacture of food")
    page = client_for("coordinator").get(reverse("reference:industry_list")).content.decode()
    assert "E 製造業" in page
    assert "食料品製造業" in page
    assert "Manufacture of food" in page


def test_region_detail_and_edit(client_for, yamagata):
    detail = reverse("reference:region_detail", args=["06", "mogami"])
    edit = reverse("reference:region_edit", args=["06", "mogami"])
    viewer = client_for("communicator")
    assert "新庄市" in viewer.get(detail).content.decode()
    assert viewer.get(edit).status_code == 403
    editor = client_for("prefecture")
    form = editor.get(edit).content.decode()
    assert "（現在: 村山）" in form  # 山形市 is in another region
    response = editor.post(
        edit, {"name": "最上地域", "order": "20", "municipalities": [yamagata["yamagata"].pk, yamagata["shinjo"].pk]}
    )
    assert response.status_code == 302
    yamagata["mogami"].refresh_from_db()
    assert yamagata["mogami"].name == "最上地域"
    assert set(yamagata["mogami"].municipalities.all()) == {yamagata["yamagata"], yamagata["shinjo"]}
    assert not yamagata["murayama"].municipalities.exists()


def test_region_edit_errors_are_japanese(client_for, yamagata):
    editor = client_for("manager")
    edit = reverse("reference:region_edit", args=["06", "mogami"])
    response = editor.post(edit, {"name": "村山", "order": "20", "municipalities": [yamagata["shinjo"].pk]})
    assert response.status_code == 200
    assert "地域名「村山」は既に使われています。" in response.content.decode()
    miyagi = PrefectureFactory(code="04", name="宮城県")
    sendai = MunicipalityFactory(prefecture=miyagi, code="041009", name="仙台市")
    response = editor.post(edit, {"name": "最上", "order": "20", "municipalities": [sendai.pk]})
    assert "選べない市区町村が含まれています。" in response.content.decode()


def test_unknown_region_is_404(client_for, yamagata):
    assert client_for("manager").get(reverse("reference:region_detail", args=["04", "mogami"])).status_code == 404
