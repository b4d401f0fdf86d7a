"""Preview: read the file, clean every row, classify it against the registry and store `ImportRow`s.

Outcomes: matched (to one registry company, with the reasons), new, ambiguous (several plausible
candidates: the user chooses one or 新規登録) and rejected (row number, field, reason). Blank rows are
skipped and counted; a row that repeats an earlier row of the same file (same corporate number, or
same normalised name and municipality) points at that first row and follows it at commit.

Thresholds (scores from `kakehashi.companies.matching.company_match`, 0–100): the same corporate
number is always a match; otherwise exactly one candidate at ≥ 95 is a match, any candidate at ≥ 80
(or several at ≥ 95) makes the row ambiguous, and below 80 the row is new.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ImportKind, ImportStatus
from ..matching import company_match
from ..models import Company, ImportBatch, ImportRow
from .choices import ImportRowApplied, ImportRowDecision, ImportRowOutcome
from .cleaning import CleanRow, ReferenceIndex, clean_row, is_blank_cell
from .mapping import ColumnPlan, column_mapping_for, column_mapping_save, plan_columns
from .reader import HEADER_SEARCH_ROWS, ImportFileError, Table, check_size, read_table

MATCH_SCORE = 95
PLAUSIBLE_SCORE = 80
MAX_CANDIDATES = 5
CHUNK = 500


@dataclass
class Classification:
    outcome: str
    company: Company | None = None
    reasons: list[str] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)


# --- Creating a batch --------------------------------------------------------------------------


def import_batch_create(
    *,
    actor,
    filename: str,
    file: IO[bytes] | None = None,
    programme=None,
    mark_designated: bool = False,
    source_name: str = "",
    sheet: str = "",
    overrides: dict[str, str] | None = None,
) -> ImportBatch:
    """A new batch for one uploaded list. The file (if given) is stored with the batch."""
    if mark_designated and programme is None:
        raise ValidationError({"programme": _("指定訪問先として登録するには事業を選んでください。")})
    if file is not None:
        size = getattr(file, "size", None)
        if size is not None:
            check_size(size)
    batch = ImportBatch(
        kind=ImportKind.DESIGNATED if mark_designated else ImportKind.COMPANY_LIST,
        original_filename=Path(filename).name[:255],
        programme=programme,
        mark_designated=mark_designated,
        created_by=actor if getattr(actor, "pk", None) else None,
        options={"source_name": source_name.strip()[:100], "sheet": sheet, "overrides": overrides or {}},
    )
    if file is not None:
        from django.core.files import File

        batch.file.save(Path(filename).name, file if hasattr(file, "chunks") else File(file), save=False)
    batch.full_clean()
    batch.save()
    return batch


def _open_table(batch: ImportBatch, path: str | Path | None = None, max_rows: int | None = None) -> Table:
    sheet = batch.options.get("sheet", "")
    if path is not None:
        return read_table(path, filename=batch.original_filename, sheet=sheet, max_rows=max_rows)
    if not batch.file:
        raise ImportFileError(_("取り込むファイルがありません。"))
    with batch.file.open("rb") as handle:
        return read_table(handle, filename=batch.original_filename, sheet=sheet, max_rows=max_rows)


def source_name_of(batch: ImportBatch, plan: ColumnPlan | None = None) -> str:
    return batch.options.get("source_name") or (plan.signature if plan else batch.options.get("signature", ""))


def import_batch_inspect(
    batch: ImportBatch, *, path: str | Path | None = None, max_rows: int | None = None
) -> tuple[Table, ColumnPlan]:
    """Read the file and decide the columns (remembered mapping of the source, then overrides).

    With `max_rows` only the top of the file is read: enough for the header row and a few samples.
    """
    table = _open_table(batch, path, max_rows=max_rows)
    plan = plan_columns(table, saved=None, overrides=None)
    saved_mapping = column_mapping_for(batch.options.get("source_name") or plan.signature)
    plan = plan_columns(
        table, saved=saved_mapping.mapping if saved_mapping else None, overrides=batch.options.get("overrides") or None
    )
    batch.encoding = table.encoding or table.file_kind
    batch.mapping = {str(c.index): c.field for c in plan.columns if c.field}
    batch.options = {
        **batch.options,
        "plan": plan.as_json(),
        "signature": plan.signature,
        "sheet_names": table.sheet_names,
        "sheet": table.sheet,
        "file_kind": table.file_kind,
    }
    batch.save(update_fields=["encoding", "mapping", "options", "updated_at"])
    return table, plan


def import_batch_read_headers(*, batch: ImportBatch) -> ColumnPlan:
    """Read only the top of the uploaded file to find its columns; an unreadable file fails the batch."""
    try:
        _table, plan = import_batch_inspect(batch, max_rows=HEADER_SEARCH_ROWS)
    except ImportFileError as error:
        batch.status = ImportStatus.FAILED
        batch.error = str(error)
        batch.save(update_fields=["status", "error", "updated_at"])
        raise
    return plan


def import_preview_start(*, batch: ImportBatch) -> ImportBatch:
    """Classify the rows in the background (inline with the immediate backend); progress is on the batch."""
    from .tasks import import_preview_task

    batch.status = ImportStatus.RUNNING
    batch.progress_done = 0
    batch.error = ""
    batch.save(update_fields=["status", "progress_done", "error", "updated_at"])
    import_preview_task.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch


def import_batch_remap(
    *, actor, batch: ImportBatch, plan: ColumnPlan, mapping: dict[str, str], overrides: dict[str, str]
) -> str:
    """Remember the user's column mapping for the batch's source and classify again. Returns the source name."""
    source_name = source_name_of(batch, plan)
    if mapping:
        column_mapping_save(actor=actor, source_name=source_name, mapping=mapping, header_signature=plan.signature)
    batch.options = {**batch.options, "source_name": source_name, "overrides": overrides}
    batch.save(update_fields=["options", "updated_at"])
    import_preview_start(batch=batch)
    return source_name


# --- Classifying -------------------------------------------------------------------------------


def _candidate_json(candidate) -> dict:
    company = candidate.company
    return {
        "id": company.pk,
        "name": company.name,
        "corporate_number": company.corporate_number or "",
        "municipality": str(company.municipality) if company.municipality_id else "",
        "address": company.address,
        "score": round(float(candidate.score or 0), 1),
        "reasons": [str(reason) for reason in (candidate.reasons or [])],
    }


FINGERPRINT_FIELDS = ("name", "corporate_number", "name_kana", "postal_code", "address", "municipality")


def row_fingerprint(row: CleanRow) -> str:
    """The same company row in a later file gets the same fingerprint (formatting differences aside)."""
    identity = {key: row.values.get(key, "") for key in FINGERPRINT_FIELDS}
    identity["name"] = row.name_key
    return hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def surviving(company: Company | None) -> Company | None:
    """The record that remains when `company` was merged into another (itself otherwise)."""
    while company is not None and company.merged_into_id:
        company = company.merged_into
    return company


_APPLIED = [ImportRowApplied.CREATED, ImportRowApplied.UPDATED, ImportRowApplied.UNCHANGED]


@dataclass
class Known:
    """What the registry already says about a chunk of rows, read in two queries instead of two per row."""

    by_number: dict[str, Company] = field(default_factory=dict)
    previous: dict[str, ImportRow] = field(default_factory=dict)

    @classmethod
    def load(cls, rows: list[CleanRow], fingerprints: list[str]) -> "Known":
        numbers = {row.values["corporate_number"] for row in rows if row.values.get("corporate_number")}
        by_number = {
            company.corporate_number: company
            for company in Company.objects.filter(corporate_number__in=numbers).select_related("merged_into")
        }
        previous: dict[str, ImportRow] = {}
        wanted = [f for f in fingerprints if f]
        if wanted:
            # The last committed row with the same content: importing it again goes to the same company.
            found = (
                ImportRow.objects.filter(
                    fingerprint__in=wanted,
                    batch__status=ImportStatus.DONE,
                    company__isnull=False,
                    applied__in=_APPLIED,
                )
                .select_related("company__merged_into")
                .order_by("batch__finished_at", "pk")
            )
            previous = {row.fingerprint: row for row in found}  # later rows overwrite earlier ones
        return cls(by_number=by_number, previous=previous)


def classify(
    row: CleanRow, municipality, match: Callable[..., list], *, fingerprint: str = "", known: Known | None = None
) -> Classification:
    """Match one clean row against the registry."""
    known = known if known is not None else Known.load([row], [fingerprint])
    number = row.values.get("corporate_number")
    if number and (company := surviving(known.by_number.get(number))) is not None:
        return Classification(ImportRowOutcome.MATCHED, company, [_("法人番号が一致")])
    previous = known.previous.get(fingerprint) if fingerprint else None
    if previous is not None and (company := surviving(previous.company)) is not None:
        reason = _("以前の取込（#%(batch)s の %(row)s 行目）で同じ内容の行をこの企業に取り込み済み") % {
            "batch": previous.batch_id,
            "row": previous.row_number,
        }
        return Classification(ImportRowOutcome.MATCHED, company, [reason])
    candidates = match(
        row.values["name"],
        municipality=municipality,
        postal_code=row.values.get("postal_code") or None,
        corporate_number=number,
        kana=row.values.get("name_kana") or None,
    )
    plausible = []
    for candidate in candidates:
        company = candidate.company
        if getattr(company, "merged_into_id", None):
            continue
        if number and company.corporate_number and company.corporate_number != number:
            continue  # a different corporate number is a different legal person
        if (candidate.score or 0) >= PLAUSIBLE_SCORE:
            plausible.append(candidate)
    plausible.sort(key=lambda c: -(c.score or 0))
    sure = [c for c in plausible if c.score >= MATCH_SCORE]
    if len(sure) == 1:
        best = sure[0]
        return Classification(ImportRowOutcome.MATCHED, best.company, [str(r) for r in best.reasons])
    if plausible:
        return Classification(
            ImportRowOutcome.AMBIGUOUS, candidates=[_candidate_json(c) for c in plausible[:MAX_CANDIDATES]]
        )
    return Classification(ImportRowOutcome.NEW)


class DuplicateIndex:
    """Remembers the first row of each company in the file: by corporate number, by name key and place."""

    def __init__(self) -> None:
        self.by_number: dict[str, int] = {}
        self.by_name: dict[tuple[str, str | None], int] = {}
        self.number_of: dict[int, str | None] = {}

    def first_of(self, row: CleanRow) -> int | None:
        number = row.values.get("corporate_number")
        if number and number in self.by_number:
            return self.by_number[number]
        first = self.by_name.get((row.name_key, row.values.get("municipality")))
        if first is None:
            return None
        other = self.number_of.get(first)
        if number and other and other != number:
            return None  # same name, different corporate numbers: two legal persons
        return first

    def add(self, row: CleanRow) -> None:
        number = row.values.get("corporate_number")
        if number:
            self.by_number.setdefault(number, row.row_number)
        self.by_name.setdefault((row.name_key, row.values.get("municipality")), row.row_number)
        self.number_of[row.row_number] = number


def import_preview_run(*, batch: ImportBatch, path: str | Path | None = None) -> ImportBatch:
    """Classify every row of the batch's file and store the rows. Safe to run again (rows are replaced)."""
    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now()
    batch.error = ""
    batch.progress_done = 0
    batch.save(update_fields=["status", "started_at", "error", "progress_done", "updated_at"])
    try:
        table, plan = import_batch_inspect(batch, path=path)
        if plan.missing_required:
            raise ImportFileError(_("名称の列が見つかりません。列の対応を指定してください。"))
        _classify_table(batch, table, plan)
    except Exception as error:
        # Whatever went wrong, the batch must not look "running" forever; the reason is shown on its page.
        batch.status = ImportStatus.FAILED
        batch.error = str(error) if isinstance(error, ImportFileError) else _("確認中にエラーが起きました: %s") % error
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error", "finished_at", "updated_at"])
        raise
    return batch


