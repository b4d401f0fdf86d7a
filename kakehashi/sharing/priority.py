"""The hands-on support priority score: what was heard at shared visits, weighed, with the reasons in Japanese.

One pass in Python over data read in a handful of queries (no query per company), so a programme with
thousands of heard companies is scored in well under a second. Only visits the company agreed to share
with the foundation count (`Visit.consent_share_foundation`): the list is for the coordinators.

Per company, from its counted shared visits in the programme:
- interest level, digitalisation stage and size: from the most recent visit that recorded them;
- outcomes, challenge areas and barriers: the union over the visits;
- recency: the latest visit date; designated: a designation in the programme;
- already in consultation or support: an open referral that reached 相談開始 or 支援中.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import ReferralStatus

SMALL_BANDS = frozenset({"0_5", "6_20"})
MEDIUM_BANDS = frozenset({"21_50", "51_100"})
OUTCOME_WEIGHTS = (
    ("coordinator_support", "outcome_support"),
    ("foundation_consultation", "outcome_consultation"),
    ("technology_centre", "outcome_technology_centre"),
    ("subsidies", "outcome_subsidies"),
)
STAGE_WEIGHTS = {"1": "stage_1", "2": "stage_2", "3": "stage_3"}


@dataclass
class Heard:
    """What was heard at one company (the inputs of its score)."""

    company_id: int
    last_visit: datetime.date | None = None
    interest: str | None = None
    stage: str | None = None
    stage_label: str = ""
    employees: str | None = None
    outcomes: set[str] = field(default_factory=set)
    challenges: set[str] = field(default_factory=set)
    barriers: set[str] = field(default_factory=set)
    designated: bool = False
    in_support: bool = False


@dataclass
class Scored:
    company_id: int
    score: int
    reasons: list[dict]
    last_visit: datetime.date | None


def _reason(code: str, label: str, points: int) -> dict:
    sign = "+" if points >= 0 else "−"
    return {"code": code, "label": f"{label}（{sign}{abs(points)}）", "points": points}


def score(heard: Heard, weights: dict[str, int], *, today: datetime.date) -> Scored:
    """The score of one company and its reasons, biggest contribution first. Zero-point reasons are left out."""
    reasons: list[dict] = []

    def add(code: str, label: str, points: int) -> None:
        if points:
            reasons.append(_reason(code, label, points))

    if heard.interest == "high":
        add("interest_high", _("関心度が高い"), weights["interest_high"])
    elif heard.interest == "medium":
        add("interest_medium", _("関心度は普通"), weights["interest_medium"])
    outcome_labels = {
        "coordinator_support": _("伴走支援を希望"),
        "foundation_consultation": _("機構への相談を申込"),
        "technology_centre": _("工業技術センターへの相談を希望"),
        "subsidies": _("補助金を検討中"),
    }
    for code, weight_name in OUTCOME_WEIGHTS:
        if code in heard.outcomes:
            add(f"outcome_{code}", outcome_labels[code], weights[weight_name])
    challenges = min(len(heard.challenges), weights["challenge_cap"])
    if challenges:
        add(
            "challenges",
            _("課題カテゴリ %(n)s件") % {"n": len(heard.challenges)},
            challenges * weights["per_challenge"],
        )
    barriers = min(len(heard.barriers), weights["barrier_cap"])
    if barriers:
        add("barriers", _("取組の障壁 %(n)s件") % {"n": len(heard.barriers)}, barriers * weights["per_barrier"])
    if heard.stage in STAGE_WEIGHTS:
        label = _("デジタル化の段階%(stage)s") % {"stage": heard.stage}
        add(f"stage_{heard.stage}", label, weights[STAGE_WEIGHTS[heard.stage]])
    if heard.employees in SMALL_BANDS:
        add("size_small", _("小規模（従業員20人以下）"), weights["size_small"])
    elif heard.employees in MEDIUM_BANDS:
        add("size_medium", _("中規模（従業員21〜100人）"), weights["size_medium"])
    if heard.designated:
        add("designated", _("指定企業"), weights["designated"])
    if heard.last_visit is not None:
        age = (today - heard.last_visit).days
        if age <= 30:
            add("recent_30", _("30日以内に訪問"), weights["recent_30"])
        elif age <= 90:
            add("recent_90", _("90日以内に訪問"), weights["recent_90"])
    if heard.in_support:
        add("in_support", _("既に機構で相談・支援中"), weights["in_support"])
    reasons.sort(key=lambda r: (-abs(r["points"]), r["code"]))
    return Scored(
        company_id=heard.company_id,
        score=sum(r["points"] for r in reasons),
        reasons=reasons,
        last_visit=heard.last_visit,
    )


def gather(programme) -> dict[int, Heard]:
    """What was heard at every company with a shared counted visit in `programme`, in six queries."""
    from kakehashi.outreach.models import DesignatedCompany, Visit

    from .models import Referral

    visits = Visit.objects.filter(
        programme=programme, status__in=("submitted", "accepted"), consent_share_foundation=True, company__isnull=False
    )
    heard: dict[int, Heard] = {}
    company_of: dict[int, int] = {}
    rows = visits.order_by("visit_date", "id").values_list(
        "id",
        "company_id",
        "visit_date",
        "interest_level__code",
        "digital_stage__code",
        "employees_band__code",
        "company__employees_band__code",
    )
    for visit_id, company_id, visit_date, interest, stage, employees, company_employees in rows:
        company_of[visit_id] = company_id
        item = heard.setdefault(company_id, Heard(company_id=company_id))
        # Rows come oldest first: later visits overwrite what they recorded.
        item.last_visit = visit_date if item.last_visit is None or visit_date > item.last_visit else item.last_visit
        item.interest = interest or item.interest
        item.stage = stage or item.stage
        item.employees = employees or company_employees or item.employees
    for relation, attribute in (("outcomes", "outcomes"), ("challenges", "challenges"), ("barriers", "barriers")):
        through = getattr(Visit, relation).through
        pairs = through.objects.filter(visit__in=visits).values_list("visit_id", "codeitem__code")
        for visit_id, code in pairs:
            getattr(heard[company_of[visit_id]], attribute).add(code)
    designated = set(
        DesignatedCompany.objects.filter(programme=programme, company_id__in=heard.keys()).values_list(
            "company_id", flat=True
        )
    )
    supporting = set(
        Referral.objects.filter(
            programme=programme,
            company_id__in=heard.keys(),
            status__in=(ReferralStatus.CONSULTING, ReferralStatus.SUPPORTING),
        ).values_list("company_id", flat=True)
    )
    for company_id, item in heard.items():
        item.designated = company_id in designated
        item.in_support = company_id in supporting
    return heard


def rank(programme, weights: dict[str, int], *, today: datetime.date) -> list[Scored]:
    """Every heard company scored and ordered: score, then the most recent visit, then the company id."""
    scored = [score(item, weights, today=today) for item in gather(programme).values()]
    scored.sort(key=lambda s: (-s.score, -(s.last_visit.toordinal() if s.last_visit else 0), s.company_id))
    return scored


def summarise(entries) -> dict[str, int]:
    """How many entries each reason code appears in (for the page's summary)."""
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        for reason in entry.reasons:
            counts[reason["code"]] += 1
    return dict(counts)
