"""Which column holds which field: recognised headers, the user's remembered mapping, overrides."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from kakehashi.core.changelog import log_change, snapshot
from kakehashi.core.choices import ChangeAction

from ..models import ColumnMapping
from .headers import FIELDS, IGNORE, REQUIRED_FIELDS, header_signature, normalise_header
from .headers import recognise as recognise_header
from .reader import HEADER_SEARCH_ROWS, ImportFileError, Table


class MappingError(ValueError):
    """An override names a column or field that does not exist."""


@dataclass
class Column:
    index: int
    header: str
    key: str  # normalised header: what a remembered mapping is keyed by
    field: str | None = None
    unit: str = ""
    how: str = "none"  # "auto" (recognised), "saved" (remembered mapping), "override", "none"


@dataclass
class ColumnPlan:
    """The header row and what each column is."""

    header_row: int
    columns: list[Column]
    signature: str = ""
    duplicate_fields: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def index_of(self) -> dict[str, int]:
        """field → column index (the first column of a field wins)."""
        result: dict[str, int] = {}
        for column in self.columns:
            if column.field and column.field != IGNORE and column.field not in result:
                result[column.field] = column.index
        return result

    def unit_of(self, field_key: str) -> str:
        for column in self.columns:
            if column.field == field_key:
                return column.unit
        return ""

    @property
    def missing_required(self) -> list[str]:
        present = self.index_of()
        return [key for key in REQUIRED_FIELDS if key not in present]

    @property
    def unknown_columns(self) -> list[Column]:
        return [column for column in self.columns if column.field is None and column.header]

    def as_json(self) -> dict:
        return {
            "header_row": self.header_row,
            "signature": self.signature,
            "columns": [
                {"index": c.index, "header": c.header, "key": c.key, "field": c.field, "unit": c.unit, "how": c.how}
                for c in self.columns
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "ColumnPlan":
        columns = [Column(**column) for column in data.get("columns", [])]
        return cls(header_row=data.get("header_row", 1), columns=columns, signature=data.get("signature", ""))


def _is_blank(cells: list) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def find_header_row(table: Table, saved: dict[str, str] | None = None) -> int:
    """The row among the first few that names the most known fields (a title row may sit above it)."""
    saved = saved or {}
    best_row, best_score = None, 0
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        if _is_blank(cells):
            continue
        if best_row is None:
            best_row = number
        score = sum(
            1
            for cell in cells
            if cell is not None and (recognise_header(cell).field or normalise_header(cell) in saved)
        )
        if score > best_score:
            best_row, best_score = number, score
    if best_row is None:
        raise ImportFileError(_("見出し行が見つかりません。1 行目に列の見出しを入れてください。"))
    return best_row


def plan_columns(
    table: Table, *, saved: dict[str, str] | None = None, overrides: dict[str, str] | None = None
) -> ColumnPlan:
    """Decide what each column is: override > remembered mapping > recognised header."""
    saved = saved or {}
    header_row = find_header_row(table, saved)
    cells = next(cells for number, cells in table.rows if number == header_row)
    headers = [str(cell).strip() if cell is not None else "" for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    columns = []
    for index, header in enumerate(headers):
        key = normalise_header(header)
        recognised = recognise_header(header)
        column = Column(index=index, header=header, key=key, unit=recognised.unit)
        if key and key in saved:
            column.field, column.how = saved[key], "saved"
        elif recognised.field:
            column.field, column.how = recognised.field, "auto"
        columns.append(column)
    plan = ColumnPlan(header_row=header_row, columns=columns, signature=header_signature(headers))
    if overrides:
        apply_overrides(plan, overrides)
    seen: set[str] = set()
    for column in plan.columns:
        if column.field and column.field != IGNORE:
            if column.field in seen:
                plan.duplicate_fields.append(column.field)
            seen.add(column.field)
    return plan


def _column_for(plan: ColumnPlan, name: str) -> Column:
    wanted = normalise_header(name)
    for column in plan.columns:
        if column.key == wanted or column.header == name:
            return column
    if name.isdigit() and 1 <= int(name) <= len(plan.columns):
        return plan.columns[int(name) - 1]
    raise MappingError(
        _("列「%(name)s」がありません。ある列: %(headers)s") % {"name": name, "headers": "、".join(plan.headers)}
    )


def apply_overrides(plan: ColumnPlan, overrides: dict[str, str]) -> None:
    """`{"列見出し" or "3": "field"}`; field may be "ignore". Unknown names raise MappingError."""
    for name, field_key in overrides.items():
        if field_key not in FIELDS and field_key != IGNORE:
            raise MappingError(
                _("項目「%(field)s」はありません。使える項目: %(fields)s")
                % {"field": field_key, "fields": ", ".join([*FIELDS, IGNORE])}
            )
        column = _column_for(plan, name)
        column.field, column.how = field_key, "override"


def parse_map_options(values: list[str]) -> dict[str, str]:
    """`["会社名称=name", "3=ignore"]` → dict; raises MappingError on a malformed item."""
    result = {}
    for item in values or []:
        column, sep, field_key = item.rpartition("=")
        if not sep or not column.strip() or not field_key.strip():
            raise MappingError(_("--map は 列=項目 の形で指定してください: %(item)s") % {"item": item})
        result[column.strip()] = field_key.strip()
    return result


def column_mapping_for(source_name: str) -> ColumnMapping | None:
    if not source_name:
        return None
    return ColumnMapping.objects.filter(source_name=source_name).first()


@transaction.atomic
def column_mapping_save(
    *, actor, source_name: str, mapping: dict[str, str], header_signature: str = ""
) -> ColumnMapping:
    """Remember (or extend) how one source's columns map to fields. Keys are normalised headers."""
    for field_key in mapping.values():
        if field_key not in FIELDS and field_key != IGNORE:
            raise MappingError(_("項目「%(field)s」はありません。") % {"field": field_key})
    existing = ColumnMapping.objects.select_for_update().filter(source_name=source_name).first()
    if existing is None:
        column_mapping = ColumnMapping(
            source_name=source_name,
            header_signature=header_signature,
            mapping=dict(mapping),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        column_mapping.full_clean()
        column_mapping.save()
        log_change(actor=actor, instance=column_mapping, action=ChangeAction.CREATE)
        return column_mapping
    before = snapshot(existing)
    existing.mapping = {**existing.mapping, **mapping}
    existing.header_signature = header_signature or existing.header_signature
    existing.full_clean()
    existing.save()
    log_change(actor=actor, instance=existing, action=ChangeAction.UPDATE, before=before)
    return existing
