import pytest

from kakehashi.core.testing import STAFF, Case, matrix_params

PROGRESS = {"prefecture", "manager", "communicator", "superuser"}

CASES = [
    # The current programme's dashboard: office and communicators; other roles are refused.
    Case("insights:dashboard", PROGRESS),
    Case("insights:bench_trivial", STAFF),
    # The API answers 404 for a programme the user may not read, as if it did not exist.
    Case(
        "api:programme_progress",
        PROGRESS,
        api=True,
        kwargs=lambda ctx: {"code": ctx["programme"].code},
        denied_status=404,
    ),
    Case(
        "api:programme_progress",
        {"superuser"},
        api=True,
        kwargs=lambda ctx: {"code": ctx["other_programme"].code},
        denied_status=404,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_insights_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
