"""Turning validated rows into the values the importer writes, in this process or in a helper one.

Everything here is pure Python without Django, so a large file can be read, validated and
prepared (name keys included — the normaliser is the costliest step per row) in a second process
while the importer's own process spends its time in the database. The two overlap; on a 2-core
machine that is most of the gain. Small files are prepared in-process (no start-up cost).

A prepared row is a tuple, indexed by the P_* constants.
"""

import marshal
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kakehashi.companies.normalise import company_name_key

from . import layout
from .reader import NtaFileError, NtaReader, ReadCounts, Rejection

try:  # 全国地方公共団体コード check digit; the reference app owns the rule.
    from kakehashi.reference.jiscode import municipality_code_with_check_digit
except ImportError:  # pragma: no cover - only while the reference helper's module is missing

    def municipality_code_with_check_digit(five: str) -> str:
        total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
        return f"{five}{(11 - total % 11) % 10}"


ACTIVE, CLOSED, MERGED = "active", "closed", "merged"  # CompanyStatus values (kept Django-free here)

(
    P_NUMBER,
    P_PROCESS,
    P_UPDATED_ON,
    P_NAME,
    P_KANA,
    P_LEGAL_FORM,
    P_MUNICIPALITY,
    P_ADDRESS,
    P_POSTAL,
    P_STATUS,
    P_CLOSED_ON,
    P_SUCCESSOR,
    P_NAME_KEY,
) = range(13)


@dataclass
class PrepareCounts:
    legal_form_unknown: dict[str, int] = field(default_factory=dict)
    municipality_unknown: int = 0


class Preparer:
    """Maps a validated row to the prepared tuple, with the reference look-ups given as dicts."""

    def __init__(self, legal_forms: dict[str, int], municipalities: dict[str, int], *, name_keys: bool = True):
        self.legal_forms = legal_forms
        # Name keys are the costliest step. On a first load every row needs one, and the reader process
        # computes them in parallel; on a refresh most names are unchanged and the importer computes
        # the few it needs (P_NAME_KEY is then None).
        self.name_keys = name_keys
        self.municipalities = municipalities  # 6-digit 団体コード → id
        self._by_five: dict[str, int | None] = {}
        self.counts = PrepareCounts()

    def municipality(self, five: str) -> int | None:
        """5 digits (prefecture + city) → the 6-digit code with its check digit → Municipality id."""
        try:
            return self._by_five[five]
        except KeyError:
            found = self.municipalities.get(municipality_code_with_check_digit(five))
            self._by_five[five] = found
            return found

    def prepare(self, rows: list[list[str]]) -> list[tuple]:
        legal_forms, by_five, counts = self.legal_forms, self._by_five, self.counts
        unknown_kinds = counts.legal_form_unknown
        key = company_name_key if self.name_keys else None
        out = []
        append = out.append
        for row in rows:
            process = row[layout.PROCESS]
            updated_on = row[layout.UPDATE_DATE]
            name = row[layout.NAME].strip()
            kind = row[layout.KIND]
            legal_form = None
            if kind:
                legal_form = legal_forms.get(kind)
                if legal_form is None:
                    unknown_kinds[kind] = unknown_kinds.get(kind, 0) + 1
            municipality_id = None
            prefecture_code, city_code = row[layout.PREFECTURE_CODE], row[layout.CITY_CODE]
            if prefecture_code and city_code:
                five = prefecture_code + city_code
                municipality_id = by_five[five] if five in by_five else self.municipality(five)
                if municipality_id is None:
                    counts.municipality_unknown += 1
            address = (
                row[layout.PREFECTURE_NAME] + row[layout.CITY_NAME] + row[layout.STREET_NUMBER]
                or row[layout.ADDRESS_OUTSIDE]
            )
            close_date = row[layout.CLOSE_DATE]
            successor = ""
            if process == layout.PROCESS_DELETE:
                status, closed_on = CLOSED, close_date or updated_on
            elif process == layout.PROCESS_REOPEN or process == layout.PROCESS_MERGER_VOID:
                status, closed_on = ACTIVE, None
            elif close_date or process == layout.PROCESS_CLOSE or process == layout.PROCESS_MERGER:
                closed_on = close_date or updated_on
                if process == layout.PROCESS_MERGER or row[layout.CLOSE_CAUSE] == layout.CLOSE_CAUSE_MERGED:
                    status = MERGED
                    successor = row[layout.SUCCESSOR_CORPORATE_NUMBER]
                else:
                    status = CLOSED
            else:
                status, closed_on = ACTIVE, None
            append(
                (
                    row[layout.CORPORATE_NUMBER],
                    process,
                    updated_on,
                    name,
                    row[layout.FURIGANA],
                    legal_form,
                    municipality_id,
                    address,
                    row[layout.POST_CODE],
                    status,
                    closed_on,
                    successor,
                    key(name) if key is not None else None,
                )
            )
        return out


