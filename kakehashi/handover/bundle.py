"""The handover bundle: every table of every Kakehashi app in one documented zip, and back.

Generic on purpose: the models are found at run time (every model of a `kakehashi.*` app, their M2M tables and
`auth.Group`), so apps added later (plans, events, portal) are carried without a change here. Rows are written
in foreign-key dependency order as canonical JSON lines (keys sorted, primary key order), so the SHA-256 of a
table's file is a hash over its canonical rows: two instances hold the same data exactly when their bundles'
per-table hashes agree. Content types and permissions are written as natural keys, because their ids differ
between instances. See docs/operations/handover.md for the format.
"""

import base64
import datetime
import decimal
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "kakehashi-bundle"
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
README = "README.md"
DATA_DIR = "data"
FILES_DIR = "files"
BATCH = 1000
# Instance-local bookkeeping, not the prefecture's data: the export jobs themselves.
EXCLUDED = {"handover.bundleexport"}

Progress = Callable[[int, int], None]


class BundleError(Exception):
    """The bundle cannot be written or loaded; the message says why (in plain words for the operator)."""


# --- Which models, in which order ---------------------------------------------------------------------------------


def _included(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED:
        return False
    if meta.auto_created:  # an M2M table: carried with the model that declares it
        return _included(meta.auto_created)
    return meta.app_config.name.startswith("kakehashi.") or model is Group


def bundled_models() -> list[type[models.Model]]:
    """Every carried model, parents before children (foreign keys point backwards in the list)."""
    candidates = [m for m in apps.get_models(include_auto_created=True) if _included(m)]
    candidates.sort(key=lambda m: m._meta.label_lower)
    included = set(candidates)
    deps = {
        m: {
            f.remote_field.model._meta.concrete_model
            for f in m._meta.concrete_fields
            if f.remote_field and f.remote_field.model._meta.concrete_model in included
        }
        - {m}
        for m in candidates
    }
    ordered: list[type[models.Model]] = []
    placed: set = set()
    while len(ordered) < len(candidates):
        ready = [m for m in candidates if m not in placed and deps[m] <= placed]
        if not ready:  # a cycle: take the first remaining one (constraints are checked at commit)
            ready = [next(m for m in candidates if m not in placed)]
        for model in ready:
            ordered.append(model)
            placed.add(model)
    return ordered


def _data_name(model) -> str:
    return f"{DATA_DIR}/{model._meta.label_lower}.jsonl"


# --- Values ---------------------------------------------------------------------------------------------------------


class _Keys:
    """Content types and permissions by id ↔ natural key (ids differ between instances)."""

    def __init__(self):
        self._ct = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
        self._perm = {
            p.pk: [p.codename, p.content_type.app_label, p.content_type.model]
            for p in Permission.objects.select_related("content_type")
        }

    def dump(self, target, pk):
        if target is ContentType:
            return self._ct[pk]
        return self._perm[pk]

    @staticmethod
    def load(target, key):
        if target is ContentType:
            return ContentType.objects.get_by_natural_key(*key).pk
        return Permission.objects.get_by_natural_key(*key).pk


def _natural_target(field_obj):
    if field_obj.remote_field is None:
        return None
    target = field_obj.remote_field.model
    return target if target in (ContentType, Permission) else None


def _dump_value(field_obj, value, keys: _Keys):
    if value is None:
        return None
    if (target := _natural_target(field_obj)) is not None:
        return keys.dump(target, value)
    if isinstance(field_obj, models.JSONField):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(field_obj, models.FileField):
        return str(value)
    return value


def _load_value(field_obj, value):
    if value is None:
        return None
    if (target := _natural_target(field_obj)) is not None:
        return _Keys.load(target, value)
    if isinstance(field_obj, models.JSONField):
        return value
    if isinstance(field_obj, models.DurationField):
        return datetime.timedelta(microseconds=value)
    if isinstance(field_obj, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field_obj, models.FileField):
        return value
    return field_obj.to_python(value)


def canonical(row: dict) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def table_rows(model, keys: _Keys | None = None) -> Iterator[dict]:
    """The model's rows as canonical dicts, in primary-key order."""
    keys = keys or _Keys()
    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    queryset = model._base_manager.order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=BATCH):
        yield {f.attname: _dump_value(f, v, keys) for f, v in zip(fields, values, strict=True)}


