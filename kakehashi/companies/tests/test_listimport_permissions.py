"""Permission matrix of the list-import screens: the prefecture office, managers and superusers only.

Pages answer 403 to signed-in users without the permission; a batch (an object) answers 404 to anyone
who may not see it, including office staff of another programme ("out of scope").
"""

import pytest

from kakehashi.companies.listimport.preview import import_batch_create
from kakehashi.core.testing import OFFICE, Case, matrix_params

from .listimport_support import csv_bytes


def _batch(ctx, programme_key="programme"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("list.csv", csv_bytes([["会社名"], ["山形精密"]]))
    batch = import_batch_create(
        actor=None, filename="list.csv", file=upload, programme=ctx[programme_key], mark_designated=True
    )
    from kakehashi.companies.listimport.preview import import_preview_run

    import_preview_run(batch=batch)
    return {"batch": batch}


def _own(ctx):
    return _batch(ctx)


def _other(ctx):
    return _batch(ctx, "other_programme")


def _kwargs(ctx):
    return {"pk": ctx["batch"].pk}


def _row_kwargs(ctx):
    return {"pk": ctx["batch"].pk, "row_pk": ctx["batch"].rows.get().pk}


CASES = [
    Case("company_imports:list", OFFICE),
    Case("company_imports:upload", OFFICE),
    Case("company_imports:detail", OFFICE, setup=_own, kwargs=_kwargs, denied_status=404),
    Case("company_imports:mapping", OFFICE, setup=_own, kwargs=_kwargs, denied_status=404),
    Case("company_imports:progress", OFFICE, setup=_own, kwargs=_kwargs, denied_status=404),
    Case("company_imports:result", OFFICE, setup=_own, kwargs=_kwargs, denied_status=404, ok_status={302}),
    # a new row is not ambiguous: the allowed roles reach the service, which refuses the choice (redirect back)
    Case(
        "company_imports:choose",
        OFFICE,
        method="post",
        setup=_own,
        kwargs=_row_kwargs,
        data={"choice": "new"},
        denied_status=404,
        ok_status={302},
    ),
    Case(
        "company_imports:commit", OFFICE, method="post", setup=_own, kwargs=_kwargs, denied_status=404, ok_status={302}
    ),
    # out of scope: another programme's batch is only visible to superusers
    Case("company_imports:detail", {"superuser"}, setup=_other, kwargs=_kwargs, denied_status=404),
    Case(
        "company_imports:commit",
        {"superuser"},
        method="post",
        setup=_other,
        kwargs=_kwargs,
        denied_status=404,
        ok_status={302},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_listimport_permissions(case, actor, run_matrix_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test users only
    run_matrix_case(case, actor)