def _classify_table(batch: ImportBatch, table: Table, plan: ColumnPlan) -> None:
    data_rows = [(number, cells) for number, cells in table.rows if number > plan.header_row]
    batch.progress_total = len(data_rows)
    batch.save(update_fields=["progress_total", "updated_at"])
    index = ReferenceIndex(prefecture_id=batch.programme.prefecture_id if batch.programme_id else None)
    match = company_match
    duplicates = DuplicateIndex()
    duplicate_links: dict[int, int] = {}
    batch.rows.all().delete()
    blank = 0
    for start in range(0, len(data_rows), CHUNK):
        chunk = []
        for number, cells in data_rows[start : start + CHUNK]:
            if all(is_blank_cell(cell) for cell in cells):
                blank += 1
            else:
                clean = clean_row(number, cells, plan, index)
                chunk.append((clean, "" if clean.errors else row_fingerprint(clean)))
        known = Known.load([clean for clean, _f in chunk if not clean.errors], [f for _c, f in chunk])
        pending = [
            _classified_row(batch, clean, fingerprint, index, match, duplicates, duplicate_links, known)
            for clean, fingerprint in chunk
        ]
        ImportRow.objects.bulk_create(pending)
        batch.progress_done = min(start + CHUNK, len(data_rows))
        batch.save(update_fields=["progress_done", "updated_at"])
    if duplicate_links:
        ids = dict(batch.rows.values_list("row_number", "pk"))
        rows = list(batch.rows.filter(row_number__in=duplicate_links))
        for row in rows:
            row.duplicate_of_id = ids[duplicate_links[row.row_number]]
        ImportRow.objects.bulk_update(rows, ["duplicate_of"])
    batch.summary = preview_summary(batch, blank=blank)
    batch.status = ImportStatus.PREVIEWED
    batch.finished_at = timezone.now()
    batch.progress_done = len(data_rows)
    batch.save(update_fields=["summary", "status", "finished_at", "progress_done", "updated_at"])


