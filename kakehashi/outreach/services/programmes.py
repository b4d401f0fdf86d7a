"""Writes for programmes, memberships and designations."""

import datetime

from django.db import transaction

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from ..models import DesignatedCompany, Programme, ProgrammeMembership
from ..rules import forget_programme_roles


@transaction.atomic
def programme_create(
    *,
    actor,
    code: str,
    name: str,
    prefecture,
    fiscal_year: int,
    target_count: int = 400,
    kind: str = "dx_communicate",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    description: str = "",
) -> Programme:
    default_start, default_end = Programme.fiscal_year_period(fiscal_year)
    programme = Programme(
        code=code,
        name=name,
        kind=kind,
        prefecture=prefecture,
        fiscal_year=fiscal_year,
        start_date=start_date or default_start,
        end_date=end_date or default_end,
        target_count=target_count,
        description=description,
    )
    programme.full_clean()
    programme.save()
    log_change(actor=actor, instance=programme, action=ChangeAction.CREATE)
    return programme


@transaction.atomic
def membership_add(*, actor, programme: Programme, user, role: str) -> ProgrammeMembership:
    membership, created = ProgrammeMembership.objects.get_or_create(programme=programme, user=user, role=role)
    if created:
        log_change(actor=actor, instance=membership, action=ChangeAction.CREATE)
        forget_programme_roles(user)  # the roles cached for this request
    return membership


@transaction.atomic
def designation_add(
    *, actor, programme: Programme, company, source: str = "", note: str = ""
) -> tuple[DesignatedCompany, bool]:
    """Mark a company as designated for a programme. Adding it twice changes nothing."""
    designation, created = DesignatedCompany.objects.get_or_create(
        programme=programme, company=company, defaults={"source": source[:200], "note": note[:300]}
    )
    if created:
        log_change(actor=actor, instance=designation, action=ChangeAction.CREATE, after=snapshot(designation))
    return designation, created
