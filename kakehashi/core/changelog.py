"""Writing and reading the change log. Services call `snapshot` before and `log_change` after."""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .choices import ChangeAction
from .models import ChangeLogEntry


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # a file is logged by its stored name
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value) if isinstance(value, set) else [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `instance`, JSON-ready, keyed by attribute name."""
    wanted = set(fields) if fields is not None else None
    values = {}
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        values[field.attname] = _plain(field.value_from_object(instance))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = before.keys() | after.keys()
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(keys)
        if before.get(key) != after.get(key) and key not in {"updated_at"}
    }


def log_change(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> ChangeLogEntry | None:
    """Record one write. An update that changed nothing records nothing."""
    before = before or {}
    after = after if after is not None else snapshot(instance)
    changes = diff(before, after)
    if action == ChangeAction.UPDATE and not changes:
        return None
    return ChangeLogEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        changes=changes,
        note=note[:300],
    )


def update_logged(
    instance: models.Model,
    *,
    actor,
    action: str = ChangeAction.UPDATE,
    note: str = "",
    logged: Iterable[str] | None = None,
    **changes: Any,
) -> ChangeLogEntry | None:
    """Set `changes` on `instance`, save only those fields (and `updated_at` when the model has it) and log the
    change. `logged` names the fields the log entry compares (default: the changed ones)."""
    fields = list(logged) if logged is not None else list(changes)
    before = snapshot(instance, fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    has_updated_at = any(f.name == "updated_at" for f in instance._meta.concrete_fields)
    instance.save(update_fields=[*changes, *(["updated_at"] if has_updated_at else [])])
    return log_change(
        actor=actor, instance=instance, action=action, before=before, after=snapshot(instance, fields), note=note
    )


def history_for(instance: models.Model):
    """Change log entries of one record, newest first."""
    return ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("actor")
