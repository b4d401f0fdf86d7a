"""Writes for the registry. Every write keeps `name_key` in step with `name` and is logged."""

from typing import Any

from django.db import transaction

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .models import Company, Contact
from .normalise import company_name_key


def _add_source(company: Company, source: str | None) -> None:
    if source and source not in company.sources:
        company.sources = [*company.sources, source]


@transaction.atomic
def company_create(*, actor, name: str, source: str | None = None, **fields: Any) -> Company:
    company = Company(name=name.strip(), **fields)
    company.name_key = company_name_key(company.name)
    _add_source(company, source)
    company.full_clean()
    company.save()
    log_change(actor=actor, instance=company, action=ChangeAction.CREATE)
    return company


@transaction.atomic
def company_update(*, actor, company: Company, source: str | None = None, note: str = "", **fields: Any) -> Company:
    before = snapshot(company)
    for field, value in fields.items():
        setattr(company, field, value)
    company.name = company.name.strip()
    company.name_key = company_name_key(company.name)
    _add_source(company, source)
    company.full_clean()
    company.save()
    log_change(actor=actor, instance=company, action=ChangeAction.UPDATE, before=before, note=note)
    return company


@transaction.atomic
def contact_create(*, actor, company: Company, name: str, **fields: Any) -> Contact:
    contact = Contact(company=company, name=name.strip(), created_by=actor if getattr(actor, "pk", None) else None, **fields)
    contact.full_clean()
    contact.save()
    log_change(actor=actor, instance=contact, action=ChangeAction.CREATE, after=snapshot(contact, ["company", "name"]))
    return contact