def _classified_row(
    batch, clean: CleanRow, fingerprint: str, index, match, duplicates: DuplicateIndex, links: dict, known: Known
) -> ImportRow:
    row = ImportRow(
        batch=batch,
        row_number=clean.row_number,
        raw=clean.raw,
        values=clean.values,
        warnings=clean.warnings,
        errors=clean.errors,
    )
    if clean.errors:
        row.outcome = ImportRowOutcome.REJECTED
        return row
    row.fingerprint = fingerprint
    first = duplicates.first_of(clean)
    if first is not None:
        row.outcome = ImportRowOutcome.MATCHED
        row.reasons = [_("%(row)s 行目と同じ企業（ファイル内の重複）") % {"row": first}]
        links[clean.row_number] = first
        return row
    duplicates.add(clean)
    municipality = index.municipality_by_code.get(clean.values.get("municipality", ""))
    result = classify(clean, municipality, match, fingerprint=fingerprint, known=known)
    row.outcome = result.outcome
    row.company = result.company
    row.reasons = [*result.reasons, *[str(note) for note in clean.notes]]
    row.candidates = result.candidates
    return row


def preview_summary(batch: ImportBatch, *, blank: int | None = None) -> dict[str, Any]:
    rows = batch.rows.all()
    counts = dict.fromkeys(ImportRowOutcome.values, 0)
    for outcome in rows.values_list("outcome", flat=True):
        counts[outcome] += 1
    summary = {
        "rows": sum(counts.values()),
        **counts,
        "duplicates": rows.filter(duplicate_of__isnull=False).count(),
        "blank": blank if blank is not None else batch.summary.get("blank", 0),
        "unresolved": rows.filter(outcome=ImportRowOutcome.AMBIGUOUS, decision=ImportRowDecision.NONE).count(),
    }
    return {**{k: v for k, v in batch.summary.items() if k not in summary}, **summary}


# --- Resolving ambiguous rows ------------------------------------------------------------------


@transaction.atomic
def import_row_resolve(*, actor, row: ImportRow, decision: str, company_id: int | None = None) -> ImportRow:
    """The user's choice for an ambiguous row: one of its candidates, 新規登録, or 取り込まない."""
    if row.batch.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("この取込はもう確定できません。"))
    if row.outcome != ImportRowOutcome.AMBIGUOUS:
        raise ValidationError(_("候補の選択が必要な行ではありません。"))
    if decision == ImportRowDecision.COMPANY:
        allowed = {candidate["id"] for candidate in row.candidates}
        if company_id not in allowed:
            raise ValidationError(_("候補にない企業は選べません。"))
        row.company = Company.objects.get(pk=company_id)
    elif decision in (ImportRowDecision.NEW, ImportRowDecision.SKIP, ImportRowDecision.NONE):
        row.company = None
    else:
        raise ValidationError(_("選択が正しくありません。"))
    row.decision = decision
    row.full_clean(exclude=["batch", "duplicate_of"])
    row.save(update_fields=["company", "decision"])
    batch = row.batch
    batch.summary = preview_summary(batch)
    batch.save(update_fields=["summary", "updated_at"])
    return row
