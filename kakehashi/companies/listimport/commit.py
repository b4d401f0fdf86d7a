"""Commit: apply a previewed batch to the registry in ONE transaction — all rows or none.

New rows become companies (`company_create`, source "designated" or "list_import"); matched rows only
fill blank attributes of their company (`company_update`, never overwriting a value, never writing a
blank); duplicate rows follow their first row; with `mark_designated` every imported company is
designated for the batch's programme (`designation_add`). Importing the same file again changes
nothing: every row matches, nothing is blank any more, every designation exists.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.reference.choices import CodeList
from kakehashi.reference.models import CodeItem, Industry, Municipality

from ..choices import CompanySource, ImportStatus
from ..models import Company, Contact, ImportBatch, ImportRow
from ..services import company_create, company_update, contact_create
from .choices import ImportRowApplied, ImportRowDecision, ImportRowOutcome
from .preview import preview_summary, surviving


class CommitBlocked(ValidationError):
    """Ambiguous rows are still waiting for a choice."""


# Company attribute ← value key of an ImportRow, for the plain (non-coded) fields.
PLAIN_FIELDS = {"name_kana": "name_kana", "postal_code": "postal_code", "address": "address", "website": "website"}
CODED_FIELDS = {
    "municipality": "municipality",
    "industry": "industry",
    "business_form": "business_form",
    "employees_band": "employees",
    "revenue_band": "revenue",
}


class _Resolver:
    """Turns stored codes back into reference rows (cached)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], Any] = {}

    def get(self, attribute: str, code: str):
        key = (attribute, code)
        if key not in self.cache:
            if attribute == "municipality":
                value = Municipality.objects.filter(code=code).first()
            elif attribute == "industry":
                value = Industry.objects.filter(code=code).first()
            else:
                code_list = {
                    "business_form": CodeList.BUSINESS_FORM,
                    "employees_band": CodeList.EMPLOYEES,
                    "revenue_band": CodeList.REVENUE,
                }[attribute]
                value = CodeItem.objects.filter(list=code_list, code=code).first()
            self.cache[key] = value
        return self.cache[key]

    def attributes(self, values: dict[str, Any]) -> dict[str, Any]:
        """Company attributes the row has values for (blank values are left out)."""
        result: dict[str, Any] = {}
        for attribute, key in PLAIN_FIELDS.items():
            if values.get(key):
                result[attribute] = values[key]
        for attribute, key in CODED_FIELDS.items():
            if values.get(key):
                obj = self.get(attribute, values[key])
                if obj is not None:
                    result[attribute] = obj
        if values.get("corporate_number"):
            result["corporate_number"] = values["corporate_number"]
        return result


def unresolved_rows(batch: ImportBatch):
    return batch.rows.filter(outcome=ImportRowOutcome.AMBIGUOUS, decision=ImportRowDecision.NONE)


def _best_candidate(row: ImportRow) -> Company | None:
    if not row.candidates:
        return None
    best = max(row.candidates, key=lambda c: c.get("score", 0))
    return Company.objects.filter(pk=best["id"]).first()


def _designation_note(values: dict[str, Any]) -> str:
    parts = []
    if values.get("designated_on"):
        parts.append(_("指定日 %(date)s") % {"date": values.get("designated_on_label") or values["designated_on"]})
    if values.get("note"):
        parts.append(values["note"])
    return "／".join(parts)[:300]


COMMIT_PHASE = "commit"


def _committable(batch: ImportBatch) -> bool:
    """Previewed, or handed to the background task by `import_batch_commit_start`."""
    return batch.status == ImportStatus.PREVIEWED or (
        batch.status == ImportStatus.RUNNING and batch.options.get("phase") == COMMIT_PHASE
    )


def _check_committable(batch: ImportBatch, *, accept_best: bool, skip_ambiguous: bool) -> None:
    if not _committable(batch):
        raise ValidationError(
            _("確認待ちの取込だけを確定できます（現在: %(status)s）。") % {"status": batch.get_status_display()}
        )
    waiting = unresolved_rows(batch).count()
    if waiting and not (accept_best or skip_ambiguous):
        raise CommitBlocked(
            _("候補を選んでいない行が %(count)s 行あります。すべて選ぶか「取り込まない」にしてから確定してください。")
            % {"count": waiting}
        )


