"""A synthetic but realistic Yamagata instance for the benchmark and the tests.

Municipalities and their city-hall coordinates come from the `japancode` package (the same source as
`kakehashi.reference.loaders`), regions from `kakehashi.reference.data.regions` (the four 総合支庁 areas);
no database. Companies are scattered around their municipality's centre, more of them in the larger cities;
the working days run from April to February without weekends, national holidays (`jpholiday`) and the
year-end closure, less a few days of leave per communicator.
"""

import datetime
import json
import math
import random
from importlib.resources import files

import jpholiday

from kakehashi.reference.data.regions import REGIONS

from .types import Candidate, Communicator, PlanProblem, PlanSettings, Point

# Rough weights for how many companies a municipality has (larger cities more); the rest weigh 2 (町) or 1 (村).
CITY_WEIGHTS = {
    "山形市": 30,
    "鶴岡市": 14,
    "酒田市": 13,
    "米沢市": 11,
    "天童市": 7,
    "東根市": 6,
    "寒河江市": 5,
    "新庄市": 5,
    "南陽市": 4,
    "上山市": 4,
    "長井市": 4,
    "村山市": 3,
    "尾花沢市": 2,
}
INDUSTRIES = {  # JSIC major → weight, business forms it usually has
    "D": (14, ["construction"]),
    "E": (20, ["manufacturing_own", "manufacturing_contract"]),
    "G": (4, ["business_services"]),
    "H": (6, ["business_services"]),
    "I": (22, ["wholesale", "retail_store"]),
    "M": (12, ["retail_store", "business_services"]),
    "P": (10, ["business_services"]),
    "R": (12, ["business_services", "retail_store"]),
}
BASES = ["山形市", "天童市", "米沢市", "新庄市", "鶴岡市", "酒田市"]


def yamagata_municipalities() -> list[dict]:
    """[{code, name, lat, lng, region}] for the 35 municipalities of Yamagata."""
    rows = json.loads(files("japancode").joinpath("data", "municipalities.json").read_text(encoding="utf-8"))
    region_of = {name: code for code, _label, members in REGIONS["06"] for name in members}
    out = []
    for row in rows:
        if row["cid"].zfill(5)[:2] != "06":
            continue
        name = row["city"].replace(" ", "")
        out.append(
            {
                "code": row["cid"].zfill(5),
                "name": name,
                "lat": float(row["lat"]),
                "lng": float(row["lng"]),
                "region": region_of[name],
            }
        )
    return out


def fiscal_year_days(fiscal_year: int, *, last_month: int = 2) -> list[datetime.date]:
    """Weekdays from 1 April to the end of `last_month` of the next year, less holidays and 29 Dec–3 Jan."""
    day = datetime.date(fiscal_year, 4, 1)
    end_month = datetime.date(fiscal_year + 1, last_month % 12 + 1, 1) if last_month < 12 else None
    end = end_month - datetime.timedelta(days=1) if end_month else datetime.date(fiscal_year + 1, 12, 31)
    out = []
    while day <= end:
        year_end = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
        if day.weekday() < 5 and not jpholiday.is_holiday(day) and not year_end:
            out.append(day)
        day += datetime.timedelta(days=1)
    return out


def proportional_quotas(counts: dict[str, int], total: int, floors: dict[str, int]) -> dict[str, int]:
    """Largest-remainder apportionment of `total` by `counts`, never below `floors` (designated companies)."""
    population = sum(counts.values())
    raw = {k: total * v / population for k, v in counts.items()}
    quotas = {k: max(floors.get(k, 0), math.floor(raw[k])) for k in counts}
    while sum(quotas.values()) < total:
        k = max(counts, key=lambda k: (raw[k] - quotas[k], k))
        quotas[k] += 1
    while sum(quotas.values()) > total:
        reducible = [k for k in counts if quotas[k] > floors.get(k, 0)]
        k = min(reducible, key=lambda k: (raw[k] - quotas[k], k))
        quotas[k] -= 1
    return quotas