@dataclass
class Batch:
    """One chunk of prepared rows, the rejections found while reading it, and the line reached."""

    rows: list[tuple]
    rejections: list[Rejection]
    lines: int


@dataclass
class PackedBatch:
    """A `Batch` on its way from the reader process: the rows as one `marshal` blob. Prepared rows are tuples
    of str, int and None, which marshal writes about three times faster than pickle (1 M rows: 1.6 s
    against 4.8 s of the reader's CPU) and reads a little faster; both ends are the same interpreter."""

    rows: bytes
    rejections: list[Rejection]
    lines: int

    @classmethod
    def pack(cls, batch: Batch) -> "PackedBatch":
        return cls(marshal.dumps(batch.rows), batch.rejections, batch.lines)

    def unpack(self) -> Batch:
        return Batch(marshal.loads(self.rows), self.rejections, self.lines)  # noqa: S302 - from our own child


@dataclass
class Finished:
    counts: ReadCounts
    prepare_counts: PrepareCounts
    encoding: str
    member_name: str


def prepared_batches(
    path: Path | str,
    *,
    prefecture: str | None,
    chunk_size: int,
    legal_forms: dict[str, int],
    municipalities: dict[str, int],
    name_keys: bool = True,
) -> Iterator[Batch | Finished]:
    """Read, validate and prepare a file in this process."""
    rejections: list[Rejection] = []
    reader = NtaReader(path, prefecture=prefecture, chunk_size=chunk_size, on_reject=rejections.append)
    preparer = Preparer(legal_forms, municipalities, name_keys=name_keys)
    for rows in reader:
        batch = Batch(preparer.prepare(rows), rejections[:], reader.lines)
        rejections.clear()
        yield batch
    if rejections:
        yield Batch([], rejections[:], reader.lines)
    yield Finished(reader.counts, preparer.counts, reader.encoding or "", reader.member_name)


def prepared_batches_in_worker(
    path: Path | str,
    *,
    prefecture: str | None,
    chunk_size: int,
    legal_forms: dict[str, int],
    municipalities: dict[str, int],
    name_keys: bool = True,
) -> Iterator[Batch | Finished]:
    """The same batches, read and prepared by a child Python process (`python -m …pipeline`).

    A fresh interpreter shares nothing with this one (no Django state, no database connection, no
    threads to fork) and does not re-import the caller's `__main__`. Batches come back through its stdout
    (pickled, the rows marshalled: `PackedBatch`); the pipe's buffer keeps at most a batch or two in flight.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kakehashi.companies.nta.pipeline"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    arguments = {
        "path": str(path),
        "prefecture": prefecture,
        "chunk_size": chunk_size,
        "legal_forms": legal_forms,
        "municipalities": municipalities,
        "name_keys": name_keys,
    }
    stdin, stdout = process.stdin, process.stdout
    if stdin is None or stdout is None:  # pragma: no cover - both are pipes
        raise RuntimeError("no pipe to the reader process")
    pickle.dump(arguments, stdin, protocol=pickle.HIGHEST_PROTOCOL)
    stdin.close()
    try:
        while True:
            try:
                item = pickle.load(stdout)  # noqa: S301 - written by our own child process
            except EOFError as error:
                raise RuntimeError("法人番号データの読込プロセスが異常終了しました。") from error
            if isinstance(item, tuple):
                kind, message = item
                if kind == "file_error":
                    raise NtaFileError(message)
                raise RuntimeError(f"法人番号データの読込プロセスでエラーが発生しました:\n{message}")
            yield item.unpack() if isinstance(item, PackedBatch) else item
            if isinstance(item, Finished):
                return
    finally:
        stdout.close()
        if process.poll() is None:
            process.kill()
        process.wait()


def serve() -> None:  # pragma: no cover - runs in the child process
    """The child's side: read the arguments from stdin, write pickled batches to stdout."""
    arguments = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by our parent process
    out = sys.stdout.buffer
    try:
        for item in prepared_batches(**arguments):
            packed = PackedBatch.pack(item) if isinstance(item, Batch) else item
            pickle.dump(packed, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except NtaFileError as error:
        pickle.dump(("file_error", str(error)), out)
    except BrokenPipeError:
        return
    except Exception:
        pickle.dump(("crash", traceback.format_exc()), out)
    out.flush()


if __name__ == "__main__":  # pragma: no cover
    # Import by the real module name so pickled classes are `kakehashi.companies.nta.pipeline.Batch`.
    from kakehashi.companies.nta.pipeline import serve as _serve

    _serve()
