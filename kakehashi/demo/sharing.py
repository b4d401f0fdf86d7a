"""Demo sharing with the foundation: referrals in every state, advice threads, weights and a priority list.

Built on the demo season of visits through the sharing services (so the change log, the events and the
e-mails are as in real use). Only visits whose company agreed to share are referred, so `coord1`/`coord2`
see exactly the consented companies. Idempotent (nothing happens when the programme has referrals) and
deterministic (one seed).
"""

import datetime
import random

from django.db.models import Q

from kakehashi.accounts.models import User
from kakehashi.companies.services import contact_create
from kakehashi.outreach.models import Programme, Visit
from kakehashi.sharing import services
from kakehashi.sharing.models import Referral

SEED = 2026_06
REFERRALS = 28
# How far the demo referrals got, in turn (so every state shows even with few referrals).
PROGRESS = [
    ("supporting", 5),
    ("consulting", 6),
    ("contacted", 6),
    ("referred", 5),
    ("completed", 3),
    ("declined", 3),
]
PATH = ["contacted", "consulting", "supporting", "completed"]
NOTES = {
    "contacted": "代表番号に電話し、担当者と面談日程を調整した。",
    "consulting": "機構の窓口相談に登録。受発注の現状と予算感を確認した。",
    "supporting": "伴走支援の対象として月1回の訪問を開始。",
    "completed": "クラウド受発注の導入が完了し、支援を終了した。",
    "declined": "繁忙期のため今年度は見送りたいとの回答。来年度に再度声かけする。",
}
PURPOSES = [
    "受発注をFAXから切り替えたい。どのシステムが合うか機構に相談したい。",
    "生産管理のデータ化について、工程ごとの進め方を相談したい。",
    "ECサイトの立ち上げと補助金の活用について相談したい。",
    "勤怠・給与のクラウド化を検討中。導入事例を知りたい。",
    "情報セキュリティの基本対策を社内で整えたい。",
]
THREADS = [
    ("受発注の現状について", "訪問時、受発注はFAXとのことでしたが、取引先の数や月の件数は聞けていますか。"),
    ("伴走支援の進め方", "デジタル化の段階1とありますが、社長ご本人の関心度はどの程度でしたか。"),
    ("補助金の検討状況", "IT導入補助金の話は出ましたか。申請の経験があるかも教えてください。"),
    ("セミナー参加の意向", "次回の機構セミナーを案内したいのですが、参加しそうな方はいましたか。"),
]
ANSWERS = [
    "取引先は約30社、月200件ほどです。半分はメールでも受けられるとのことでした。",
    "社長は前向きで、後継者の専務が特に関心を持っています。",
]


def seed_sharing(*, programme: Programme, users: dict[str, User], today: datetime.date) -> dict[str, int]:
    if Referral.objects.filter(programme=programme).exists():
        return {"referrals": 0}
    rng = random.Random(SEED)
    coordinators = [users["coord1"], users["coord2"]]
    candidates = list(
        Visit.objects.filter(
            programme=programme,
            status__in=("submitted", "accepted"),
            consent_share_foundation=True,
            company__isnull=False,
            visit_date__lte=today - datetime.timedelta(days=3),
        )
        .filter(Q(outcomes__code__in=("foundation_consultation", "coordinator_support", "technology_centre")))
        .select_related("company", "recorded_by")
        .order_by("visit_date", "pk")
        .distinct()
    )
    seen: set[int] = set()
    chosen = []
    for visit in rng.sample(candidates, len(candidates)):
        if visit.company_id not in seen and len(chosen) < REFERRALS:
            seen.add(visit.company_id)
            chosen.append(visit)
    states = [state for state, _weight in PROGRESS]
    referrals = 0
    for index, visit in enumerate(sorted(chosen, key=lambda v: v.visit_date)):
        actor = visit.recorded_by
        contact = None
        if index % 2 == 0:
            contact = contact_create(
                actor=actor,
                company=visit.company,
                name=f"{rng.choice(['佐藤', '高橋', '斎藤', '遠藤'])} {rng.choice(['誠', '恵', '翔', '彩'])}（デモ）",
                title=rng.choice(["代表取締役", "専務取締役", "総務部長"]),
                phone=f"023-6{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
            )
        referred_on = min(visit.visit_date + datetime.timedelta(days=rng.randint(0, 3)), today)
        referral = services.referral_create(
            actor=actor,
            visit=visit,
            destination="technology_centre" if index % 7 == 6 else "foundation",
            purpose=rng.choice(PURPOSES),
            challenges=list(visit.challenges.all()[:3]),
            urgency=rng.choice(["high", "normal", "normal", "low"]),
            consent_scope="contact" if contact else "company",
            contact=contact,
            referred_on=referred_on,
        )
        referrals += 1
        target = states[index % len(states)]
        coordinator = coordinators[index % 2]
        day = referred_on
        if target == "referred":
            steps = []
        elif target == "declined":
            steps = ["contacted", "declined"]
        else:
            steps = PATH[: PATH.index(target) + 1]
        for step in steps:
            day = min(day + datetime.timedelta(days=rng.randint(2, 12)), today)
            services.referral_transition(
                actor=coordinator, referral=referral, to_status=step, occurred_on=day, note=NOTES[step]
            )
    threads = _seed_threads(programme, coordinators, chosen)
    weights = services.priority_weights_update(
        actor=users["pref"],
        programme=programme,
        values={"designated": 15, "outcome_support": 30},
        note="指定企業と伴走支援希望を重視する（県の方針）",
    )
    snapshot = services.priority_recompute(actor=users["manager"], programme=programme, today=today)
    decisions = _seed_decisions(programme, coordinators, snapshot)
    return {"referrals": referrals, "threads": threads, "weights_version": weights.version, "decisions": decisions}


def _seed_threads(programme, coordinators, visits) -> int:
    count = 0
    for index, (subject, body) in enumerate(THREADS):
        if index >= len(visits):
            break
        visit = visits[index]
        thread = services.advice_thread_open(
            actor=coordinators[index % 2], programme=programme, company=visit.company, subject=subject, body=body
        )
        if index < len(ANSWERS):
            services.advice_reply(actor=visit.recorded_by, thread=thread, body=ANSWERS[index])
        count += 1
    return count


def _seed_decisions(programme, coordinators, snapshot) -> int:
    entries = list(snapshot.entries.select_related("company").order_by("rank")[:6])
    plan = [
        ("accept", "次回の機構セミナー後に伴走支援の初回面談を設定する。"),
        ("advice", "まずは受発注のExcel化から。IT導入補助金の対象ツールを紹介する。"),
        ("decline", "既に商工会の専門家派遣で支援中のため、重複を避ける。"),
        ("accept", ""),
    ]
    count = 0
    for entry, (kind, note) in zip(entries, plan, strict=False):
        services.priority_decide(
            actor=coordinators[count % 2], programme=programme, company=entry.company, kind=kind, note=note
        )
        count += 1
    return count
