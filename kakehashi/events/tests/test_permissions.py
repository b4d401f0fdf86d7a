"""Permission matrix of the events screens, public pages and API."""

import datetime

import pytest
from django.utils import timezone

from kakehashi.core.testing import ACTORS, Case, matrix_params

EVENT_STAFF = {"prefecture", "manager", "communicator", "superuser"}
EVENT_OWNERS = {"prefecture", "manager", "superuser"}
EVERYONE = set(ACTORS)


def _event_in(programme, **extra):
    from .factories import EventFactory

    return EventFactory(programme=programme, **extra)


def _event(ctx):
    return {"event": _event_in(ctx["programme"])}


def _event_elsewhere(ctx):
    return {"event": _event_in(ctx["other_programme"])}


def _with_registration(ctx):
    from .factories import RegistrationFactory

    event = _event_in(ctx["programme"])
    return {"event": event, "registration": RegistrationFactory(event=event)}


def _with_attendee(ctx):
    from kakehashi.events import services

    from .factories import RegistrationFactory

    event = _event_in(ctx["programme"])
    services.questionnaire_publish(
        actor=_superuser(), event=event, purpose="survey", definition={"questions": [
            {"key": "overall", "kind": "scale", "label": "満足度", "required": True}]},
    )  # fmt: skip
    return {"event": event, "registration": RegistrationFactory(event=event, checked_in_at=timezone.now())}


def _with_run(ctx):
    from kakehashi.events.models import MixingRun, TableSeat

    from .factories import RegistrationFactory

    event = _event_in(ctx["programme"])
    registration = RegistrationFactory(event=event)
    run = MixingRun.objects.create(event=event, seed=1, rounds=1, tables=1, metrics={})
    TableSeat.objects.create(run=run, registration=registration, round=1, table=1)
    return {"event": event, "registration": registration}


def _superuser():
    from kakehashi.accounts.tests.factories import UserFactory

    return UserFactory(is_superuser=True)


def _pk(ctx):
    return {"pk": ctx["event"].pk}


def _reg(ctx):
    return {"pk": ctx["event"].pk, "registration_pk": ctx["registration"].pk}


def _uuid(ctx):
    return {"uuid": ctx["event"].uuid}


def _token(ctx):
    from kakehashi.events.tickets import make_token

    return {"token": make_token(ctx["registration"])}


def _survey_token(ctx):
    from kakehashi.events.tickets import SURVEY_SALT, make_token

    return {"token": make_token(ctx["registration"], salt=SURVEY_SALT)}


def _api_event(ctx):
    return {"event_id": ctx["event"].pk}


def _code(ctx):
    return {"code": ctx["programme"].code}


def _past(ctx):
    start = timezone.now() - datetime.timedelta(days=1)
    return {"event": _event_in(ctx["programme"], starts_at=start, ends_at=start + datetime.timedelta(hours=2))}


