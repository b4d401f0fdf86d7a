"""Permission matrix of the corporate-number import screens: prefecture office, managers and superusers.

The upload page answers 403 to signed-in users without the permission; a batch (an object) answers
404 to them, as it does to everyone when it does not exist.
"""

import pytest

from kakehashi.companies.models import ImportBatch
from kakehashi.core.testing import OFFICE, Case, matrix_params


def _batch(ctx):
    batch = ImportBatch.objects.create(
        kind="corporate_number", status="done", original_filename="00_zenkoku_all.zip", summary={"inserted": 3}
    )
    return {"batch": batch}


def _list_batch(ctx):
    return {"batch": ImportBatch.objects.create(kind="company_list", original_filename="list.csv")}


CASES = [
    Case("nta_import:upload", OFFICE),
    # a POST without a file: the permitted roles get the form back with its errors (200)
    Case("nta_import:upload", OFFICE, method="post", data={}),
    # a batch is an object: 404 for anyone who may not see it, as if it did not exist
    Case("nta_import:detail", OFFICE, setup=_batch, kwargs=lambda ctx: {"pk": ctx["batch"].pk}, denied_status=404),
    # a batch of another import kind is not a corporate-number batch: 404 even for the office
    Case("nta_import:detail", set(), setup=_list_batch, kwargs=lambda ctx: {"pk": ctx["batch"].pk}, denied_status=404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_nta_import_permissions(case, actor, run_matrix_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run_matrix_case(case, actor)
