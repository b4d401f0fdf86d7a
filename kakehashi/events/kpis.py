"""Event KPIs of a programme, one computation for the dashboard panel and the API.

Definitions (shown on the panel and returned by the API):
- events held: events of the programme whose end time has passed and that had at least one attendee.
- registrations: registrations not cancelled (registered or waiting), all events.
- attendance rate: attendees (checked in) ÷ registrations confirmed for the events held.
- participants: distinct people who attended (normalised email, else name + organisation), split by IT or not,
  by industry (JSIC major division of the matched registry company; 「未照合」 when not matched) and repeat
  (attended two or more events of the programme) or new.
- satisfaction: answers to the survey question with key "overall" (5-point scale; the key is stable across
  survey versions): mean, distribution and the mean per event over time.
- new cross-industry pairs: distinct IT × local pairs of attendees who sat at one table (the event's current table
  plan) and had not sat together at an earlier event.
"""

from collections import Counter, defaultdict
from itertools import combinations
from statistics import mean
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.outreach.models import Programme

from .choices import SATISFACTION_KEY, SCALE_MAX, SCALE_MIN, RegistrationStatus
from .models import Event, Registration, SurveyResponse
from .selectors import _latest_runs, _table_groups

DEFINITIONS = {
    "events_held": _("終了時刻を過ぎ、出席者が1名以上いたイベントの数。"),
    "registrations": _("キャンセルを除く申込の数（キャンセル待ちを含む）。"),
    "attendance_rate": _("開催済みイベントの出席者（受付済み）÷ 参加確定の申込数。当日受付を含みます。"),
    "participants": _(
        "出席した人の数（メールアドレス、なければ氏名＋所属で同一人物を判定）。2回以上出席した人がリピーター。"
    ),
    "satisfaction": _(
        "アンケートの設問「満足度」（キー overall、5段階）の回答の平均と分布。版が変わっても同じ設問として集計します。"
    ),
    "new_cross_pairs": _(
        "同じテーブルに座った IT企業 × 地域企業 の参加者の組のうち、それ以前のイベントで同席していなかった組の数。"
    ),
}


def event_kpis(programme: Programme) -> dict[str, Any]:
    now = timezone.now()
    events = list(Event.objects.filter(programme=programme).order_by("starts_at", "pk"))
    attended = list(
        Registration.objects.filter(event__programme=programme, checked_in_at__isnull=False)
        .select_related("company__industry__parent", "event")
        .order_by("event__starts_at", "pk")
    )
    held_ids = {r.event_id for r in attended if r.event.ends_at < now}
    registrations = Registration.objects.filter(event__programme=programme).exclude(status=RegistrationStatus.CANCELLED)
    confirmed_held = registrations.filter(event_id__in=held_ids, status=RegistrationStatus.REGISTERED).count()
    attended_held = sum(1 for r in attended if r.event_id in held_ids)

    people: dict[str, Registration] = {}
    times: Counter = Counter()
    for r in attended:
        people.setdefault(r.person_key, r)
        times[r.person_key] += 1
    by_industry: Counter = Counter()
    for r in people.values():
        industry = r.company.industry if r.company_id and r.company.industry_id else None
        if industry is not None and industry.parent_id:
            industry = industry.parent
        by_industry[str(industry) if industry else str(_("未照合・不明"))] += 1
    it_people = sum(1 for r in people.values() if r.is_it_company)

    return {
        "events_total": len(events),
        "events_upcoming": sum(1 for e in events if e.ends_at >= now),
        "events_held": len(held_ids),
        "registrations": registrations.count(),
        "attended": len(attended),
        "attendance_rate": round(100 * attended_held / confirmed_held, 1) if confirmed_held else None,
        "participants": {
            "total": len(people),
            "it": it_people,
            "local": len(people) - it_people,
            "repeat": sum(1 for k in people if times[k] >= 2),
            "new": sum(1 for k in people if times[k] == 1),
            "by_industry": [{"label": k, "count": v} for k, v in by_industry.most_common()],
        },
        "satisfaction": _satisfaction(programme),
        "new_cross_pairs": _new_cross_pairs(programme),
        "definitions": {k: str(v) for k, v in DEFINITIONS.items()},
    }


def _satisfaction(programme: Programme) -> dict[str, Any]:
    responses = SurveyResponse.objects.filter(registration__event__programme=programme).select_related(
        "registration__event"
    )
    per_event: dict[int, list[int]] = defaultdict(list)
    events: dict[int, Event] = {}
    values: list[int] = []
    for response in responses:
        value = (response.answers or {}).get(SATISFACTION_KEY)
        if isinstance(value, int) and SCALE_MIN <= value <= SCALE_MAX:
            values.append(value)
            per_event[response.registration.event_id].append(value)
            events[response.registration.event_id] = response.registration.event
    counts = Counter(values)
    trend = [
        {
            "event_id": eid,
            "title": events[eid].title,
            "date": timezone.localtime(events[eid].starts_at).date(),
            "mean": round(mean(v), 2),
            "responses": len(v),
        }
        for eid, v in sorted(per_event.items(), key=lambda item: events[item[0]].starts_at)
    ]
    return {
        "responses": len(values),
        "mean": round(mean(values), 2) if values else None,
        "distribution": [{"value": v, "count": counts.get(v, 0)} for v in range(SCALE_MIN, SCALE_MAX + 1)],
        "trend": trend,
    }


def _new_cross_pairs(programme: Programme) -> int:
    """Distinct IT × local pairs meeting for the first time, events in date order (earlier events of any programme
    count as having met)."""
    events = Event.objects.filter(programme=programme)
    runs = _latest_runs(events).select_related("event").order_by("event__starts_at", "pk")
    first = runs.first()
    seen: set[frozenset] = set()
    if first is not None:
        from .selectors import person_pairs_before

        seen = set(person_pairs_before(first.event))
    new = 0
    for run in runs:
        for group in _table_groups(type(run).objects.filter(pk=run.pk)):
            for a, b in combinations(group, 2):
                pair = frozenset((a.person_key, b.person_key))
                if a.is_it_company != b.is_it_company and pair not in seen and len(pair) == 2:
                    new += 1
                seen.add(pair)
    return new
