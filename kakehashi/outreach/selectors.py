"""Reads for programmes, narrowed to what the user may see."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from kakehashi.accounts.choices import Role
from kakehashi.core.plain_sql import plain_instances
from kakehashi.reference.models import localised_label

from .choices import COUNTED_VISIT_STATUSES, VisitStatus
from .models import Programme, ProgrammeMembership, Visit
from .rules import remember_programme_roles


def programmes_for(user) -> QuerySet[Programme]:
    """Programmes the user works on; superusers see all."""
    if not user.is_authenticated:
        return Programme.objects.none()
    queryset = Programme.objects.select_related("prefecture")
    if user.is_superuser:
        return queryset
    return queryset.filter(memberships__user=user).distinct()


def member_programmes(user) -> list[Programme]:
    """`programmes_for` as a list, read with the user's roles in each by one plain query.

    Every signed-in page needs these (the header's switcher, `request.programme`, the permission rules): the
    ORM spent ~1 ms compiling the join, plain SQL ~0.2 ms (decision 018). The roles fill the request's role cache.
    """
    if not user.is_authenticated:
        return []
    rows = plain_instances(
        Programme,
        "SELECT p.*, m.role AS member_role FROM {table} p"
        " LEFT JOIN {memberships} m ON m.programme_id = p.id AND m.user_id = %s"
        " WHERE m.user_id IS NOT NULL OR %s ORDER BY p.fiscal_year DESC, p.name, p.id",
        [user.pk, bool(user.is_superuser)],
        memberships=ProgrammeMembership,
    )
    programmes: dict[int, Programme] = {}
    roles: dict[int, set[str]] = {}
    for programme in rows:
        programmes.setdefault(programme.pk, programme)
        roles.setdefault(programme.pk, set())
        if programme.member_role:
            roles[programme.pk].add(programme.member_role)
    remember_programme_roles(user, {pk: frozenset(codes) for pk, codes in roles.items()})
    return list(programmes.values())


def programme_roles(user, programme: Programme) -> set[str]:
    if programme is None or not user.is_authenticated:
        return set()
    return set(programme.memberships.filter(user=user).values_list("role", flat=True))


# --- Visit reports ------------------------------------------------------------------------------
# These mirror the `outreach.view_visit` rule (rules.py) as a query; a test keeps the two in step.

VISIT_LIST_RELATED = ("company", "municipality", "visit_format", "recorded_by", "interest_level")


def visits_for(user, *, programme: Programme | None = None) -> QuerySet[Visit]:
    """Every visit the user may open (optionally of one programme); none for roles without access."""
    if not user.is_authenticated:
        return Visit.objects.none()
    queryset = Visit.objects.all()
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if user.is_superuser:
        return queryset
    by_role: dict[str, list[int]] = {}
    for programme_id, role in ProgrammeMembership.objects.filter(user=user).values_list("programme_id", "role"):
        by_role.setdefault(role, []).append(programme_id)
    visible = Q(pk__in=[])
    if ids := by_role.get(Role.MANAGER):
        visible |= Q(programme_id__in=ids)
    if ids := by_role.get(Role.PREFECTURE):
        visible |= Q(programme_id__in=ids) & ~Q(status=VisitStatus.DRAFT)
    if ids := by_role.get(Role.COMMUNICATOR):
        visible |= Q(programme_id__in=ids) & (Q(recorded_by=user) | ~Q(status=VisitStatus.DRAFT))
    if ids := by_role.get(Role.COORDINATOR):
        from kakehashi.sharing.selectors import shared_visits_q

        visible |= shared_visits_q(ids)
    return queryset.filter(visible)


def visit_for(user, uuid) -> Visit | None:
    """One visit the user may open, with what its pages show; None when missing or out of reach."""
    return (
        visits_for(user)
        .select_related(
            *VISIT_LIST_RELATED, "programme", "employees_band", "business_form", "revenue_band", "digital_stage"
        )
        .select_related("contact", "reviewed_by", "manual_version", "company__municipality")
        .filter(uuid=uuid)
        .first()
    )


def visit_list_for(user, *, programme: Programme | None) -> QuerySet[Visit]:
    """The visit list: the user's visits of `programme` with what a list row shows."""
    return (
        visits_for(user, programme=programme)
        .select_related(*VISIT_LIST_RELATED)
        .prefetch_related("challenges", "outcomes")
    )


@dataclass(frozen=True, slots=True)
class VisitListRow:
    """What one row of the visit list shows: plain values, no model instances (the list is the busiest page)."""

    uuid: object
    visit_date: datetime.date | None
    status: str
    status_label: str
    company_name: str
    municipality_name: str
    format_label: str
    challenges: list[str]
    outcomes: list[str]
    recorded_by: str


_ROW_FIELDS = (
    "id",
    "uuid",
    "visit_date",
    "status",
    "recorded_by_id",
    "company__name",
    "municipality__name",
    "visit_format__label_ja",
    "visit_format__label_en",
)


def visit_list_rows(visits: QuerySet[Visit]) -> list[VisitListRow]:
    """The rows of one page of the visit list (`visits`: the page's slice of an already permitted queryset).

    Three small queries (rows, code labels of both multi-choice fields, recorders' names) instead of a model
    instance per related object: on a 50-row page that is most of the page's time.
    """
    records = list(visits.values(*_ROW_FIELDS))
    ids = [record["id"] for record in records]
    labels = _code_labels_of(ids)
    user_ids = {record["recorded_by_id"] for record in records}
    names = {user.pk: str(user) for user in get_user_model().objects.filter(pk__in=user_ids)}
    statuses = dict(VisitStatus.choices)
    return [
        VisitListRow(
            uuid=record["uuid"],
            visit_date=record["visit_date"],
            status=record["status"],
            status_label=statuses.get(record["status"], record["status"]),
            company_name=record["company__name"] or "",
            municipality_name=record["municipality__name"] or "",
            format_label=localised_label(record["visit_format__label_ja"], record["visit_format__label_en"]),
            challenges=labels["challenges"].get(record["id"], []),
            outcomes=labels["outcomes"].get(record["id"], []),
            recorded_by=names.get(record["recorded_by_id"], ""),
        )
        for record in records
    ]


def _code_labels_of(visit_ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """{"challenges": {visit id: [label, …]}, "outcomes": {…}} in the code lists' own order."""
    result = {}
    for name in ("challenges", "outcomes"):
        through = getattr(Visit, name).through
        pairs = (
            through.objects.filter(visit_id__in=visit_ids)
            .order_by("codeitem__order", "codeitem__code")
            .values_list("visit_id", "codeitem__label_ja", "codeitem__label_en")
        )
        by_visit: dict[int, list[str]] = {}
        for visit_id, label_ja, label_en in pairs:
            by_visit.setdefault(visit_id, []).append(localised_label(label_ja, label_en))
        result[name] = by_visit
    return result


def companies_heard_in(programme: Programme) -> QuerySet:
    """The companies with at least one counted (submitted or accepted) visit in `programme`."""
    from kakehashi.companies.models import Company

    heard = Visit.objects.filter(programme=programme, status__in=COUNTED_VISIT_STATUSES, company__isnull=False)
    return Company.objects.filter(pk__in=heard.values("company_id"))


def programme_staff(programme: Programme | None, *roles: str) -> QuerySet:
    """Users holding one of `roles` in `programme` (for the communicator and companion pickers)."""
    User = get_user_model()
    if programme is None:
        return User.objects.none()
    members = ProgrammeMembership.objects.filter(programme=programme, role__in=roles).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("display_name", "username")


@dataclass
class FieldHome:
    """What a communicator's field home shows (see `field_home_for`)."""

    returned: list[Visit] = field(default_factory=list)
    today: list[Visit] = field(default_factory=list)
    upcoming: list[Visit] = field(default_factory=list)
    unfinished: list[Visit] = field(default_factory=list)
    follow_ups: list[Visit] = field(default_factory=list)
    planned: list = field(default_factory=list)
    awaiting_review: int = 0


FIELD_HOME_LIMIT = 20
FOLLOW_UP_AHEAD_DAYS = 14
FOLLOW_UP_BEHIND_DAYS = 30


def planned_visits_for(user, programme: Programme | None, *, today: datetime.date) -> list:
    """The user's visits in the approved visit plan for today and the coming days (`PlanVisit`s, in order)."""
    from kakehashi.planning.selectors import upcoming_for

    return upcoming_for(user, programme, today=today)


def field_home_for(user, programme: Programme | None, *, today: datetime.date) -> FieldHome:
    """Today's and upcoming work of one communicator in one programme."""
    home = FieldHome()
    if programme is None or not user.is_authenticated:
        return home
    mine = (
        visits_for(user, programme=programme)
        .filter(Q(recorded_by=user) | Q(communicators=user))
        .distinct()
        .select_related("company", "visit_format")
    )
    editable = (VisitStatus.DRAFT, VisitStatus.RETURNED)
    home.returned = list(mine.filter(status=VisitStatus.RETURNED).order_by("-reviewed_at")[:FIELD_HOME_LIMIT])
    home.today = list(mine.filter(visit_date=today).exclude(status=VisitStatus.RETURNED).order_by("start_time", "pk"))
    home.upcoming = list(
        mine.filter(status=VisitStatus.DRAFT, visit_date__gt=today).order_by("visit_date", "start_time")[
            :FIELD_HOME_LIMIT
        ]
    )
    home.unfinished = list(
        mine.filter(status__in=editable)
        .exclude(status=VisitStatus.RETURNED)
        .filter(Q(visit_date__lt=today) | Q(visit_date__isnull=True))
        .order_by("-updated_at")[:FIELD_HOME_LIMIT]
    )
    later_visit = Visit.objects.filter(
        programme=programme, company=OuterRef("company"), visit_date__gt=OuterRef("visit_date")
    )
    home.follow_ups = list(
        mine.filter(
            status__in=COUNTED_VISIT_STATUSES,
            follow_up_date__lte=today + datetime.timedelta(days=FOLLOW_UP_AHEAD_DAYS),
            follow_up_date__gte=today - datetime.timedelta(days=FOLLOW_UP_BEHIND_DAYS),
        )
        .exclude(Exists(later_visit))
        .order_by("follow_up_date")[:FIELD_HOME_LIMIT]
    )
    home.planned = planned_visits_for(user, programme, today=today)
    if user.has_perm("outreach.change_programme", programme) and Role.MANAGER in programme_roles(user, programme):
        home.awaiting_review = Visit.objects.filter(programme=programme, status=VisitStatus.SUBMITTED).count()
    return home
