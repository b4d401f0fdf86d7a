"""The planner's inputs and outputs. This is the contract between the solver and the Django app.

Times are minutes after midnight; durations and travel are minutes; distances are km.
Identifiers are the database primary keys (ints) so the app can map results back.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True)
class Candidate:
    """A company that may be visited."""

    company_id: int
    point: Point
    strata: dict[str, str]  # {"region_industry": "r1|E", "business_form": "manufacturing_own"}
    designated: bool = False
    heard_before: bool = False  # heard in the look-back window: selection prefers never-heard companies
    online_only: bool = False  # "online only": never routed, always an alternative (online hearing)
    not_before: datetime.date | None = None
    not_after: datetime.date | None = None
    preferred_weekdays: frozenset[int] = frozenset()  # 0 = Monday; empty = any day
    window: tuple[int, int] | None = None  # earliest arrival, latest start (minutes); None = working hours
    duration: int | None = None  # minutes on site; None = PlanSettings.visit_minutes
    companion_id: int | None = None  # a prefecture/partner staff member who asked to come along
    locked: "LockedVisit | None" = None  # done or fixed visits: kept exactly as they are on re-plan


@dataclass(frozen=True)
class LockedVisit:
    communicator_id: int
    day: datetime.date
    start: int  # minutes


@dataclass(frozen=True)
class Communicator:
    communicator_id: int
    home: Point
    working_days: tuple[datetime.date, ...]  # holidays, weekends and leave already removed
    day_start: int = 9 * 60
    day_end: int = 17 * 60
    max_visits_per_day: int = 3
    region_codes: frozenset[str] = frozenset()  # empty = covers every region
    region_of_candidate: dict[int, str] = field(default_factory=dict)  # company_id → region code (for coverage)


@dataclass(frozen=True)
class PlanSettings:
    target: int  # at least this many companies are chosen (designated included)
    quotas: dict[str, dict[str, int]]  # {"region_industry": {"r1|E": 12, …}, "business_form": {…}}
    visit_minutes: int = 60
    detour_factor: float = 1.3  # road distance ≈ straight line × this
    speed_kmh: float = 40.0
    seed: int = 1
    seconds: float = 30.0  # the solver's time budget (selection + routing)
    compactness_weight: float = 1.0  # how much selection prefers candidates near a communicator base
    plan_from: datetime.date | None = None  # no new (unlocked) visit before this day, e.g. today on a re-plan
    balance: float = 2.0  # day slack: a communicator may go out on this many times the days their visits need
    max_iterations: int | None = None  # also stop routing after this many iterations: reproducible plans
    # Workload balance: each communicator's visits (locked ones included) stay within ± this share of their
    # expected number, which is the plan's visits split in proportion to working days × daily cap.
    # None = no balancing (whoever is nearest takes the visit). Infeasible tolerances are met as closely as possible.
    balance_tolerance: float | None = 0.15


@dataclass(frozen=True)
class PlanProblem:
    candidates: tuple[Candidate, ...]
    communicators: tuple[Communicator, ...]
    settings: PlanSettings


@dataclass(frozen=True)
class ScheduledVisit:
    company_id: int
    communicator_id: int
    day: datetime.date
    order: int  # 1-based position in that communicator's day
    start: int  # minutes
    end: int
    travel_minutes: int  # from the previous stop (or home)
    travel_km: float
    locked: bool = False


@dataclass(frozen=True)
class Alternative:
    company_id: int
    kind: str  # "online" | "seminar"
    reason: str  # plain Japanese, e.g. 「オンラインのみ希望」「担当者の稼働日に収まらない」


@dataclass
class QualityReport:
    """What `plan_visits --json` prints and the plan page shows."""

    target: int
    selected: int
    designated_total: int
    designated_selected: int
    quota_deviation: dict[str, dict[str, int]]  # stratum → (selected − quota)
    max_quota_deviation: int
    travel_km: float
    travel_hours: float
    per_communicator: dict[int, dict[str, float]]  # id → {"visits":, "days":, "km":, "hours":}
    visits_per_day_max: int
    alternatives: dict[str, int]  # reason → count
    solve_seconds: float
    baseline: dict[str, float] | None = None  # the naive plan's travel_km / travel_hours / max_quota_deviation
    # id → {"visits":, "expected": (share of the visits by working days × daily cap), "deviation": (visits −
    # expected) ÷ expected}; and the largest |deviation| over the communicators (0.12 = within ±12 %).
    workload: dict[int, dict[str, float]] | None = None
    workload_spread: float | None = None


@dataclass
class PlanResult:
    selected: tuple[int, ...]  # company ids chosen by the selection step
    visits: tuple[ScheduledVisit, ...]
    alternatives: tuple[Alternative, ...]
    report: QualityReport
