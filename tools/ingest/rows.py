"""Rows to drop before validation: blank rows, total and subtotal rows (合计, 总计, 小计, Total,
Subtotal), exact duplicates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tools.ingest.common import TOTAL_EXACT, TOTAL_HEADS, TOTAL_PREFIX, Raw
from tools.ingest.values import day_order, is_text, to_bool, to_date, to_number, to_text
from tools.schemas import (
    CANONICAL,
    ID_COLUMNS,
    TEXT_DTYPE,
    column_type,
)

# --- mapping, cleaning, validation -------------------------------------------------------------------


def required(kind: str) -> set[str]:
    """Columns that must be filled in every row ('a|b' alternatives are not enforced per row)."""
    return {req for req in CANONICAL[kind]["required"] if "|" not in req}


def blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows with no value at all (Excel's empty rows, ',,,,' lines)."""
    blank = frame.iloc[:, 0].isna().to_numpy(copy=True)
    if blank.any():
        blank[blank] = frame[blank].isna().all(axis=1).to_numpy()
    return pd.Series(blank, index=frame.index)


def _prefix_hits(s: pd.Series) -> np.ndarray:
    """Rows whose text starts like a total keyword (a cheap pyarrow prefilter: first three UTF-8 bytes)."""
    text = pc.cast(pa.array(s.astype(TEXT_DTYPE), from_pandas=True), pa.large_binary())
    hits = pc.is_in(pc.binary_slice(text, 0, 3), value_set=TOTAL_HEADS)
    return pc.fill_null(hits, False).to_numpy(zero_copy_only=False)


def _says_total(values: pd.Series, exact: bool) -> np.ndarray:
    """Cells that are a total label: 'Total', '合计：' (exact) or start with one ('Total 2024')."""
    pattern = TOTAL_EXACT if exact else TOTAL_PREFIX
    norm = values.astype(TEXT_DTYPE).str.normalize("NFKC").str.strip().str.lower()
    return norm.map(lambda v: isinstance(v, str) and bool(pattern.match(v))).to_numpy(dtype=bool)


def total_rows(frame: pd.DataFrame, mapped: set[str]) -> pd.Series:
    """Total/subtotal rows: a label such as 合计/总计/小计/Total/Subtotal/Grand total, or no id but numbers.

    The id (else first) column is scanned in full; other text columns only where the id is empty, which is
    where a total's label sits when it is not in the id column.
    """
    key = next((c for c in ID_COLUMNS if c in mapped), frame.columns[0])
    mask = np.zeros(len(frame), dtype=bool)
    for col in dict.fromkeys([key, frame.columns[0]]):
        if is_text(frame[col]):
            candidates = np.flatnonzero(_prefix_hits(frame[col]))
            if len(candidates):
                mask[candidates[_says_total(frame[col].iloc[candidates], exact=False)]] = True
    no_key = np.flatnonzero(frame[key].isna().to_numpy() & ~mask)
    if len(no_key):
        sub = frame.iloc[no_key]
        for col in sub.columns:
            if is_text(sub[col]) and sub[col].notna().any():
                mask[no_key[_says_total(sub[col], exact=True)]] = True
        numbers = [c for c in sub.columns if c in mapped and column_type(c) == "number"]
        others = [c for c in sub.columns if c in mapped and c != key and column_type(c) != "number"]
        if key in mapped and numbers:
            mask[no_key[(sub[numbers].notna().any(axis=1) & sub[others].isna().all(axis=1)).to_numpy()]] = (
                True
            )
    return pd.Series(mask, index=frame.index)


def convert(
    frame: pd.DataFrame, mapped: set[str], raw: Raw, days: set[str]
) -> tuple[pd.DataFrame, str | None]:
    """Canonical dtypes for mapped columns; unparseable values stay as the raw text for pandera to report.

    ``days`` are columns pyarrow parsed as dates (already midnight, DATE_DTYPE).
    """
    dates = [c for c in frame.columns if c in mapped and column_type(c) == "date"]
    order, ambiguous = day_order([frame[c] for c in dates])
    frame = frame.copy(deep=False)
    for col in [c for c in frame.columns if c in mapped]:
        s = frame[col]
        kind = column_type(col)
        if kind in ("id", "text"):
            frame[col] = to_text(s, raw.padded)
            continue
        if kind == "number":
            values, bad = to_number(s, None if raw.delimiter == ";" else False)
        elif kind == "date":
            values, bad = (s, pd.Series(False, index=s.index)) if col in days else to_date(s, order)
        else:
            values, bad = to_bool(s)
        frame[col] = values.astype(object).where(~bad, s) if bad.any() else values
    return frame, ambiguous


