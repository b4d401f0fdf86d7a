"""The structured hearing answers (f) inside the visit form: the include point for the hearing manual.

The manual helpers live in `kakehashi/outreach/manuals.py` (versioning is theirs):
`manual_version_for(programme, date)`, `hearing_form_fields(version, visit, data)`,
`validate_answers(version, data) -> (answers, errors)` and `answers_save(*, actor, visit, version, answers)`.
This module is the only place the visit screens call them. Without that module the form simply has no
hearing questions, and the detail page lists stored answers by question key.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


def _manuals():
    try:
        from . import manuals
    except ImportError:
        return None
    needed = ("manual_version_for", "hearing_form_fields", "validate_answers", "answers_save")
    return manuals if all(hasattr(manuals, name) for name in needed) else None


@dataclass
class HearingBlock:
    """The hearing questions of one form: the manual version, its fields, the answers posted and their errors."""

    available: bool = False
    version: Any = None
    fields: Any = None
    answers: dict | None = None
    errors: dict = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)

    def answers_for_save(self):
        """`(version, answers)` for the services, or None when there is nothing to save."""
        if not self.available or self.version is None or self.answers is None:
            return None
        return self.version, self.answers

    def invalid_labels(self) -> list[str]:
        """Questions whose given value was not valid (shown by the autosave status as not saved)."""
        return list(self.pending)

    def add_to_form_errors(self, form) -> None:
        for messages in self.errors.values():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                form.add_error(None, message)


def _visit_date(visit, form) -> datetime.date:
    if form is not None and form.is_bound and hasattr(form, "cleaned_data") and form.cleaned_data.get("visit_date"):
        return form.cleaned_data["visit_date"]
    if visit is not None and visit.visit_date:
        return visit.visit_date
    return timezone.localdate()


def for_form(*, programme, visit, data=None, form=None) -> HearingBlock:
    manuals = _manuals()
    if manuals is None or programme is None:
        return HearingBlock()
    if visit is not None and visit.pk and visit.manual_version_id and visit.answers.exists():
        # Answers already given stay with their version, even if the visit date moves across a new one.
        version = visit.manual_version
    else:
        version = manuals.manual_version_for(programme, _visit_date(visit, form))
    if version is None:
        return HearingBlock(available=True)
    block = HearingBlock(available=True, version=version, fields=manuals.hearing_form_fields(version, visit, data))
    if data is not None:
        answers, errors = manuals.validate_answers(version, data)
        block.answers, block.errors = answers, dict(errors or {})
        # Values that were given but are not valid (a required question left empty is not "pending" in a draft).
        prefix = getattr(manuals, "FORM_PREFIX", "hearing")
        block.pending = [
            str(block.fields.fields[key].label) if key in block.fields.fields else key
            for key in block.errors
            if any(v not in ("", None) for v in data.getlist(f"{prefix}-{key}"))
        ]
    return block


@dataclass
class StoredAnswer:
    key: str
    label: str
    text: str


def for_detail(visit) -> list[StoredAnswer]:
    """The visit's stored answers, labelled by the version they were given in (keys when no label is known)."""
    manuals = _manuals()
    if manuals is not None and hasattr(manuals, "answers_for"):
        return [
            StoredAnswer(key=row.question.get("key", ""), label=row.question.get("label", ""), text=row.display)
            for row in manuals.answers_for(visit)
        ]
    rows = []
    labels: dict[str, str] = {}
    if visit.manual_version_id:
        for section in (visit.manual_version.definition or {}).get("sections", []):
            for question in section.get("questions", []):
                labels[question.get("key", "")] = question.get("label", "")
    for answer in visit.answers.all():
        text = answer.text or (", ".join(map(str, answer.value)) if isinstance(answer.value, list) else answer.value)
        rows.append(
            StoredAnswer(key=answer.question_key, label=labels.get(answer.question_key, ""), text=str(text or ""))
        )
    return rows
