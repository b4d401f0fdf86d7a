import pytest

from kakehashi.core.testing import Case, matrix_params


def _job(ctx):
    from kakehashi.handover.models import BundleExport
    from kakehashi.handover.services import export_path

    job = BundleExport.objects.create(
        reason="引継ぎ",
        status="done",
        file_name=f"perm-test-{ctx['programme'].pk}.zip",
        progress_total=1,
        progress_done=1,
    )
    export_path(job).write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return {"job": job}


CASES = [
    Case("handover:export_list", {"prefecture"}),
    Case("handover:export_detail", {"prefecture"}, setup=_job, kwargs=lambda ctx: {"pk": ctx["job"].pk}),
    Case("handover:export_download", {"prefecture"}, setup=_job, kwargs=lambda ctx: {"pk": ctx["job"].pk}),
]


@pytest.fixture(autouse=True)
def _handover_dir(settings, tmp_path):
    settings.KAKEHASHI_HANDOVER_DIR = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_handover_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
