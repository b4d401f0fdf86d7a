import pytest

from kakehashi.core.testing import OFFICE, SIGNED_IN, Case, matrix_params

CASES = [
    Case("core:home", SIGNED_IN),
    Case("core:changelog", OFFICE),
    Case(
        "core:programme_switch",
        # Only members of the programme (and superusers) may switch to it; others get 404.
        {"prefecture", "manager", "communicator", "coordinator", "partner", "superuser"},
        method="post",
        data=lambda ctx: {"programme": ctx["programme"].pk},
        ok_status={302},
        denied_status=404,
    ),
    Case("core:healthz", {"anonymous", *SIGNED_IN}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_core_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
