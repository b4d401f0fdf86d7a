"""Writes for the registry. Every write keeps `name_key` in step with `name` and is logged."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .choices import CompanyStatus
from .matching import index_companies
from .merge import MergeConflict, fill_blanks, move_related_records
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
    index_companies([company.pk])
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
    index_companies([company.pk])
    log_change(actor=actor, instance=company, action=ChangeAction.UPDATE, before=before, note=note)
    return company


@transaction.atomic
def contact_create(*, actor, company: Company, name: str, **fields: Any) -> Contact:
    contact = Contact(
        company=company, name=name.strip(), created_by=actor if getattr(actor, "pk", None) else None, **fields
    )
    contact.full_clean()
    contact.save()
    log_change(actor=actor, instance=contact, action=ChangeAction.CREATE, after=snapshot(contact, ["company", "name"]))
    return contact


# Contact fields whose values are not copied into the change log (personal information; deletion on
# request must not leave them behind). A change to them is recorded by name only.
CONTACT_PRIVATE_FIELDS = ("phone", "email", "note")
CONTACT_LOGGED_FIELDS = ["company", "name", "name_kana", "department", "title"]


@transaction.atomic
def contact_update(*, actor, contact: Contact, **fields: Any) -> Contact:
    before = snapshot(contact, CONTACT_LOGGED_FIELDS)
    private_before = {f: getattr(contact, f) for f in CONTACT_PRIVATE_FIELDS}
    for field, value in fields.items():
        setattr(contact, field, value)
    contact.name = contact.name.strip()
    contact.full_clean()
    contact.save()
    changed_private = [
        str(Contact._meta.get_field(name).verbose_name)
        for name in CONTACT_PRIVATE_FIELDS
        if getattr(contact, name) != private_before[name]
    ]
    note = ("変更: " + "、".join(changed_private)) if changed_private else ""
    after = snapshot(contact, CONTACT_LOGGED_FIELDS)
    if changed_private and after == before:
        after = {**after, "private_fields": "changed"}
    log_change(actor=actor, instance=contact, action=ChangeAction.UPDATE, before=before, after=after, note=note)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> None:
    """Delete a contact (also on the person's request under APPI); the log keeps only company and name."""
    log_change(
        actor=actor,
        instance=contact,
        action=ChangeAction.DELETE,
        before=snapshot(contact, ["company", "name"]),
        after={},
    )
    contact.delete()


@transaction.atomic
def company_merge(*, actor, survivor: Company, merged: Company) -> Company:
    """Merge the duplicate record `merged` into `survivor`.

    Every record pointing at `merged` moves to `survivor` (duplicates under a unique constraint are
    dropped), blank attributes of `survivor` are filled from `merged`, and `merged` is kept as a
    `merged` record pointing at `survivor`, with its history. Both records get a change-log entry.
    """
    if survivor.pk is None or merged.pk is None:
        raise ValidationError(_("保存されていない記録は統合できません。"))
    if survivor.pk == merged.pk:
        raise ValidationError(_("同じ記録どうしは統合できません。"))
    locked = {c.pk: c for c in Company.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if merged.status == CompanyStatus.MERGED:
        raise ValidationError(_("「%(name)s」はすでに統合済みです。") % {"name": merged.name})
    if survivor.status == CompanyStatus.MERGED:
        raise ValidationError(_("統合済みの記録「%(name)s」には統合できません。") % {"name": survivor.name})
    if survivor.corporate_number and merged.corporate_number and survivor.corporate_number != merged.corporate_number:
        raise ValidationError(_("法人番号が異なる記録は別の法人のため統合できません。"))

    survivor_before, merged_before = snapshot(survivor), snapshot(merged)
    try:
        report = move_related_records(actor=actor, survivor=survivor, merged=merged)
    except MergeConflict as exc:
        raise ValidationError(str(exc)) from exc

    corporate_number = merged.corporate_number
    merged.corporate_number = None  # unique: free it before the survivor takes it over
    merged.status = CompanyStatus.MERGED
    merged.merged_into = survivor
    merged.full_clean()
    merged.save()

    filled = fill_blanks(survivor=survivor, merged=merged)
    if not survivor.corporate_number and corporate_number:
        survivor.corporate_number = corporate_number
        filled.append("corporate_number")
    if survivor.successor_id == merged.pk:
        survivor.successor = None
    survivor.sources = [*survivor.sources, *[s for s in merged.sources if s not in survivor.sources]]
    survivor.full_clean()
    survivor.save()
    index_companies([survivor.pk, merged.pk])

    summary = report.summary()
    if filled:
        labels = "、".join(str(Company._meta.get_field(name).verbose_name) for name in filled)
        summary = "、".join(part for part in (summary, f"補完した項目: {labels}") if part)
    log_change(
        actor=actor,
        instance=survivor,
        action=ChangeAction.MERGE,
        before=survivor_before,
        note=f"「{merged.name}」(ID {merged.pk}) を統合。{summary}"[:300],
    )
    log_change(
        actor=actor,
        instance=merged,
        action=ChangeAction.MERGE,
        before=merged_before,
        note=f"「{survivor.name}」(ID {survivor.pk}) に統合"[:300],
    )
    return survivor