# --- Export ---------------------------------------------------------------------------------------------------------


def migration_leaves() -> dict[str, list[str]]:
    """The applied schema: per app, the latest applied migrations (a bundle loads only into the same schema)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    leaves: dict[str, list[str]] = {}
    for app_label, name in loader.applied_migrations:
        leaves.setdefault(app_label, []).append(name)
    graph_leaves = set(loader.graph.leaf_nodes())
    return {
        app: sorted(n for n in names if (app, n) in graph_leaves)
        for app, names in sorted(leaves.items())
        if app in {m._meta.app_label for m in bundled_models()} | {"auth", "contenttypes"}
    }


@dataclass
class BundleSummary:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    size: int = 0
    sha256: str = ""
    missing_files: list[str] = field(default_factory=list)


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def write_bundle(path: str | Path, *, progress: Progress | None = None) -> BundleSummary:
    """Write every carried table and every stored file into one zip at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = bundled_models()
    keys = _Keys()
    total = sum(m._base_manager.count() for m in ordered)
    done = 0
    summary = BundleSummary(path=path)
    tables: list[dict] = []
    file_refs: set[tuple[models.FileField, str]] = set()
    file_entries: list[dict] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # One transaction: the bundle is a consistent snapshot even while people keep working.
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in ordered:
            digest, count = hashlib.sha256(), 0
            file_fields = _file_fields(model)
            with archive.open(_data_name(model), "w", force_zip64=True) as out:
                for row in table_rows(model, keys):
                    line = canonical(row)
                    out.write(line)
                    digest.update(line)
                    count += 1
                    for file_field in file_fields:
                        if name := row.get(file_field.attname):
                            file_refs.add((file_field, name))
                    done += 1
                    if progress and done % BATCH == 0:
                        progress(done, total)
            tables.append(
                {
                    "model": model._meta.label_lower,
                    "table": model._meta.db_table,
                    "file": _data_name(model),
                    "rows": count,
                    "sha256": digest.hexdigest(),
                    "fields": [{"name": f.attname, "type": f.get_internal_type()} for f in model._meta.concrete_fields],
                }
            )
            summary.rows += count
        seen: set[str] = set()
        for file_field, name in sorted(file_refs, key=lambda item: item[1]):
            if name in seen:
                continue
            seen.add(name)
            storage = file_field.storage
            if not storage.exists(name):
                summary.missing_files.append(name)
                continue
            arcname = f"{FILES_DIR}/{name}"
            digest, size = hashlib.sha256(), 0
            with storage.open(name, "rb") as source, archive.open(arcname, "w", force_zip64=True) as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            file_entries.append({"path": arcname, "name": name, "size": size, "sha256": digest.hexdigest()})
        summary.files = len(file_entries)
        manifest = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "created_at": timezone.now().isoformat(),
            "migrations": migration_leaves(),
            "tables": tables,
            "files": file_entries,
            "missing_files": summary.missing_files,
            "totals": {"tables": len(tables), "rows": summary.rows, "files": summary.files},
        }
        archive.writestr(README, readme_text())
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    if progress:
        progress(total, total)
    summary.tables = len(tables)
    summary.size = path.stat().st_size
    summary.sha256 = _sha256_file(path)
    return summary


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- Import ---------------------------------------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise BundleError("manifest.json がありません（引継ぎデータではありません）。") from error
    if manifest.get("format") != FORMAT:
        raise BundleError("引継ぎデータの形式が違います。")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise BundleError(
            f"形式の版が違います（データ: {manifest.get('schema_version')}、このシステム: {SCHEMA_VERSION}）。"
        )
    return manifest