def import_batch_commit_start(*, actor, batch: ImportBatch) -> ImportBatch:
    """Check the batch can be committed and hand it to the background task (large lists take a while).

    The batch shows 取込中 until the task has committed it (DONE) or failed (back to 確認待ち with the error).
    """
    from .tasks import import_commit_task

    _check_committable(batch, accept_best=False, skip_ambiguous=False)
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.RUNNING,
        options={**batch.options, "phase": COMMIT_PHASE},
        error="",
        updated_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(_("この取込はすでに処理されています。"))
    import_commit_task.enqueue(batch.pk, getattr(actor, "pk", None))
    batch.refresh_from_db()
    return batch


def import_batch_commit(
    *, actor, batch: ImportBatch, accept_best: bool = False, skip_ambiguous: bool = False
) -> ImportBatch:
    """Apply the batch in ONE transaction. Ambiguous rows must be resolved first, or `accept_best` /
    `skip_ambiguous` given. On any error nothing is kept and the batch is 確認待ち again, with the error."""
    _check_committable(batch, accept_best=accept_best, skip_ambiguous=skip_ambiguous)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if not _committable(locked):
                raise ValidationError(_("この取込はすでに処理されています。"))
            counts = _apply(actor=actor, batch=locked, accept_best=accept_best)
            locked.summary = {**preview_summary(locked), **counts}
            locked.status = ImportStatus.DONE
            locked.finished_at = timezone.now()
            locked.error = ""
            locked.options = {k: v for k, v in locked.options.items() if k != "phase"}
            locked.save(update_fields=["summary", "status", "finished_at", "error", "options", "updated_at"])
    except Exception as error:
        # Nothing of the commit was kept; say so on the batch (outside the rolled-back transaction).
        message = _("確定できませんでした（何も変更していません）: %(error)s") % {
            "error": "; ".join(error.messages) if isinstance(error, ValidationError) else error
        }
        ImportBatch.objects.filter(pk=batch.pk, status__in=[ImportStatus.PREVIEWED, ImportStatus.RUNNING]).update(
            status=ImportStatus.PREVIEWED, error=message
        )
        raise
    batch.refresh_from_db()
    return batch


def _apply(*, actor, batch: ImportBatch, accept_best: bool) -> dict[str, int]:
    source = CompanySource.DESIGNATED if batch.mark_designated else CompanySource.LIST_IMPORT
    designation_source = (batch.options.get("source_name") or batch.original_filename)[:200]
    note = _("取込 #%(id)s（%(file)s）") % {"id": batch.pk, "file": batch.original_filename}
    resolver = _Resolver()
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "designated": 0, "contacts": 0}
    company_of_row: dict[int, Company | None] = {}
    rows = list(batch.rows.select_related("company").order_by("row_number"))
    for row in rows:
        company, applied = _company_for(row, company_of_row, accept_best=accept_best)
        if applied == ImportRowApplied.SKIPPED:
            row.applied = applied
            counts["skipped"] += 1
            company_of_row[row.pk] = None
            continue
        attributes = resolver.attributes(row.values)
        company = surviving(company)  # merged since the preview: the record that remains
        if company is None:
            company = _existing_by_number(attributes.get("corporate_number"))
        if company is None:
            company = company_create(actor=actor, name=row.values["name"], source=source, **attributes)
            applied = ImportRowApplied.CREATED
        else:
            applied = _fill_blanks(actor=actor, company=company, attributes=attributes, source=source, note=note)
        counts[applied] += 1
        row.company, row.applied = company, applied
        company_of_row[row.pk] = company
        if batch.mark_designated and batch.programme_id:
            from kakehashi.outreach.services import designation_add

            _designation, created = designation_add(
                actor=actor,
                programme=batch.programme,
                company=company,
                source=designation_source,
                note=_designation_note(row.values),
            )
            counts["designated"] += int(created)
        if row.values.get("representative"):
            counts["contacts"] += _representative(actor=actor, company=company, values=row.values)
    ImportRow.objects.bulk_update(rows, ["company", "applied"], batch_size=500)
    return counts


