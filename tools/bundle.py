"""Datasets loaded in a session, by canonical table kind."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.text import Msg
from tools.errors import ToolInputError
from tools.schemas import KIND_NAMES, required_columns


@dataclass
class DroppedRows:
    """Rows removed at ingestion: why, how many, and their 1-based line numbers in the file (first 20)."""

    reason: Msg
    count: int
    rows: list[int] = field(default_factory=list)


@dataclass
class ColumnDecision:
    """What one source column was read as, and how that was decided.

    ``how``: "name" (the canonical name itself), "synonym", "partial" (a qualified synonym such as
    'Billing Country'), "content" (inferred from the values), "layout" (a known export layout), "user"
    (a correction), "remembered" (the user's correction for a file with the same header), "derived"
    (computed, no source column) or "unused". ``alternatives`` are other likely meanings with their
    confidence, most likely first: what the UI offers as one-click corrections.
    """

    source: str
    canonical: str | None
    how: str
    confidence: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    note: Msg | None = None

    @property
    def needs_review(self) -> bool:
        """Low confidence, or another meaning nearly as likely: worth offering the alternatives."""
        if not self.alternatives:
            return False
        return self.confidence < 0.8 or self.alternatives[0][1] >= self.confidence - 0.1


@dataclass
class IngestReport:
    """What ingestion did with one file (one sheet of a workbook), shown to the user.

    ``mapping`` {source: canonical} is what was used; ``columns`` explains every source column (meaning,
    how, confidence, alternatives); ``derived`` names the canonical columns computed at ingestion and how
    (e.g. {"cost": "revenue - profit"}); ``header_signature`` keys remembered corrections.
    """

    filename: str
    kind: str
    rows_read: int
    rows_kept: int
    mapping: dict[str, str]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    unmapped: list[str] = field(default_factory=list)
    dropped: list[DroppedRows] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)
    columns: list[ColumnDecision] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)
    header_signature: str | None = None

    def alternatives(self) -> list[ColumnDecision]:
        """The columns worth a one-click correction (low confidence or a close second meaning)."""
        return [c for c in self.columns if c.needs_review]


@dataclass
class Dataset:
    """One canonical table (possibly appended from several files).

    The frame is treated as immutable once loaded: replace ``frame`` (a new object) rather than editing
    it in place, so that :attr:`fingerprint` (cached per frame object) stays right.
    """

    kind: str
    frame: pd.DataFrame
    reports: list[IngestReport] = field(default_factory=list)
    _fingerprint: tuple[weakref.ref[pd.DataFrame], str] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def filenames(self) -> list[str]:
        return [r.filename for r in self.reports]

    @property
    def rows(self) -> int:
        """Rows in the dataset (a live source, tools/data/sources.py, counts them where they are)."""
        return len(self.frame)

    @property
    def fingerprint(self) -> str:
        """:func:`frame_fingerprint` of ``frame``, computed once per frame object."""
        cached = self._fingerprint
        if cached is not None and cached[0]() is self.frame:
            return cached[1]
        digest = frame_fingerprint(self.frame)
        self._fingerprint = (weakref.ref(self.frame), digest)
        return digest


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """sha256 over the frame's shape, column names, dtypes and values, column by column (order-sensitive).

    The raw column buffers are hashed: numpy bytes for numeric, boolean and datetime columns; for
    Arrow-backed strings the validity, the string lengths and the UTF-8 bytes (independent of how the
    column is chunked); anything else through ``pd.util.hash_pandas_object``. Deterministic across runs
    and processes for the same data.
    """
    digest = hashlib.sha256()
    digest.update(f"{len(frame)}x{frame.shape[1]}".encode())
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        digest.update(f"\x00{frame.columns[i]}\x00{column.dtype}\x00".encode())
        _hash_values(digest, column)
    return digest.hexdigest()


def _hash_values(digest: hashlib._Hash, column: pd.Series) -> None:
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biufcmM":
        digest.update(np.ascontiguousarray(column.to_numpy()).view(np.uint8))
        return
    chunks = getattr(column.array, "_pa_array", None)  # Arrow-backed (pandas' str / string[pyarrow])
    if isinstance(chunks, pa.ChunkedArray) and (
        pa.types.is_string(chunks.type) or pa.types.is_large_string(chunks.type)
    ):
        _hash_arrow_strings(digest, chunks)
        return
    digest.update(pd.util.hash_pandas_object(column, index=False).to_numpy().view(np.uint8))


def _hash_arrow_strings(digest: hashlib._Hash, chunks: pa.ChunkedArray) -> None:
    """Validity, lengths and UTF-8 bytes of a string column, each hashed apart so chunking does not matter.

    Only each chunk's own slice of the (possibly shared) buffers is read.
    """
    validity, lengths, data = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    if chunks.null_count:
        validity.update(pc.is_valid(chunks).to_numpy(zero_copy_only=False).view(np.uint8))
    for chunk in chunks.chunks:
        if len(chunk) == 0:
            continue
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")  # what a null slot covers in the buffers is unspecified
        _, offsets_buf, data_buf = chunk.buffers()
        width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        offsets = np.frombuffer(
            offsets_buf, dtype=width, count=len(chunk) + 1, offset=chunk.offset * width.itemsize
        )
        lengths.update(np.diff(offsets).astype(np.int32, copy=False).view(np.uint8))
        if data_buf is not None:
            data.update(memoryview(data_buf)[int(offsets[0]) : int(offsets[-1])])
    for part in (validity, lengths, data):
        digest.update(part.digest())


class DatasetBundle:
    """The datasets a tool may read, keyed by kind. Injected by the session, never chosen by a model."""

    def __init__(self, datasets: Iterable[Dataset] = ()) -> None:
        self.datasets: dict[str, Dataset] = {}
        for ds in datasets:
            self.add(ds)

    def add(self, dataset: Dataset) -> DroppedRows | None:
        """Add a dataset; a second one of the same kind is appended, exact duplicate rows dropped.

        Returns the duplicates dropped by the append (None when nothing was appended).
        """
        existing = self.datasets.get(dataset.kind)
        if existing is None:
            self.datasets[dataset.kind] = dataset
            return None
        combined = pd.concat([existing.frame, dataset.frame], ignore_index=True)
        duplicated = combined.duplicated()
        n_dup = int(duplicated.sum())
        combined = combined.loc[~duplicated].reset_index(drop=True)
        self.datasets[dataset.kind] = Dataset(dataset.kind, combined, existing.reports + dataset.reports)
        return DroppedRows(Msg("exact duplicate of a row already loaded", "与已载入的行完全重复"), n_dup, [])

    def remove(self, kind: str) -> None:
        self.datasets.pop(kind, None)

    def get(self, kind: str) -> pd.DataFrame | None:
        ds = self.datasets.get(kind)
        return None if ds is None else ds.frame

    def has(self, kind: str, columns: Iterable[str] = ()) -> bool:
        frame = self.get(kind)
        return frame is not None and all(c in frame.columns for c in columns)

    def require(self, kind: str, columns: Iterable[str] = (), purpose: Msg | None = None) -> pd.DataFrame:
        """The frame of ``kind`` holding ``columns``, or ToolInputError naming what is missing."""
        frame = self.get(kind)
        name = KIND_NAMES.get(kind, Msg(kind, kind))
        why_en = f" to {purpose.en}" if purpose else ""
        why_zh = f"才能{purpose.zh}" if purpose else ""
        if frame is None:
            raise ToolInputError(
                Msg(
                    f"This needs a {name.en} table{why_en}, and none is loaded. "
                    f"Upload a CSV or Excel file with at least: {', '.join(required_columns(kind))}.",
                    f"需要{name.zh}表{why_zh}，但尚未上传。请上传至少包含以下列的 CSV 或 Excel 文件："
                    f"{'、'.join(required_columns(kind))}。",
                )
            )
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ToolInputError(
                Msg(
                    f"The {name.en} table has no column {', '.join(missing)}{why_en}. "
                    f"Columns loaded: {', '.join(map(str, frame.columns))}. "
                    "If one of them means this, say e.g. \"treat 'X' as " + missing[0] + '".',
                    f"{name.zh}表缺少列 {'、'.join(missing)}{why_zh}。已载入的列：{'、'.join(map(str, frame.columns))}。"
                    f"如果其中某列就是它，可以说“把'X'当作{missing[0]}”。",
                )
            )
        return frame

    def rows(self, kind: str, columns: Iterable[str] = (), purpose: Msg | None = None) -> Any:
        """Like :meth:`require`, but a dataset that lives in a database or Parquet files is returned as
        its :class:`tools.data.Relation` (queried in place) instead of being read into memory.

        Only tools whose row-level work goes through ``tools.aggregate`` / ``tools.data.ops`` call this.
        """
        relation = getattr(self.datasets.get(kind), "relation", None)
        if relation is None:
            return self.require(kind, columns, purpose)
        missing = [c for c in columns if c not in relation.columns]
        if missing:  # the same message as require's, from the relation's columns
            return self.require(kind, columns, purpose)
        return relation

    def fingerprint(self, kinds: Iterable[str] | None = None) -> str:
        """sha256 of the canonical frames of ``kinds`` (default: all loaded)."""
        digest = hashlib.sha256()
        for kind in sorted(kinds if kinds is not None else self.datasets):
            if kind in self.datasets:
                digest.update(kind.encode())
                digest.update(self.datasets[kind].fingerprint.encode())
        return digest.hexdigest()

    def __contains__(self, kind: object) -> bool:
        return kind in self.datasets

    def __len__(self) -> int:
        return len(self.datasets)
