"""Moving every record that points at one company onto another, for `services.company_merge`.

Walks `Company._meta.related_objects`, so models added later (visits, plans, …) are moved without
touching this code. When moving a record would break a unique constraint (the survivor already has
the same designation, say), the merged side's record is the duplicate and is deleted instead.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from .models import Company

# Company fields the merge decides itself and never copies from the merged record.
NOT_FILLED = frozenset(
    {"id", "name", "name_key", "status", "closed_on", "merged_into", "successor", "sources", "created_at", "updated_at"}
)

# Derived rows the matcher rebuilds from Company (`matching.index_companies`, which the merge service runs
# afterwards for both records): never moved, never logged.
DERIVED_MODELS = frozenset({"companies.companysearchkey", "companies.companygram"})


class MergeConflict(Exception):
    """A related record cannot be moved for a reason other than being a duplicate."""


@dataclass
class MoveReport:
    moved: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{label} {n}件を移動" for label, n in self.moved.items()]
        parts += [f"重複した{label} {n}件を削除" for label, n in self.dropped.items()]
        return "、".join(parts)


def _unique_field_sets(model: type[models.Model], field: models.Field) -> list[tuple[list[str], models.Q | None]]:
    """The unique field sets of `model` that include `field` (with their condition, if any)."""
    sets: list[tuple[list[str], models.Q | None]] = []
    if field.unique:
        sets.append(([field.name], None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append((list(together), None))
    for constraint in model._meta.total_unique_constraints + [
        c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.condition is not None
    ]:
        if constraint.fields and field.name in constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    return sets


def _duplicate_on_survivor(obj: models.Model, field: models.Field, survivor: Company) -> bool:
    model = type(obj)
    for fields, condition in _unique_field_sets(model, field):
        lookup = {name: getattr(obj, model._meta.get_field(name).attname) for name in fields if name != field.name}
        lookup[field.name] = survivor
        clash = model._default_manager.filter(**lookup).exclude(pk=obj.pk)
        if condition is not None:
            if not model._default_manager.filter(condition, pk=obj.pk).exists():
                continue
            clash = clash.filter(condition)
        if clash.exists():
            return True
    return False


def _move(model: type[models.Model], field: models.Field, survivor: Company, merged: Company, actor, report) -> None:
    label = str(model._meta.verbose_name)
    for obj in model._default_manager.filter(**{field.name: merged}).order_by("pk"):
        if _duplicate_on_survivor(obj, field, survivor):
            log_change(
                actor=actor,
                instance=obj,
                action=ChangeAction.DELETE,
                after={},
                before=snapshot(obj, [field.name]),
                note=f"企業等の統合で重複（統合先 ID {survivor.pk}）",
            )
            obj.delete()
            report.dropped[label] += 1
            continue
        before = snapshot(obj, [field.name])
        setattr(obj, field.name, survivor)
        try:
            with transaction.atomic():
                obj.save(update_fields=[field.name])
        except IntegrityError as exc:
            raise MergeConflict(f"{label} (ID {obj.pk}) を移動できません: {exc}") from exc
        log_change(
            actor=actor,
            instance=obj,
            action=ChangeAction.UPDATE,
            before=before,
            after=snapshot(obj, [field.name]),
            note=f"企業等の統合（ID {merged.pk} → {survivor.pk}）",
        )
        report.moved[label] += 1


def move_related_records(*, actor, survivor: Company, merged: Company) -> MoveReport:
    """Point every record that refers to `merged` at `survivor` (call inside the merge's transaction)."""
    report = MoveReport()
    for relation in Company._meta.related_objects:
        if relation.related_model._meta.label_lower in DERIVED_MODELS:
            continue
        if relation.many_to_many:
            through = relation.through
            if through is None:
                continue
            # The through model's foreign key that points at Company from this relation's side.
            fk = next(
                f
                for f in through._meta.concrete_fields
                if f.is_relation and f.related_model is Company and f.name == relation.field.m2m_reverse_field_name()
            )
            _move(through, fk, survivor, merged, actor, report)
            continue
        model, field = relation.related_model, relation.field
        if model is Company:
            # Records that named `merged` as successor or merge target now name the survivor.
            for obj in Company.objects.filter(**{field.name: merged}).exclude(pk__in=[survivor.pk, merged.pk]):
                before = snapshot(obj, [field.name])
                setattr(obj, field.name, survivor)
                obj.save(update_fields=[field.name])
                log_change(
                    actor=actor,
                    instance=obj,
                    action=ChangeAction.UPDATE,
                    before=before,
                    after=snapshot(obj, [field.name]),
                    note=f"企業等の統合（ID {merged.pk} → {survivor.pk}）",
                )
            continue
        _move(model, field, survivor, merged, actor, report)
    for m2m in Company._meta.local_many_to_many:
        getattr(survivor, m2m.name).add(*getattr(merged, m2m.name).all())
    return report


def fill_blanks(*, survivor: Company, merged: Company) -> list[str]:
    """Copy attributes the survivor lacks from the merged record; returns the names of the fields filled."""
    filled = []
    for company_field in Company._meta.concrete_fields:
        if company_field.name in NOT_FILLED:
            continue
        mine, theirs = getattr(survivor, company_field.attname), getattr(merged, company_field.attname)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(survivor, company_field.attname, theirs)
            filled.append(company_field.name)
    return filled