CASES = [
    # Public pages: anyone, no account needed.
    Case("events:public_list", EVERYONE),
    Case("events:public_detail", EVERYONE, setup=_event, kwargs=_uuid),
    Case("events:register", EVERYONE, setup=_event, kwargs=_uuid),
    Case("events:ticket", EVERYONE, setup=_with_registration, kwargs=_token),
    Case("events:ticket_ics", EVERYONE, setup=_with_registration, kwargs=_token),
    Case("events:cancel", EVERYONE, setup=_with_registration, kwargs=_token),
    Case("events:my_table", EVERYONE, setup=_with_run, kwargs=_token),
    Case("events:survey", EVERYONE, setup=_with_attendee, kwargs=_survey_token),
    # Staff screens: 403 for roles without events, 404 for objects out of reach.
    Case("events:list", EVENT_STAFF),
    Case("events:kpis", EVENT_STAFF),
    Case("events:create", EVENT_OWNERS),
    Case("events:detail", EVENT_STAFF, setup=_event, kwargs=_pk, denied_status=404),
    Case("events:detail", {"superuser"}, setup=_event_elsewhere, kwargs=_pk, denied_status=404),
    Case("events:edit", EVENT_OWNERS, setup=_event, kwargs=_pk, denied_status=404),
    Case("events:publish", EVENT_OWNERS, method="post", setup=_event, kwargs=_pk, ok_status={302}, denied_status=404),
    Case("events:event_qr", EVENT_STAFF, setup=_event, kwargs=_pk, denied_status=404),
    Case("events:registrations", EVENT_STAFF, setup=_event, kwargs=_pk, denied_status=404),
    Case("events:registrations", {"superuser"}, setup=_event_elsewhere, kwargs=_pk, denied_status=404),
    Case(
        "events:registration_cancel",
        EVENT_OWNERS,
        method="post",
        setup=_with_registration,
        kwargs=_reg,
        ok_status={302},
        denied_status=404,
    ),
    Case("events:registration_match", EVENT_STAFF, setup=_with_registration, kwargs=_reg, denied_status=404),
    Case(
        "events:registration_hearing",
        EVENT_STAFF,
        method="post",
        setup=_with_registration,
        kwargs=_reg,
        ok_status={302},
        denied_status=404,
    ),
    Case("events:checkin", EVENT_STAFF, setup=_event, kwargs=_pk, denied_status=404),
    Case("events:checkin", {"superuser"}, setup=_event_elsewhere, kwargs=_pk, denied_status=404),
    Case("events:checkin_count", EVENT_STAFF, setup=_event, kwargs=_pk, denied_status=404),
    Case(
        "events:checkin_code",
        EVENT_STAFF,
        method="post",
        setup=_with_registration,
        kwargs=_pk,
        data=lambda ctx: {"code": ctx["registration"].ticket_code},
        denied_status=404,
    ),
    Case("events:checkin_person", EVENT_STAFF, method="post", setup=_with_registration, kwargs=_reg, denied_status=404),
    Case(
        "events:checkin_walk_in",
        EVENT_STAFF,
        method="post",
        setup=_event,
        kwargs=_pk,
        data={"name": "当日 太郎", "organisation": "当日商店", "is_it_company": "0"},
        denied_status=404,
    ),
    Case(
        "events:questionnaire_edit",
        EVENT_OWNERS,
        setup=_event,
        kwargs=lambda ctx: {"pk": ctx["event"].pk, "purpose": "survey"},
        denied_status=404,
    ),
    Case(
        "events:survey_send",
        EVENT_OWNERS,
        method="post",
        setup=_with_attendee,
        kwargs=_pk,
        ok_status={302},
        denied_status=404,
    ),
    Case("events:survey_results", EVENT_STAFF, setup=_with_attendee, kwargs=_pk, denied_status=404),
    Case("events:survey_export", EVENT_OWNERS, setup=_with_attendee, kwargs=_pk, denied_status=404),
    Case("events:mixing", EVENT_STAFF, setup=_event, kwargs=_pk, denied_status=404),
    Case(
        "events:mixing_round",
        EVENT_STAFF,
        method="post",
        setup=_with_run,
        kwargs=_pk,
        data={"round": "1"},
        ok_status={302},
        denied_status=404,
    ),
    Case("events:table_sheets", EVENT_STAFF, setup=_with_run, kwargs=_pk, denied_status=404),
    # API
    Case("api:event_kpis_api", EVENT_STAFF, api=True, kwargs=_code, denied_status=404),
    Case("api:list_events", EVENT_STAFF, api=True, kwargs=_code, denied_status=404),
    Case("api:get_event", EVENT_STAFF, api=True, setup=_event, kwargs=_api_event, denied_status=404),
    Case("api:get_event", {"superuser"}, api=True, setup=_event_elsewhere, kwargs=_api_event, denied_status=404),
    Case("api:list_registrations", EVENT_STAFF, api=True, setup=_event, kwargs=_api_event, denied_status=404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_events_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