def verify(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Every listed file is present and has its SHA-256; refuses the bundle otherwise."""
    for entry in [*manifest["tables"], *manifest["files"]]:
        name = entry.get("file") or entry["path"]
        digest = hashlib.sha256()
        try:
            with archive.open(name) as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except KeyError as error:
            raise BundleError(f"{name} がありません。") from error
        if digest.hexdigest() != entry["sha256"]:
            raise BundleError(f"{name} のチェックサムが一致しません（壊れているか、書き換えられています）。")


def _non_empty(ordered) -> list[str]:
    return [m._meta.label_lower for m in ordered if m._base_manager.exists()]


@contextmanager
def _raw_timestamps(ordered):
    """bulk_create runs pre_save: auto_now / auto_now_add would overwrite the carried times."""
    saved = []
    for model in ordered:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# Hooks other apps register to rebuild what lives outside their tables (e.g. the SQLite FTS index).
POST_IMPORT: list[Callable[[], None]] = []


def register_post_import(hook: Callable[[], None]) -> None:
    if hook not in POST_IMPORT:
        POST_IMPORT.append(hook)


def load_bundle(path: str | Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Load a bundle into this (migrated, empty) instance. Refuses a non-empty database, another schema or a
    damaged archive. Primary keys, M2M rows, files and times are kept exactly; sequences are reset."""
    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        here = migration_leaves()
        theirs = manifest.get("migrations", {})
        differing = sorted(app for app in set(here) | set(theirs) if here.get(app, []) != theirs.get(app, []))
        if differing:
            raise BundleError(
                "データベースの構造（マイグレーション）が違います: "
                + ", ".join(differing)
                + "。同じ版の Kakehashi に migrate してから取り込んでください。"
            )
        verify(archive, manifest)
        by_label = {m._meta.label_lower: m for m in bundled_models()}
        unknown = [t["model"] for t in manifest["tables"] if t["model"] not in by_label]
        if unknown:
            raise BundleError("このシステムにない表が含まれています: " + ", ".join(unknown))
        ordered = [by_label[t["model"]] for t in manifest["tables"]]
        if busy := _non_empty(by_label.values()):
            raise BundleError(
                "取り込み先のデータベースが空ではありません（" + ", ".join(busy[:5]) + " …）。"
                "新しいインスタンスに migrate しただけの状態で取り込んでください。"
            )
        total = sum(t["rows"] for t in manifest["tables"])
        done = 0
        counts: dict[str, int] = {}
        with transaction.atomic(), _raw_timestamps(ordered):
            for entry, model in zip(manifest["tables"], ordered, strict=True):
                fields = {f.attname: f for f in model._meta.concrete_fields}
                batch: list[models.Model] = []
                with archive.open(entry["file"]) as handle:
                    for line in io.TextIOWrapper(handle, encoding="utf-8"):
                        row = json.loads(line)
                        batch.append(model(**{name: _load_value(fields[name], v) for name, v in row.items()}))
                        if len(batch) >= BATCH:
                            model._base_manager.bulk_create(batch)
                            done += len(batch)
                            batch = []
                            if progress:
                                progress(done, total)
                if batch:
                    model._base_manager.bulk_create(batch)
                    done += len(batch)
                counts[entry["model"]] = entry["rows"]
            _reset_sequences(ordered)
            for file_entry in manifest["files"]:
                _restore_file(archive, file_entry, by_label)
            for hook in POST_IMPORT:
                hook()
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA foreign_key_check")
                    broken = cursor.fetchall()
                if broken:
                    raise BundleError(f"参照先のない行があります（{len(broken)} 件）。データが不完全です。")
        if progress:
            progress(total, total)
        return counts


def _reset_sequences(ordered) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), ordered)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _restore_file(archive: zipfile.ZipFile, entry: dict, by_label) -> None:
    from django.core.files.storage import default_storage

    name = entry["name"]
    data = archive.read(entry["path"])
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as existing:
            if hashlib.sha256(existing.read()).hexdigest() == entry["sha256"]:
                return
        raise BundleError(f"保存先に別の内容のファイルがあります: {name}")
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        raise BundleError(f"ファイルを同じ名前で保存できませんでした: {name}")


def readme_text() -> str:
    return (Path(__file__).parent / "bundle_readme.md").read_text(encoding="utf-8")
