"""CSV -> raw table: delimiter sniffed on the header region, header row found below any title rows,
the fast pyarrow path for clean files, the csv module for ragged rows or odd quoting.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections import Counter
from itertools import islice
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from core.text import Msg
from prompts import ingest as W
from tools.errors import IngestError
from tools.ingest.common import DELIMITERS, HEADER_SCAN, SAMPLE_BYTES, NotUtf8, Raw, listed, rows_text
from tools.ingest.decode import decode, decode_head, textual, unicode_encoding
from tools.ingest.header import two_line_header
from tools.schemas import (
    KINDS,
    TEXT_DTYPE,
    canonical_name,
    column_type,
    is_known_header,
    map_columns,
    normalise_header,
)
from tools.upload_guards import (
    decode_by_line,
    duplicate_header_warning,
    mixed_encoding_warning,
)

# --- CSV ---------------------------------------------------------------------------------------------


def _sniff_delimiter(head: str, ext: str) -> str:
    """The delimiter giving the most lines with the same (>1) field count in the header region."""
    lines = head.splitlines()[: HEADER_SCAN + 5]
    order = ("\t", ",", ";", "|") if ext == ".tsv" else DELIMITERS

    def score(sep: str) -> tuple[int, int, int]:
        counts = [len(r) for r in csv.reader(lines, delimiter=sep) if len(r) > 1]
        if not counts:
            return 0, 0, -order.index(sep)
        mode, freq = Counter(counts).most_common(1)[0]
        return freq, mode, -order.index(sep)

    return max(order, key=score)


def find_header(rows: list[list[str]], overrides: dict[str, str] | None) -> int:
    """Index of the first row where several cells are known column names (else the best row)."""
    extra = {normalise_header(k) for k in overrides or {}}

    def score(row: list[str]) -> int:
        return sum(1 for c in row if c and c.strip() and (is_known_header(c) or normalise_header(c) in extra))

    scores = [score(r) for r in rows]
    first = next((i for i, s in enumerate(scores) if s >= 2), None)
    if first is not None:
        return first
    if scores and max(scores) >= 1:
        return scores.index(max(scores))
    return next((i for i, r in enumerate(rows) if any(c.strip() for c in r if c)), 0)


def column_names(header: list[object]) -> list[str]:
    """Trimmed, unique, non-empty column names (blank -> column_N, repeats -> name.1)."""
    names: list[str] = []
    for i, cell in enumerate(header, start=1):
        base = "" if cell is None else str(cell).strip()
        base = base or f"column_{i}"
        candidate, n = base, 1
        while candidate in names:
            candidate, n = f"{base}.{n}", n + 1
        names.append(candidate)
    return names


def _string_columns(names: list[str], overrides: dict[str, str] | None) -> set[str]:
    """Source columns to read as text: any that could be an id or a text attribute (keeps '0001')."""
    targets = {src: canonical_name(tgt) or tgt for src, tgt in (overrides or {}).items()}
    out = set()
    for col in names:
        canon = targets.get(col) or canonical_name(col)
        kinds_canon = {map_columns([col], kind=k).get(col) for k in KINDS} | {canon}
        if any(c is not None and column_type(c) in ("id", "text") for c in kinds_canon):
            out.add(col)
    return out


def read_csv(data: bytes, name: str, overrides: dict[str, str] | None) -> Raw:
    """Decode and parse a delimited text file (UTF-8 without a copy; other encodings via UTF-8)."""
    ext = PurePath(name).suffix.lower()
    encoding = unicode_encoding(data)
    if encoding.startswith("utf-8") and b"\n" not in data[:SAMPLE_BYTES] and b"\r" in data[:SAMPLE_BYTES]:
        data = data.replace(b"\r", b"\n")  # classic Mac line ends
    head = decode_head(data, encoding) if encoding in ("utf-8", "utf-8-sig") else None
    if head is not None and textual(head):
        start = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
        try:
            return _parse_csv(data, start, head.removeprefix("\ufeff"), encoding, ext, overrides)
        except NotUtf8:
            pass  # invalid UTF-8 further down: decode the whole file properly
    mixed: list[int] = []
    try:
        text, encoding = decode(data, name)
    except IngestError:
        by_line = decode_by_line(data)  # UTF-8 lines and GBK lines in one file
        if by_line is None:
            raise
        (text, mixed), encoding = by_line, "utf-8+gb18030"
    if "\n" not in text[:SAMPLE_BYTES]:
        text = text.replace("\r", "\n")
    raw = _parse_csv(text.encode("utf-8"), 0, text[:SAMPLE_BYTES], encoding, ext, overrides)
    if mixed:
        raw.warnings.append(mixed_encoding_warning(mixed))
    return raw


def _parse_csv(
    data: bytes, start: int, head: str, encoding: str, ext: str, overrides: dict[str, str] | None
) -> Raw:
    """UTF-8 ``data[start:]``: header region with the csv module, body with pyarrow (csv module fallback)."""
    if len(head.encode("utf-8")) < len(data) - start and "\n" in head:
        head = head[: head.rindex("\n") + 1]  # whole lines only
    sep = _sniff_delimiter(head, ext)
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=sep)
    rows, ends = [], []
    for row in islice(reader, HEADER_SCAN):
        rows.append(row)
        ends.append(reader.line_num)
    index = find_header(rows, overrides) if rows else 0
    header, last = two_line_header(rows, index) if rows else ([], 0)
    names = column_names(header)
    header_end = ends[last] if rows else 0
    offset = start
    for _ in range(header_end):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            offset = len(data)
            break
    raw: Raw | None = None
    if len(data) - offset < 4096 and not data[offset:].strip(b" \t\r\n,;|"):
        raw = Raw(pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in names}), header_end, lambda p: p)
    else:
        body = pa.py_buffer(data)[offset:]
        try:
            raw = _arrow_body(body, names, sep, _string_columns(names, overrides), header_end)
            raw.padded = data.find(b" ", offset) >= 0  # memchr: cheap, and spares every column a scan
        except pa.ArrowInvalid as exc:
            raw = None  # ragged rows, odd quoting: the csv module copes
            if "conversion error" in str(exc):  # a type guessed from the first block fails later on
                with contextlib.suppress(pa.ArrowInvalid):
                    raw = _arrow_body(body, names, sep, set(names), header_end)
                    raw.typed, raw.padded = False, True
    if raw is None:
        try:
            text = data[offset:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUtf8 from exc
        raw = rows_frame(*_csv_records(text, sep, header_end), names)
    raw.header_row, raw.encoding, raw.delimiter = header_end, encoding, sep
    if last != index:
        example = next((str(n) for n, h in zip(header, rows[index], strict=False) if n and n != h), "")
        raw.warnings.append(W.TWO_LINE_HEADER.format(first=min(index, last) + 1, second=last + 1, example=example))
    repeated = duplicate_header_warning(header)
    if repeated is not None:
        raw.warnings.append(repeated)
    return raw


def _arrow_body(body: pa.Buffer, names: list[str], sep: str, text_cols: set[str], header_end: int) -> Raw:
    """The fast path: one multi-threaded pyarrow parse; ids and text attributes read as strings."""
    table = pa_csv.read_csv(
        pa.BufferReader(body),
        read_options=pa_csv.ReadOptions(column_names=names),
        parse_options=pa_csv.ParseOptions(delimiter=sep),
        convert_options=pa_csv.ConvertOptions(
            column_types={c: pa.string() for c in text_cols},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in table.schema.types):
        raise NotUtf8
    days = frozenset(f.name for f in table.schema if pa.types.is_date(f.type))
    for name in days:
        table = table.set_column(
            table.schema.get_field_index(name), name, table[name].cast(pa.timestamp("ns"))
        )
    text = {pa.string(): TEXT_DTYPE, pa.large_string(): TEXT_DTYPE}
    frame = table.to_pandas(date_as_object=False, split_blocks=True, types_mapper=text.get)

    def line_of(positions: np.ndarray) -> np.ndarray:
        arr = np.frombuffer(body, dtype=np.uint8)
        if (arr == ord('"')).any():  # a quoted value may span lines: count records properly
            lines = _csv_records(bytes(body).decode("utf-8"), sep, header_end)[1]
            return np.asarray(lines)[positions]
        newlines = np.flatnonzero(arr == ord("\n"))
        starts = np.concatenate(([0], newlines + 1))
        stops = np.concatenate((newlines, [len(arr)]))
        length = stops - starts
        has_cr = np.zeros(len(length), dtype=bool)
        has_cr[length > 0] = arr[stops[length > 0] - 1] == ord("\r")
        nonblank = np.flatnonzero(length - has_cr > 0)  # pyarrow skips empty lines
        return header_end + 1 + nonblank[positions]

    return Raw(frame, header_end, line_of, typed=True, day_columns=days)


def _csv_records(text: str, sep: str, first_line: int) -> tuple[list[list[str]], list[int]]:
    """Records of a CSV body and the 1-based file line where each starts (empty lines skipped)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records, lines, previous = [], [], 0
    for record in reader:
        if record:
            records.append(record)
            lines.append(first_line + previous + 1)
        previous = reader.line_num
    return records, lines


