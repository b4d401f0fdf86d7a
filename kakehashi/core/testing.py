"""Shared test helpers: users per role and the permission-matrix assertion.

Every app's `tests/test_permissions.py` declares `CASES`: which URL each role may open. The
completeness test (`kakehashi/core/tests/test_permission_matrix.py`) fails when a named URL has
no case, so a new view cannot ship without its permission test.
"""

from dataclasses import dataclass, field

from kakehashi.accounts.choices import Role

# Who is asked in every case. "outsider" is a staff user of the same role kind who is not a member
# of the programme the object belongs to ("out of scope").
ACTORS = ("anonymous", "no_role", *[r.value for r in Role], "superuser")


@dataclass
class Case:
    """One URL (a named route with kwargs built from fixtures) and the roles allowed on it."""

    url_name: str
    allowed: set[str]
    method: str = "get"
    kwargs: dict = field(default_factory=dict)
    data: dict | None = None
    # status expected for someone signed in but not allowed: 403 for pages, 404 for objects
    denied_status: int = 403
    ok_status: set[int] = field(default_factory=lambda: {200})
    # anonymous: pages redirect to login (302); API answers 401
    anonymous_status: int = 302
    description: str = ""


def status_for(case: Case, actor: str, status: int) -> bool:
    if actor == "anonymous":
        return status == case.anonymous_status if "anonymous" not in case.allowed else status in case.ok_status
    if actor in case.allowed:
        return status in case.ok_status
    return status == case.denied_status
