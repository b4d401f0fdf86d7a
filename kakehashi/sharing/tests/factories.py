"""Factories and builders for the sharing tests: shared visits, referrals, advice threads."""

import datetime

from django.utils import timezone

from kakehashi.accounts.tests.factories import UserFactory
from kakehashi.companies.tests.factories import CompanyFactory, ContactFactory, MunicipalityFactory
from kakehashi.outreach.models import ProgrammeMembership
from kakehashi.outreach.tests.factories import VisitFactory
from kakehashi.reference.models import CodeItem


def code(list_name: str, value: str, label: str | None = None) -> CodeItem:
    item, _ = CodeItem.objects.get_or_create(list=list_name, code=value, defaults={"label_ja": label or value})
    return item


def member(programme, role: str = "communicator", **kwargs):
    user = UserFactory(roles=[role], **kwargs)
    ProgrammeMembership.objects.create(programme=programme, user=user, role=role)
    return user


def company_in(programme, **kwargs):
    municipality = MunicipalityFactory(prefecture=programme.prefecture)
    return CompanyFactory(municipality=municipality, **kwargs)


def shared_visit(
    programme,
    *,
    company=None,
    consent: bool = True,
    status: str = "submitted",
    recorded_by=None,
    visit_date: datetime.date | None = None,
    interest: str | None = None,
    stage: str | None = None,
    outcomes=(),
    introductions=(),
    challenges=(),
    barriers=(),
    contact=None,
):
    """A counted visit (submitted by default) whose company agreed — or not — to share with the foundation."""
    company = company or company_in(programme)
    visit = VisitFactory(
        programme=programme,
        company=company,
        recorded_by=recorded_by or member(programme),
        status=status,
        visit_date=visit_date or timezone.localdate(),
        visit_format=code("visit_format", "visit", "訪問"),
        consent_share_foundation=consent,
        interest_level=code("interest_level", interest) if interest else None,
        digital_stage=code("digital_stage", stage) if stage else None,
        contact=contact,
    )
    visit.outcomes.set([code("outcome", c) for c in outcomes])
    visit.introductions.set([code("introduction", c) for c in introductions])
    visit.challenges.set([code("challenge", c) for c in challenges])
    visit.barriers.set([code("barrier", c) for c in barriers])
    return visit


def referral_for_visit(visit, *, actor=None, with_contact: bool = False, **kwargs):
    from kakehashi.sharing.services import referral_create

    actor = actor or member(visit.programme, "manager")
    contact = None
    if with_contact:
        contact = visit.contact or ContactFactory(company=visit.company, name="連絡 一郎", phone="023-000-1111")
    return referral_create(
        actor=actor,
        visit=visit,
        destination=kwargs.pop("destination", "foundation"),
        purpose=kwargs.pop("purpose", "受発注のデジタル化について相談したい"),
        consent_scope="contact" if with_contact else "company",
        contact=contact,
        **kwargs,
    )