def _company_for(row: ImportRow, company_of_row: dict, *, accept_best: bool) -> tuple[Company | None, str]:
    """The company a row goes to (None: create one), or SKIPPED."""
    if row.outcome == ImportRowOutcome.REJECTED:
        return None, ImportRowApplied.SKIPPED
    if row.duplicate_of_id:
        if row.duplicate_of_id not in company_of_row or company_of_row[row.duplicate_of_id] is None:
            return None, ImportRowApplied.SKIPPED
        return company_of_row[row.duplicate_of_id], ImportRowApplied.NONE
    if row.outcome == ImportRowOutcome.MATCHED:
        return row.company, ImportRowApplied.NONE
    if row.outcome == ImportRowOutcome.AMBIGUOUS:
        if row.decision == ImportRowDecision.COMPANY:
            return row.company, ImportRowApplied.NONE
        if row.decision == ImportRowDecision.NEW:
            return None, ImportRowApplied.NONE
        if row.decision == ImportRowDecision.NONE and accept_best:
            best = _best_candidate(row)
            if best is not None:
                row.decision = ImportRowDecision.COMPANY
                return best, ImportRowApplied.NONE
        return None, ImportRowApplied.SKIPPED
    return None, ImportRowApplied.NONE  # new


def _existing_by_number(number: str | None) -> Company | None:
    """A company created since the preview (another import) with the row's number: use it, don't clash."""
    if not number:
        return None
    return surviving(Company.objects.filter(corporate_number=number).first())


def _is_blank(value: Any) -> bool:
    return value is None or value == ""


def _fill_blanks(*, actor, company: Company, attributes: dict[str, Any], source: str, note: str) -> str:
    changes = {}
    for attribute, value in attributes.items():
        current = getattr(company, attribute)
        if _is_blank(current) and not _is_blank(value):
            if attribute == "corporate_number" and Company.objects.filter(corporate_number=value).exists():
                continue
            changes[attribute] = value
    if not changes and source in company.sources:
        return ImportRowApplied.UNCHANGED
    company_update(actor=actor, company=company, source=source, note=note, **changes)
    return ImportRowApplied.UPDATED if changes else ImportRowApplied.UNCHANGED


def _representative(*, actor, company: Company, values: dict[str, Any]) -> int:
    """The list's 代表者 becomes a contact of the company, once."""
    name = values["representative"]
    if Contact.objects.filter(company=company, name=name).exists():
        return 0
    contact_create(actor=actor, company=company, name=name, title=_("代表者"), phone=values.get("phone", ""))
    return 1


def batch_result_rows(batch: ImportBatch) -> list[dict[str, Any]]:
    """The rows as the command's JSON report lists them."""
    result = []
    for row in batch.rows.select_related("company").order_by("row_number"):
        company = row.company
        result.append(
            {
                "row": row.row_number,
                "outcome": row.outcome,
                "company": (
                    {"id": company.pk, "corporate_number": company.corporate_number, "name": company.name}
                    if company is not None
                    else None
                ),
                "reason": row_reason(row),
            }
        )
    return result


def row_reason(row: ImportRow) -> str:
    if row.outcome == ImportRowOutcome.REJECTED:
        return "；".join(f"{e.get('label', e.get('field'))}: {e['reason']}" for e in row.errors)
    if row.outcome == ImportRowOutcome.AMBIGUOUS and not row.company_id:
        names = "、".join(f"{c['name']}（{c['score']:g}）" for c in row.candidates)
        if row.decision == ImportRowDecision.SKIP:
            return _("取り込まない（候補: %(names)s）") % {"names": names}
        return _("候補が複数あります: %(names)s") % {"names": names}
    if row.outcome == ImportRowOutcome.NEW and not row.reasons:
        return _("登録済みの企業に該当なし")
    return "；".join(str(r) for r in row.reasons) or ""
