"""Events API for staff: the programme's event KPIs, its events, one event and its registrations."""

import datetime

from django.http import Http404
from ninja import Router, Schema

from kakehashi.core.pagination import DEFAULT_PAGE_SIZE
from kakehashi.outreach.selectors import programmes_for

from . import selectors
from .kpis import event_kpis

router = Router(tags=["events"])


class IndustryRow(Schema):
    label: str
    count: int


class Participants(Schema):
    total: int
    it: int
    local: int
    repeat: int
    new: int
    by_industry: list[IndustryRow]


class DistributionRow(Schema):
    value: int
    count: int


class TrendRow(Schema):
    event_id: int
    title: str
    date: datetime.date
    mean: float
    responses: int


class Satisfaction(Schema):
    responses: int
    mean: float | None
    distribution: list[DistributionRow]
    trend: list[TrendRow]


class EventKpis(Schema):
    events_total: int
    events_upcoming: int
    events_held: int
    registrations: int
    attended: int
    attendance_rate: float | None
    participants: Participants
    satisfaction: Satisfaction
    new_cross_pairs: int
    definitions: dict[str, str]


class EventOut(Schema):
    id: int
    uuid: str
    programme: str
    kind: str
    title: str
    theme: str
    format: str
    venue_name: str
    venue_address: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None
    published: bool
    public_url: str
    registered: int
    waitlisted: int
    attended: int

    @staticmethod
    def resolve_uuid(obj) -> str:
        return str(obj.uuid)

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_public_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_registered(obj) -> int:
        return obj.registered_count

    @staticmethod
    def resolve_waitlisted(obj) -> int:
        return obj.waitlisted_count

    @staticmethod
    def resolve_attended(obj) -> int:
        return obj.attended_count


class RegistrationOut(Schema):
    id: int
    status: str
    source: str
    name: str
    organisation: str
    company_id: int | None
    is_it_company: bool
    role_title: str
    email: str
    checked_in_at: datetime.datetime | None
    created_at: datetime.datetime
    visit_uuid: str | None

    @staticmethod
    def resolve_visit_uuid(obj) -> str | None:
        return str(obj.visit.uuid) if obj.visit_id else None


class RegistrationPage(Schema):
    count: int
    page: int
    items: list[RegistrationOut]


def _programme(request, code: str):
    programme = programmes_for(request.user).filter(code=code).first()
    if programme is None or not request.user.has_perm("events.view_kpis", programme):
        raise Http404
    return programme


def _event(request, event_id: int):
    event = selectors.event_for(request.user, event_id)
    if event is None:
        raise Http404
    return event


@router.get("/programmes/{code}/events/kpis", response=EventKpis)
def event_kpis_api(request, code: str):
    return event_kpis(_programme(request, code))


@router.get("/programmes/{code}/events", response=list[EventOut])
def list_events(request, code: str, page: int = 1):
    programme = _programme(request, code)
    start = (max(page, 1) - 1) * DEFAULT_PAGE_SIZE
    return list(selectors.events_for(request.user, programme=programme)[start : start + DEFAULT_PAGE_SIZE])


@router.get("/events/{event_id}", response=EventOut)
def get_event(request, event_id: int):
    return _event(request, event_id)


@router.get("/events/{event_id}/registrations", response=RegistrationPage)
def list_registrations(request, event_id: int, page: int = 1):
    event = _event(request, event_id)
    qs = selectors.registrations_for(request.user, event)
    start = (max(page, 1) - 1) * DEFAULT_PAGE_SIZE
    return {"count": qs.count(), "page": max(page, 1), "items": list(qs[start : start + DEFAULT_PAGE_SIZE])}