def rows_frame(rows: list[list[str | None]], lines: list[int], names: list[str]) -> Raw:
    """Records (csv module or XLSX) -> string frame; ragged rows padded or trimmed with a warning."""
    warnings = []
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    line_arr = np.asarray(lines, dtype=np.int64)
    filled = np.fromiter(
        (max((i for i, c in enumerate(r) if c not in (None, "")), default=-1) + 1 for r in rows),
        dtype=np.int64,
        count=len(rows),
    )
    if len(rows) and np.median(filled) > len(names):  # the header lacks names for columns most rows fill
        names = column_names([*names, *[None] * (int(np.median(filled)) - len(names))])
    width = len(names)
    long_rows = np.flatnonzero(lengths > width)
    spilled = [i for i in long_rows if any(c not in (None, "") and str(c).strip() for c in rows[i][width:])]
    if spilled:
        warnings.append(
            Msg(
                f"{rows_text(len(spilled))} had more values than the header has columns (lines "
                f"{listed(line_arr[spilled])}); "
                "the extra values were ignored.",
                f"有 {len(spilled)} 行的值比表头的列多（第 {listed(line_arr[spilled])} 行），"
                "多出的值已忽略。",
            )
        )
    short = np.flatnonzero(lengths < width)
    if len(short):
        warnings.append(
            Msg(
                f"{rows_text(len(short))} had fewer values than the header has columns (lines "
                f"{listed(line_arr[short])}); "
                "the missing values were left empty.",
                f"有 {len(short)} 行的值比表头的列少（第 {listed(line_arr[short])} 行），"
                "缺少的值按空值处理。",
            )
        )
    fixed = [r[:width] if len(r) >= width else [*r, *[None] * (width - len(r))] for r in rows]
    frame = pd.DataFrame(fixed, columns=names, dtype=object) if fixed else pd.DataFrame(columns=names)
    for col in names:
        s = frame[col].astype(TEXT_DTYPE).str.strip()
        frame[col] = s.mask(s == "")
    return Raw(frame, 1, lambda positions: line_arr[positions], warnings=warnings)