def _scatter(rng: random.Random, lat: float, lng: float, km: float) -> Point:
    dlat = rng.gauss(0, km) / 111.0
    dlng = rng.gauss(0, km) / (111.0 * math.cos(math.radians(lat)))
    return Point(round(lat + dlat, 6), round(lng + dlng, 6))


def yamagata_instance(
    *,
    candidates: int = 3000,
    designated: int = 80,
    target: int = 420,
    communicators: int = 6,
    fiscal_year: int = 2026,
    seed: int = 20260401,
    seconds: float = 45.0,
    constraints: bool = True,
) -> PlanProblem:
    """The benchmark instance. `constraints=False` leaves out windows, date ranges and weekday wishes."""
    rng = random.Random(seed)  # noqa: S311 (reproducible sampling, not secrets)
    municipalities = yamagata_municipalities()
    weights = [CITY_WEIGHTS.get(m["name"], 2 if m["name"].endswith("町") else 1) for m in municipalities]
    industries = list(INDUSTRIES)
    industry_weights = [INDUSTRIES[k][0] for k in industries]
    year_days = fiscal_year_days(fiscal_year)

    people = []
    for index in range(candidates):
        town = rng.choices(municipalities, weights)[0]
        spread = 3.0 if town["name"].endswith("市") else 2.0
        industry = rng.choices(industries, industry_weights)[0]
        form = rng.choice(INDUSTRIES[industry][1])
        extra = {}
        if constraints:
            roll = rng.random()
            if roll < 0.12:
                extra["window"] = rng.choice([(600, 900), (780, 1020), (540, 720)])
            elif roll < 0.16:
                extra["not_before"] = datetime.date(fiscal_year, 10, 1)  # busy until autumn
            elif roll < 0.20:
                extra["not_after"] = datetime.date(fiscal_year, 12, 25)  # wants it done this calendar year
            elif roll < 0.24:
                extra["preferred_weekdays"] = frozenset(rng.sample(range(5), 2))
            if rng.random() < 0.1:
                extra["duration"] = 90
            if rng.random() < 0.02:
                extra["online_only"] = True
        people.append(
            dict(
                company_id=100_000 + index,
                point=_scatter(rng, town["lat"], town["lng"], spread),
                strata={"region_industry": f"{town['region']}|{industry}", "business_form": form},
                heard_before=rng.random() < 0.15,
                region=town["region"],
                **extra,
            )
        )
    for person in rng.sample(people, min(designated, len(people))):
        person["designated"] = True
        person.pop("online_only", None)

    families = ("region_industry", "business_form")
    quotas = {}
    for family in families:
        counts: dict[str, int] = {}
        floors: dict[str, int] = {}
        for person in people:
            stratum = person["strata"][family]
            counts[stratum] = counts.get(stratum, 0) + 1
            if person.get("designated"):
                floors[stratum] = floors.get(stratum, 0) + 1
        quotas[family] = proportional_quotas(counts, min(target, len(people)), floors)

    by_name = {m["name"]: m for m in municipalities}
    region_of_candidate = {p["company_id"]: p["region"] for p in people}
    comms = []
    for index in range(communicators):
        base = by_name[BASES[index % len(BASES)]]
        leave = set(rng.sample(year_days, min(12, len(year_days) // 10)))
        comms.append(
            Communicator(
                communicator_id=index + 1,
                home=_scatter(rng, base["lat"], base["lng"], 2.0),
                working_days=tuple(d for d in year_days if d not in leave),
                day_start=9 * 60 if index % 3 else 8 * 60 + 30,
                day_end=17 * 60 + 30 if index % 3 else 17 * 60,
                max_visits_per_day=3,
                region_of_candidate=region_of_candidate,
            )
        )
    cands = tuple(Candidate(**{k: v for k, v in p.items() if k != "region"}) for p in people)
    return PlanProblem(
        candidates=cands,
        communicators=tuple(comms),
        settings=PlanSettings(target=target, quotas=quotas, seconds=seconds),
    )
