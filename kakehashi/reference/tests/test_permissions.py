"""The permission matrix of the reference app: every named URL and who may use it.

Viewing needs a staff role (or superuser); editing code lists and regions needs the prefecture
office, a programme manager or a superuser. Signed-in users without a staff role get 403.
"""

import pytest

from kakehashi.core.testing import OFFICE, STAFF, Case, matrix_params


def _reference_data(ctx) -> dict:
    from kakehashi.reference.loaders import load_codes

    from .factories import MunicipalityFactory, PrefectureFactory, RegionFactory

    load_codes()
    yamagata = PrefectureFactory()
    city = MunicipalityFactory(prefecture=yamagata, code="062014", name="山形市")
    shinjo = MunicipalityFactory(prefecture=yamagata, code="062057", name="新庄市")
    RegionFactory(prefecture=yamagata, code="mogami", name="最上").municipalities.set([shinjo])
    return {"city": city, "shinjo": shinjo}


ITEM = {"list_name": "employees", "code": "0_5"}
REGION = {"prefecture": "06", "code": "mogami"}
EDIT = {"label_ja": "5人以下", "label_en": "Up to 5", "order": "10", "description": ""}

CASES = [
    Case("reference:index", STAFF, setup=_reference_data),
    Case("reference:code_list", STAFF, kwargs={"list_name": "employees"}, setup=_reference_data),
    Case("reference:codeitem_add", OFFICE, kwargs={"list_name": "employees"}, setup=_reference_data),
    Case(
        "reference:codeitem_add",
        OFFICE,
        method="post",
        kwargs={"list_name": "employees"},
        data={"code": "new_band", "label_ja": "新しい区分"},
        setup=_reference_data,
        ok_status={302},
    ),
    # Without HTMX the row URL sends the browser back to the list.
    Case("reference:codeitem_row", STAFF, kwargs=ITEM, setup=_reference_data, ok_status={302}),
    Case("reference:codeitem_edit", OFFICE, kwargs=ITEM, setup=_reference_data),
    Case(
        "reference:codeitem_edit", OFFICE, method="post", kwargs=ITEM, data=EDIT, setup=_reference_data, ok_status={302}
    ),
    Case("reference:codeitem_retire", OFFICE, method="post", kwargs=ITEM, setup=_reference_data, ok_status={302}),
    Case("reference:codeitem_reactivate", OFFICE, method="post", kwargs=ITEM, setup=_reference_data, ok_status={302}),
    Case("reference:municipality_list", STAFF, data={"prefecture": "06", "q": "山形"}, setup=_reference_data),
    Case("reference:industry_list", STAFF),
    Case("reference:region_detail", STAFF, kwargs=REGION, setup=_reference_data),
    Case("reference:region_edit", OFFICE, kwargs=REGION, setup=_reference_data),
    Case(
        "reference:region_edit",
        OFFICE,
        method="post",
        kwargs=REGION,
        data=lambda ctx: {"name": "最上地域", "order": "20", "municipalities": [ctx["shinjo"].pk, ctx["city"].pk]},
        setup=_reference_data,
        ok_status={302},
    ),
    Case("api:list_municipalities", STAFF, api=True, data={"prefecture": "06"}, setup=_reference_data),
    Case("api:get_municipality", STAFF, api=True, kwargs={"code": "062014"}, setup=_reference_data),
    Case("api:list_regions", STAFF, api=True, data={"prefecture": "06"}, setup=_reference_data),
    Case("api:list_industries", STAFF, api=True),
    Case("api:list_code_lists", STAFF, api=True, setup=_reference_data),
    Case("api:get_code_list", STAFF, api=True, kwargs={"name": "employees"}, setup=_reference_data),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_reference_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