def duplicates(frame: pd.DataFrame) -> pd.Series:
    """Exact repeats of an earlier row.

    Large frames: rows are keyed by a cheap mix of their numeric columns' bits; counting keys per bucket
    over a few bit windows leaves the few rows that may repeat another, and only those are compared.
    """
    numeric = [
        c for c in frame.columns if isinstance(frame[c].dtype, np.dtype) and frame[c].dtype.kind in "fiubM"
    ]
    if len(frame) < 50_000 or not numeric:
        return frame.duplicated()
    digest, scratch = np.zeros(len(frame), dtype=np.uint64), np.empty(len(frame), dtype=np.uint64)
    for col in numeric:  # in place: fresh 8 MB arrays cost page faults
        values = frame[col].to_numpy()
        if values.dtype.kind == "f":
            bits = np.add(values, 0.0, out=scratch.view(np.float64)).view(np.uint64)  # -0.0 == 0.0
        else:
            bits = values.view(np.uint64) if values.dtype.itemsize == 8 else values.astype(np.uint64)
        digest ^= bits
        digest *= np.uint64(0x9E3779B97F4A7C15)
        digest ^= np.right_shift(digest, np.uint64(29), out=scratch)
    key = next((c for c in _DUPLICATE_KEYS if c in frame and is_text(frame[c])), None)
    sketch = None if key is None else _string_sketch(frame[key])
    if sketch is not None:
        # numbers repeat a lot (a third of a big order file shares all its numbers with another row):
        # an id-like text column makes the key selective
        digest ^= sketch
        digest *= np.uint64(0x9E3779B97F4A7C15)
        digest ^= np.right_shift(digest, np.uint64(29), out=scratch)
    candidates = _sharing(digest)
    if len(candidates) and key is not None and sketch is None:  # not Arrow-backed: codes of the candidates
        codes = pd.factorize(frame[key].iloc[candidates])[0].astype(np.uint64)
        mixed = (digest[candidates] ^ codes) * np.uint64(0x9E3779B97F4A7C15)
        mixed ^= mixed >> np.uint64(29)
        candidates = candidates[_sharing(mixed)]
    out = np.zeros(len(frame), dtype=bool)
    if len(candidates):
        out[candidates] = frame.iloc[candidates].duplicated().to_numpy()
    return pd.Series(out, index=frame.index)


_DUPLICATE_KEYS = ("order_id", "invoice_id", "customer_id")  # most selective first


def _sharing(key: np.ndarray) -> np.ndarray:
    """Positions of the ``key`` values that share a 20-bit bucket with another in each of six bit windows."""
    candidates = None
    for shift in (44, 24, 4, 34, 14, 0):
        sub = key if candidates is None else key[candidates]
        bucket = ((sub >> np.uint64(shift)) & np.uint64(0xFFFFF)).astype(np.intp)
        shared = np.bincount(bucket, minlength=1 << 20)[bucket] > 1
        candidates = np.flatnonzero(shared) if candidates is None else candidates[shared]
        if len(candidates) == 0:
            break
    return candidates


def _string_sketch(s: pd.Series) -> np.ndarray | None:
    """A uint64 per value of an Arrow-backed text column, equal for equal strings (nulls: 0).

    Mixes the length with the first and the last eight UTF-8 bytes (read in place from the Arrow buffers,
    no Python per value): enough to tell ids apart; rows with equal sketches are compared in full anyway.
    None when the column is not Arrow-backed.
    """
    chunks = getattr(s.array, "_pa_array", None)
    if not isinstance(chunks, pa.ChunkedArray) or not (
        pa.types.is_string(chunks.type) or pa.types.is_large_string(chunks.type)
    ):
        return None
    parts = []
    for chunk in chunks.chunks:
        if len(chunk) == 0:
            continue
        _, offsets_buf, data_buf = chunk.buffers()
        width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        offsets = np.frombuffer(
            offsets_buf, dtype=width, count=len(chunk) + 1, offset=chunk.offset * width.itemsize
        ).astype(np.int64)
        start, stop = offsets[:-1], offsets[1:]
        data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.empty(0, np.uint8)
        padded = np.zeros(data.size + 16, dtype=np.uint8)  # 8 zero bytes either side: every read is in range
        padded[8 : 8 + data.size] = data
        words = np.ndarray((padded.size - 7,), dtype="<u8", buffer=padded, strides=(1,))  # unaligned reads
        length = (stop - start).astype(np.uint64)
        short = np.minimum(length, np.uint64(8))
        head = words[start + 8]  # the first 8 bytes from the start (low bytes), beyond the end masked off
        head &= np.where(
            short == 8, np.uint64(0xFFFFFFFFFFFFFFFF), (np.uint64(1) << (short * np.uint64(8))) - np.uint64(1)
        )
        tail = words[stop]  # the 8 bytes ending at the end (high bytes), before the start shifted out
        tail = np.where(short == 0, np.uint64(0), tail >> ((np.uint64(8) - short) * np.uint64(8)))
        sketch = head * np.uint64(0x9E3779B97F4A7C15) ^ tail ^ length * np.uint64(0xC2B2AE3D27D4EB4F)
        if chunk.null_count:
            sketch[~pc.is_valid(chunk).to_numpy(zero_copy_only=False)] = 0
        parts.append(sketch)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
