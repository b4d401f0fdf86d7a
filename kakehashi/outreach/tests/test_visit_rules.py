"""Who may see, change, submit, review and discard a visit report — every role, every state — and the
`visits_for` selector agreeing with the `outreach.view_visit` rule."""

import pytest

from kakehashi.outreach.choices import VisitStatus
from kakehashi.outreach.selectors import visits_for
from kakehashi.outreach.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

STATES = [VisitStatus.DRAFT, VisitStatus.SUBMITTED, VisitStatus.RETURNED, VisitStatus.ACCEPTED]
ACTORS = [
    "recorder",
    "communicator",
    "manager",
    "prefecture",
    "coordinator",
    "partner",
    "company_member",
    "it_company_member",
    "no_role",
    "superuser",
    "outsider_manager",
]

# actor -> permission -> states in which it is granted
EXPECTED = {
    "recorder": {
        "view_visit": set(STATES),
        "change_visit": {VisitStatus.DRAFT, VisitStatus.RETURNED},
        "submit_visit": {VisitStatus.DRAFT, VisitStatus.RETURNED},
        "review_visit": set(),
        "discard_visit": {VisitStatus.DRAFT},
    },
    "communicator": {"view_visit": set(STATES) - {VisitStatus.DRAFT}},
    "manager": {
        "view_visit": set(STATES),
        "change_visit": set(STATES),
        "submit_visit": {VisitStatus.DRAFT, VisitStatus.RETURNED},
        "review_visit": {VisitStatus.SUBMITTED},
        "discard_visit": {VisitStatus.DRAFT},
    },
    "prefecture": {"view_visit": set(STATES) - {VisitStatus.DRAFT}},
    # Django lets an active superuser (the system administrator) pass every permission check.
    "superuser": {
        perm: set(STATES) for perm in ("view_visit", "change_visit", "submit_visit", "review_visit", "discard_visit")
    },
}
PERMS = ["view_visit", "change_visit", "submit_visit", "review_visit", "discard_visit"]


@pytest.fixture
def people(make_user, other_programme):
    from kakehashi.outreach.models import ProgrammeMembership

    people = {actor: make_user(actor) for actor in ACTORS if actor not in {"recorder", "outsider_manager"}}
    people["recorder"] = make_user("communicator")
    outsider = make_user("manager", member=False)
    ProgrammeMembership.objects.create(programme=other_programme, user=outsider, role="manager")
    people["outsider_manager"] = outsider
    return people


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_visit_permissions(actor, state, people, programme):
    visit = VisitFactory(programme=programme, recorded_by=people["recorder"], status=VisitStatus.DRAFT)
    visit.status = state  # permissions read the state only; the database constraint is not the point here
    user = people[actor]
    for perm in PERMS:
        expected = state in EXPECTED.get(actor, {}).get(perm, set())
        assert user.has_perm(f"outreach.{perm}", visit) is expected, f"{actor} {perm} on {state}"


@pytest.mark.parametrize("actor", ACTORS)
def test_visits_for_agrees_with_the_view_rule(actor, people, programme, other_programme, codes):
    from kakehashi.companies.tests.factories import CompanyFactory

    company = CompanyFactory()
    visit_format = codes("visit_format", "visit")
    visits = []
    for state in STATES:
        for owner in (people["recorder"], people["communicator"]):
            extra = {} if state == VisitStatus.DRAFT else {"company": company, "visit_format": visit_format}
            visits.append(VisitFactory(programme=programme, recorded_by=owner, status=state, **extra))
    visits.append(VisitFactory(programme=other_programme, recorded_by=people["outsider_manager"]))
    user = people[actor]

    expected = {v.pk for v in visits if user.has_perm("outreach.view_visit", v)}
    assert set(visits_for(user).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("communicator", True),
        ("manager", True),
        ("prefecture", False),
        ("coordinator", False),
        ("partner", False),
        ("company_member", False),
        ("superuser", True),
    ],
)
def test_who_records_visits_in_a_programme(actor, allowed, make_user, programme):
    assert make_user(actor).has_perm("outreach.add_visit", programme) is allowed


def test_membership_of_another_programme_does_not_let_anyone_record_here(make_user, programme, other_programme):
    from kakehashi.outreach.models import ProgrammeMembership

    user = make_user("communicator", member=False)
    ProgrammeMembership.objects.create(programme=other_programme, user=user, role="communicator")
    assert not user.has_perm("outreach.add_visit", programme)
