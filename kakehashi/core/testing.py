"""The permission matrix: which actor may open which view or endpoint.

Every app's `tests/test_permissions.py` (or `tests/test_<area>_permissions.py`) declares `CASES`
(a list of `Case`) and runs them with `run_case`. `kakehashi/core/tests/test_permission_matrix.py`
fails when a named URL of the site has no case anywhere, so a new view or endpoint cannot ship
without its permission test.

Actors: "anonymous", "no_role" (signed in, no role), each `Role`, and "superuser". A role user
is a member of the `programme` fixture in that role; objects "out of scope" belong to
`other_programme` and must answer 404 like missing ones.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from kakehashi.accounts.choices import Role

ACTORS = ("anonymous", "no_role", *[r.value for r in Role], "superuser")
STAFF = {"prefecture", "manager", "communicator", "coordinator", "partner", "superuser"}
OFFICE = {"prefecture", "manager", "superuser"}
SIGNED_IN = set(ACTORS) - {"anonymous"}


@dataclass
class Case:
    """One named route and the actors allowed on it.

    `kwargs` and `data` may be callables taking the test context (a dict with `programme`,
    `other_programme`, `user` — the acting user — and whatever `setup` returned) so cases can
    point at objects created per test.
    """

    url_name: str
    allowed: set[str]
    method: str = "get"
    kwargs: dict | Callable[[dict], dict] = field(default_factory=dict)
    data: dict | Callable[[dict], dict] | None = None
    setup: Callable[[dict], dict] | None = None
    ok_status: set[int] = field(default_factory=lambda: {200})
    denied_status: int = 403
    api: bool = False

    @property
    def anonymous_status(self) -> int:
        return 401 if self.api else 302

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url_name}"


def _resolve(value: Any, context: dict) -> Any:
    return value(context) if callable(value) else value


def run_case(case: Case, actor: str, *, make_user, programme, other_programme) -> None:
    """Request the case's URL as `actor` and assert the status the matrix promises."""
    from django.test import Client

    client = Client()
    user = None
    if actor != "anonymous":
        user = make_user(actor)
        client.force_login(user)
    context = {"programme": programme, "other_programme": other_programme, "user": user}
    if case.setup:
        context.update(case.setup(context) or {})
    url = reverse(case.url_name, kwargs=_resolve(case.kwargs, context))
    data = _resolve(case.data, context)
    response = getattr(client, case.method)(url, data or {})
    if actor in case.allowed:
        expected = case.ok_status
    elif actor == "anonymous":
        expected = {case.anonymous_status}
    else:
        expected = {case.denied_status}
    assert response.status_code in expected, (
        f"{case} as {actor}: expected {sorted(expected)}, got {response.status_code}"
    )


def matrix_params(cases: list[Case]) -> list:
    """pytest parameters: one per (case, actor), with readable ids."""
    import pytest

    return [
        pytest.param(case, actor, id=f"{case.url_name}[{case.method}]-{actor}") for case in cases for actor in ACTORS
    ]
