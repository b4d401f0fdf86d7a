"""Demo events: a past DX seminar in Yamagata, two past exchange workshops in Miyagi with table plans, and one
upcoming published event in each programme.

Past registrations are written directly (as a past public sign-up would have left them, without sending mail);
attendance, survey answers and table plans go through the services. Idempotent (nothing happens when the
programme already has events) and deterministic (one seed).
"""

import datetime
import random

from django.utils import timezone

from kakehashi.companies.models import Company
from kakehashi.companies.normalise import company_name_key, person_name_key
from kakehashi.events import services
from kakehashi.events.models import Event, Registration
from kakehashi.outreach.models import Programme

SEED = 2026_07
FAMILY = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "斎藤",
    "松本",
]
GIVEN = ["健一", "美香", "翔太", "由紀", "大輔", "恵", "拓也", "彩", "誠", "真理子", "亮", "千尋"]
IT_COMPANIES = [
    "みやぎクラウド株式会社",
    "杜の都ソフトウェア合同会社",
    "青葉データラボ株式会社",
    "仙台AIソリューションズ株式会社",
    "広瀬川システム株式会社",
    "松島デジタル株式会社",
    "泉ウェブ制作室",
    "東北IoTテック株式会社",
]
MIYAGI_LOCAL = [
    "株式会社石巻水産加工",
    "気仙沼冷凍食品株式会社",
    "有限会社白石温麺",
    "株式会社大崎米穀",
    "塩竈かまぼこ本舗株式会社",
    "株式会社名取精機",
    "登米建設株式会社",
    "岩沼物流株式会社",
    "株式会社栗原酒造",
    "角田家具製作所",
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _event(manager, programme: Programme, *, day: datetime.date, hour: int = 14, hours: int = 2, **values) -> Event:
    return services.event_create(
        actor=manager,
        programme=programme,
        values={"starts_at": _at(day, hour), "ends_at": _at(day, hour + hours), **values},
    )


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"


def _register_past(event: Event, rng: random.Random, people: list[tuple[str, str, Company | None, bool, str]]) -> list:
    """Registrations of a past event as the public page left them (no mail is sent)."""
    registrations = []
    for name, organisation, company, is_it, email in people:
        registration = Registration(
            event=event,
            name=name,
            name_key=person_name_key(name),
            organisation=organisation,
            organisation_key=company_name_key(organisation),
            company=company,
            match_score=100 if company else None,
            is_it_company=is_it,
            email=email,
            email_key=services.email_key(email),
            consent_at=event.starts_at - datetime.timedelta(days=rng.randint(3, 20)),
        )
        registration.save()
        registrations.append(registration)
    return registrations


def _attend_and_answer(manager, registrations: list, rng: random.Random, *, show: float, answer: float, mean: float):
    attended = []
    for registration in registrations:
        if rng.random() > show:
            continue
        services.registration_check_in(actor=manager, registration=registration)
        attended.append(registration)
        if rng.random() < answer:
            overall = max(1, min(5, round(rng.gauss(mean, 0.8))))
            services.survey_answer(
                registration=registration,
                answers={
                    "overall": overall,
                    "usefulness": max(1, min(5, overall + rng.choice([-1, 0, 0, 1]))),
                    "next_step": rng.sample(["個別相談", "次回のセミナー", "IT企業との面談", "補助金の情報"], 2),
                    "comment": rng.choice(
                        ["具体的な事例が参考になった。", "時間が少し短かった。", "同業の話が聞けて良かった。", ""]
                    ),
                },
            )
    return attended


def seed_events(*, programme: Programme, users: dict, today: datetime.date) -> int:
    """Demo events for the Yamagata programme (`programme`) and the Miyagi cross-industry one. Returns how many."""
    if Event.objects.filter(programme=programme).exists():
        return 0
    rng = random.Random(SEED)
    manager = users["manager"]
    created = 0

    # Yamagata: a DX seminar held in a real venue six weeks ago, and the next one, published.
    seminar_day = max(programme.start_date, today - datetime.timedelta(days=42))
    seminar = _event(
        manager,
        programme,
        day=seminar_day,
        kind="seminar",
        format="in_person",
        title="はじめてのDX 業務改善セミナー（山形会場）",
        theme="紙とFAXの業務をクラウドに移す第一歩",
        description="県内企業の事例紹介と、やまがた産業支援機構の支援メニューの説明。終了後に個別相談会。",
        venue_name="山形県産業創造支援センター 大会議室",
        venue_address="山形県山形市松栄1-3-8",
        capacity=40,
        organiser="山形県・やまがた産業支援機構",
        moderator="DXコミュニケータ 鈴木 健太",
    )
    services.event_publish(actor=manager, event=seminar)
    companies = list(Company.objects.filter(municipality__prefecture=programme.prefecture).order_by("pk")[:200])
    people = []
    for i, company in enumerate(rng.sample(companies, min(28, len(companies)))):
        people.append((_person(rng), company.name, company, False, f"seminar{i}@demo.kakehashi.example"))
    registrations = _register_past(seminar, rng, people)
    _attend_and_answer(manager, registrations, rng, show=0.8, answer=0.7, mean=4.1)
    upcoming = _event(
        manager,
        programme,
        day=today + datetime.timedelta(days=21),
        kind="seminar",
        format="hybrid",
        title="生成AIで変わる中小企業の事務 セミナー（庄内会場＋オンライン）",
        theme="見積・請求・問い合わせ対応をAIで効率化",
        description="生成AIを使った事務作業の効率化を、県内企業の実演で紹介します。オンラインでも参加できます。",
        venue_name="酒田市産業振興まちづくりセンター",
        venue_address="山形県酒田市中町1-4-10",
        online_url="https://meet.example.jp/yamagata-dx-ai",
        capacity=30,
        organiser="山形県",
    )
    services.event_publish(actor=manager, event=upcoming)
    created += 2

    # Miyagi: two exchange workshops (16 people, 4 tables, 3 rounds) and the next one.
    miyagi = Programme.objects.filter(code=programme.code.replace("yamagata-dx", "miyagi-cross")).first()
    if miyagi is not None:
        regulars = [(_person(rng), org, True) for org in IT_COMPANIES] + [
            (_person(rng), org, False) for org in MIYAGI_LOCAL
        ]
        for n, weeks_ago in enumerate((10, 4), start=1):
            day = max(miyagi.start_date, today - datetime.timedelta(weeks=weeks_ago))
            workshop = _event(
                manager,
                miyagi,
                day=day,
                hour=13,
                hours=3,
                kind="workshop",
                format="in_person",
                title=f"IT×地域産業 交流ワークショップ 第{n}回",
                theme="現場の困りごとをITで解く（少人数テーブル）",
                venue_name="仙台市産業振興会館 セミナールーム",
                venue_address="宮城県仙台市青葉区本町2-16-10",
                capacity=20,
                rounds=3,
                tables=4,
                organiser="宮城県",
                moderator="事業責任者 佐藤 一郎",
            )
            services.event_publish(actor=manager, event=workshop)
            chosen = rng.sample(regulars, 16)
            people = [
                (name, org, None, is_it, f"ws-{company_name_key(org)}@demo.kakehashi.example".replace(" ", ""))
                for name, org, is_it in chosen
            ]
            registrations = _register_past(workshop, rng, people)
            _attend_and_answer(manager, registrations, rng, show=0.9, answer=0.8, mean=4.3 + 0.2 * n)
            services.mixing_plan(actor=manager, event=workshop, seed=SEED + n)
            created += 1
        nxt = _event(
            manager,
            miyagi,
            day=today + datetime.timedelta(days=28),
            hour=13,
            hours=3,
            kind="workshop",
            format="in_person",
            title="IT×地域産業 交流ワークショップ 第3回",
            theme="食品・水産業のデータ活用",
            venue_name="石巻市ささえあいセンター",
            venue_address="宮城県石巻市中央2-10-2",
            capacity=20,
            rounds=3,
            tables=4,
            organiser="宮城県",
        )
        services.event_publish(actor=manager, event=nxt)
        created += 1
    return created
