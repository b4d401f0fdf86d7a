"""Factories and a small planning world (a few municipalities, companies and communicators) for the tests."""

import datetime
from dataclasses import dataclass

import factory

from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.companies.models import Company
from kakehashi.companies.normalise import company_name_key
from kakehashi.companies.tests.factories import CodeItemFactory, IndustryFactory, MunicipalityFactory, RegionFactory
from kakehashi.outreach.models import DesignatedCompany, ProgrammeMembership
from kakehashi.planning.models import CommunicatorProfile, Plan, PlanSettings
from kakehashi.reference.choices import IndustryLevel


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    programme = factory.SubFactory("kakehashi.outreach.tests.factories.ProgrammeFactory")
    version = factory.Sequence(lambda n: n + 1)
    period_start = datetime.date(2026, 4, 1)
    period_end = datetime.date(2027, 3, 31)
    target = 10
    run_status = "done"


# (name, 5-digit code, lat, lng, region)
PLACES = [
    ("山形市", "06201", 38.2554, 140.3396, "murayama"),
    ("天童市", "06210", 38.3623, 140.3780, "murayama"),
    ("米沢市", "06202", 37.9222, 140.1168, "okitama"),
    ("長井市", "06209", 38.1078, 140.0404, "okitama"),
]


@dataclass
class World:
    programme: object
    municipalities: list
    companies: list
    designated: list
    communicators: list
    profiles: list
    manager: object
    prefecture_user: object


def make_world(programme, *, companies: int = 24, designated: int = 3, communicators: int = 2, target: int = 10):
    """A programme in Yamagata with `companies` candidates, `designated` of them designated, and communicators."""
    from kakehashi.companies.tests.factories import municipality_code

    programme.target_count = target
    programme.start_date = datetime.date(2026, 4, 1)
    programme.end_date = datetime.date(2026, 6, 30)
    programme.save()
    regions = {
        "murayama": RegionFactory(prefecture=programme.prefecture, code="murayama", name="村山", order=1),
        "okitama": RegionFactory(prefecture=programme.prefecture, code="okitama", name="置賜", order=2),
    }
    municipalities = []
    for name, five, lat, lng, region in PLACES:
        municipality = MunicipalityFactory(
            code=municipality_code(five), name=name, prefecture=programme.prefecture, latitude=lat, longitude=lng
        )
        regions[region].municipalities.add(municipality)
        municipalities.append(municipality)
    manufacturing = IndustryFactory(code="E", name="製造業")
    construction = IndustryFactory(code="D", name="建設業")
    food = IndustryFactory(code="09", name="食料品製造業", level=IndustryLevel.MIDDLE, parent=manufacturing)
    forms = [
        CodeItemFactory(list="business_form", code="manufacturing_own", label_ja="製造(自社製品)"),
        CodeItemFactory(list="business_form", code="construction", label_ja="建設"),
    ]
    created = []
    for i in range(companies):
        name = f"テスト工業{i:03d}株式会社"
        created.append(
            Company.objects.create(
                name=name,
                name_key=company_name_key(name),
                municipality=municipalities[i % len(municipalities)],
                industry=food if i % 2 == 0 else construction,
                business_form=forms[i % 2],
            )
        )
    designated_companies = created[:designated]
    for company in designated_companies:
        DesignatedCompany.objects.create(programme=programme, company=company)
    users, profiles = [], []
    for i in range(communicators):
        user = UserFactory(roles=["communicator"], username=f"comm-w{i}")
        ProgrammeMembership.objects.create(programme=programme, user=user, role="communicator")
        profiles.append(
            CommunicatorProfile.objects.create(
                programme=programme, user=user, home_municipality=municipalities[(i * 2) % len(municipalities)]
            )
        )
        users.append(user)
    manager = UserFactory(roles=["manager"], username="planner-manager")
    ProgrammeMembership.objects.create(programme=programme, user=manager, role="manager")
    prefecture_user = UserFactory(roles=["prefecture"], username="planner-pref")
    ProgrammeMembership.objects.create(programme=programme, user=prefecture_user, role="prefecture")
    PlanSettings.objects.get_or_create(programme=programme)
    return World(programme, municipalities, created, designated_companies, users, profiles, manager, prefecture_user)


def heard(programme, company, communicator, day, **kwargs):
    """A submitted visit report (a hearing that counts) at `company` by `communicator` on `day`."""
    from kakehashi.outreach.tests.factories import VisitFactory

    visit_format = CodeItemFactory(list="visit_format", code="visit", label_ja="訪問")
    return VisitFactory(
        programme=programme,
        company=company,
        recorded_by=communicator,
        status="submitted",
        visit_date=day,
        visit_format=visit_format,
        **kwargs,
    )
