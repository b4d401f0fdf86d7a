"""The demo programme's visit plan: settings, communicator bases in six Yamagata cities, and an approved plan.

The plan is built the way the manager's button builds it (re-planning around the demo's visits already
done, new visits from tomorrow), with a short time budget so `seed_demo` stays quick, then submitted by
the manager and approved by the prefecture user. Idempotent: nothing happens once the programme has a plan.
"""

import datetime

from kakehashi.outreach.models import Programme
from kakehashi.planning.models import Plan
from kakehashi.planning.services import (
    communicator_profile_update,
    communicator_profiles_ensure,
    plan_approve,
    plan_create,
    plan_run,
    plan_settings_ensure,
    plan_submit,
)
from kakehashi.reference.models import Municipality, Region

DEMO_PLAN_SECONDS = 8
# username → (home municipality, regions covered (empty: all), daily cap, weekdays)
BASES = {
    "comm1": ("山形市", [], 3, "01234"),
    "comm2": ("米沢市", ["okitama"], 3, "01234"),
    "comm3": ("鶴岡市", ["shonai"], 3, "01234"),
    "comm4": ("酒田市", ["shonai", "mogami"], 3, "01234"),
    "comm5": ("新庄市", ["mogami", "murayama"], 2, "0123"),
    "comm6": ("天童市", [], 3, "01234"),
}


def seed_planning(*, programme: Programme, users: dict, today: datetime.date) -> dict:
    if Plan.objects.filter(programme=programme).exists():
        return {"plans": Plan.objects.filter(programme=programme).count()}
    manager, pref = users["manager"], users["pref"]
    plan_settings_ensure(actor=manager, programme=programme)
    municipalities = {m.name: m for m in Municipality.objects.filter(prefecture=programme.prefecture)}
    regions = {r.code: r for r in Region.objects.filter(prefecture=programme.prefecture)}
    for profile in communicator_profiles_ensure(actor=manager, programme=programme):
        base = BASES.get(profile.user.username)
        if base is None:
            continue
        home, covered, cap, weekdays = base
        leave = [today + datetime.timedelta(days=d) for d in (9, 10)] if profile.user.username == "comm2" else []
        communicator_profile_update(
            actor=manager,
            profile=profile,
            home_municipality=municipalities.get(home),
            max_visits_per_day=cap,
            weekdays=weekdays,
            regions=[regions[c] for c in covered if c in regions],
            leave_days=leave,
        )
    plan = plan_create(actor=manager, programme=programme, seconds=DEMO_PLAN_SECONDS, enqueue=False)
    plan_run(plan=plan, today=today)
    plan_submit(actor=manager, plan=plan)
    plan_approve(actor=pref, plan=plan, comment="指定訪問先をすべて含み、地域の偏りもないため承認します。")
    return {"plans": 1, "visits": plan.visits.count(), "report": plan.quality_report.get("travel_km")}
