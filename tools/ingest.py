"""Uploaded file (bytes + file name) -> canonical Dataset with an ingestion report, or IngestError.

Pipeline: size check -> format (CSV / XLSX) -> decode (UTF-8 with or without BOM, UTF-16, GBK/GB18030,
Big5; never latin-1) -> delimiter sniffed on the header region -> header row found below any title rows
-> columns mapped to the canonical names of the detected (or forced) kind -> blank and total rows dropped
-> values converted (vectorised) -> pandera lazy validation: bad rows dropped and reported by line and
column -> warnings (refunds, duplicates, ambiguous dates, several currencies).

Fast path: a clean UTF-8 CSV is parsed once by pyarrow; columns pyarrow already typed are not parsed
again, text dates are parsed once per distinct value, and nothing loops over rows in Python. Anything
pyarrow refuses (ragged rows, odd quoting) is re-read with the csv module. Works on pandas 2.2+ and 3.x
(text columns are TEXT_DTYPE on both).

>>> ds = read_table("客户编号,日期,销售额\\n0001,2024/3/5,\\"￥1,200\\"\\n".encode("gbk"), "orders.csv")
>>> ds.kind, ds.frame["customer_id"][0], float(ds.frame["revenue"][0]), ds.reports[0].encoding
('transactions', '0001', 1200.0, 'gbk')
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from core.text import Msg
from tools.bundle import KIND_NAMES, KINDS, Dataset, DroppedRows, IngestReport
from tools.errors import IngestError
from tools.schemas import (
    CANONICAL,
    DATE_DTYPE,
    ID_COLUMNS,
    SCHEMAS,
    SIGNATURE,
    TEXT_DTYPE,
    canonical_name,
    column_type,
    covered_columns,
    examples,
    is_complete,
    is_known_header,
    kind_columns,
    map_columns,
    missing_required,
    normalise_header,
    rank_kinds,
)
from tools.upload_guards import (
    check_xlsx_archive,
    decode_by_line,
    duplicate_header_warning,
    future_date_warning,
    mixed_encoding_warning,
)

MB = 1024 * 1024
SAMPLE_BYTES = 64 * 1024
HEADER_SCAN = 20
MAX_LISTED = 20

CSV_EXTS = (".csv", ".txt", ".tsv")
XLSX_EXTS = (".xlsx", ".xlsm")
DELIMITERS = (",", "\t", ";", "|")

_NA = ["", "na", "n/a", "nan", "null", "none", "-", "--", "—", "–"]
_TOTAL = r"(?:grand ?total|sub ?-?total|total|合计|总计|小计|合計|總計|小計|汇总|彙總|總和|总和)"
_TOTAL_PREFIX = re.compile(rf"^{_TOTAL}\s*(?:$|[^a-z\s])")  # 'Total 2024', '合计（华东）', not 'Total Care'
_TOTAL_EXACT = re.compile(rf"^{_TOTAL}\s*[:：]?$")
_TOTAL_WORDS = (
    "total Total TOTAL sub Sub SUB grand Grand GRAND 合计 总计 小计 合計 總計 小計 汇总 彙總 总和 總和"
)
_TOTAL_HEADS = pa.array(sorted({w.encode()[:3] for w in _TOTAL_WORDS.split()}), pa.large_binary())
_TRUE = set(
    "yes y true t 1 1.0 是 对 有 x √ ✓ on churned lost resolved closed promo 促销 流失 解决 核销 含税".split()
)
_TRUE.add("written off")
_FALSE = set("no n false f 0 0.0 否 无 没有 off active retained open unresolved 正常 不含税".split())

# Characters of ordinary Chinese business text (simplified and traditional): decides GBK vs Big5.
_COMMON_CJK = set(
    "的一是不了在有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
    "象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "客户编号日期销售额金成本数单价区域渠道订服务称细群类型名注册获取是否失票到付款已核现资债息税润费"
    "权益评满意投诉内容响应花费线索新收入门店促华东南西北京海广州深圳有限公司省市县"
    "這個們來為國說時會對於裡過後種從與當現發開關點業將兩間問應頭體見實學產長門東電數報結區務統運書幾處"
    "條進選話還戶編號銷額單價訂稱細類註冊獲發負債稅潤費權評滿訴響應線營買購貨總資動際顧員碼計屬論"
)


@dataclass
class Limits:
    """Upload limits: file size in bytes and data rows."""

    max_bytes: int = 200 * MB
    max_rows: int = 5_000_000


@dataclass
class _Raw:
    """A parsed table before mapping: source columns, raw values, where each row came from."""

    frame: pd.DataFrame
    header_row: int
    line_of: Callable[[np.ndarray], np.ndarray]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    warnings: list[Msg] = field(default_factory=list)
    typed: bool = False  # pyarrow already typed the columns (fast path)
    day_columns: frozenset[str] = frozenset()  # pyarrow date32 columns: dates at midnight already
    padded: bool = False  # text values may carry spaces to trim (pyarrow does not trim)


def _error(code: str, en: str, zh: str) -> IngestError:
    return IngestError(Msg(en, zh), code=code)


def _size(n_bytes: int) -> str:
    """'1.2 MB', '200 MB' (KB below 0.1 MB)."""
    return f"{n_bytes / MB:.3g} MB" if n_bytes >= MB / 10 else f"{n_bytes / 1024:.3g} KB"


class _NotUtf8(Exception):
    """The UTF-8 guess from the head of the file was wrong."""


# --- entry point -----------------------------------------------------------------------------------


def read_table(
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    kind: str | None = None,
    limits: Limits | None = None,
) -> Dataset:
    """Read one uploaded CSV/XLSX file into a canonical :class:`~tools.bundle.Dataset`.

    Parameters
    ----------
    data, filename
        The file's bytes and its name (only the base name is used, for the format and messages).
    mapping
        User corrections ``{source column as in the file: canonical name}``, e.g. ``{"sales": "quantity"}``.
    kind
        Force the table kind (one of tools.bundle.KINDS) instead of detecting it.
    limits
        Maximum size and rows (default :class:`Limits`).

    Raises
    ------
    IngestError
        code file_unreadable, unsupported_format, missing_columns or too_large, with a bilingual message
        naming the file, the problem and what was expected.
    """
    limits = limits or Limits()
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    if kind is not None and kind not in KINDS:
        raise _error(
            "bad_arguments",
            f"Unknown table kind '{kind}'. Expected one of: {', '.join(KINDS)}.",
            f"未知的表类型“{kind}”。可选：{'、'.join(KINDS)}。",
        )
    if len(data) > limits.max_bytes:
        raise _error(
            "too_large",
            f"{name} is {_size(len(data))}, above the upload limit of {_size(limits.max_bytes)}. "
            "Split the file or ask an administrator to raise the limit.",
            f"{name} 大小为 {_size(len(data))}，超过上传上限 {_size(limits.max_bytes)}。"
            "请拆分文件，或请管理员调高上限。",
        )
    if len(data) < 4096 and not data.strip(b" \t\r\n,;|\x00\xef\xbb\xbf\xff\xfe"):
        raise _error(
            "file_unreadable",
            f"{name} is empty. Expected a header row with column names and at least one data row.",
            f"{name} 是空文件。需要一行列名（表头）和至少一行数据。",
        )
    raw = _read_xlsx(data, name, mapping) if _format(data, name) == "xlsx" else _read_csv(data, name, mapping)
    if raw.frame.empty:
        raise _error(
            "file_unreadable",
            f"{name} has a header ({', '.join(map(str, raw.frame.columns))}) but no data rows. "
            "Expected at least one row of data below the header.",
            f"{name} 只有表头（{'、'.join(map(str, raw.frame.columns))}），没有数据行。"
            "表头下方至少需要一行数据。",
        )
    if len(raw.frame) > limits.max_rows:
        raise _error(
            "too_large",
            f"{name} has {len(raw.frame):,} data rows, above the limit of {limits.max_rows:,} rows. "
            "Split the file or filter it to the period you need.",
            f"{name} 有 {len(raw.frame):,} 行数据，超过 {limits.max_rows:,} 行的上限。"
            "请拆分文件或只保留需要的期间。",
        )
    return _canonicalise(raw, name, mapping, kind)


def _format(data: bytes, name: str) -> str:
    """'csv' or 'xlsx' from the extension and the file's magic bytes; IngestError otherwise."""
    ext = PurePath(name).suffix.lower()
    if ext == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _error(
            "unsupported_format",
            f"{name} is an old-style Excel .xls file (or a password-protected workbook), which cannot be "
            "read. "
            "Open it in Excel or WPS and save it as .xlsx or as CSV UTF-8, then upload it again.",
            f"{name} 是旧版 Excel .xls 文件（或受密码保护的工作簿），无法读取。"
            "请在 Excel 或 WPS 中另存为 .xlsx 或 CSV UTF-8 后重新上传。",
        )
    if data.startswith(b"PK\x03\x04") and ext in (*XLSX_EXTS, *CSV_EXTS):
        return "xlsx"
    if ext in XLSX_EXTS:
        raise _error(
            "file_unreadable",
            f"{name} is not a valid Excel workbook (the file is damaged or not really .xlsx). "
            "Save it again from Excel as .xlsx, or export it as CSV.",
            f"{name} 不是有效的 Excel 工作簿（文件损坏或并非真正的 .xlsx）。请在 Excel 中重新另存为 .xlsx，"
            "或导出为 CSV。",
        )
    if ext not in CSV_EXTS:
        raise _error(
            "unsupported_format",
            f"{name}: file type '{ext or 'none'}' is not supported. "
            "Expected a CSV file (.csv, .txt, .tsv) or an Excel workbook (.xlsx).",
            f"{name}：不支持“{ext or '无扩展名'}”类型的文件。请上传 CSV（.csv、.txt、.tsv）或 Excel "
            "工作簿（.xlsx）。",
        )
    return "csv"


# --- decoding --------------------------------------------------------------------------------------


def _decode_head(data: bytes, encoding: str) -> str | None:
    """The first SAMPLE_BYTES decoded (an incomplete last character is allowed), or None."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data[:SAMPLE_BYTES], final=False)
    except UnicodeDecodeError:
        return None


def _textual(text: str) -> bool:
    """No NULs and hardly any control characters: rules out binary files that happen to decode."""
    controls = sum(1 for ch in text[:SAMPLE_BYTES] if ch < " " and ch not in "\t\r\n\f")
    return "\x00" not in text and controls <= len(text) / 100


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _cjk_score(text: str) -> tuple[int, int]:
    """(known Chinese headers in the first lines, common minus odd characters in the first non-ASCII text)."""
    cells = [c for line in text[:SAMPLE_BYTES].splitlines()[:HEADER_SCAN] for c in re.split(r"[,;\t|]", line)]
    known = sum(is_known_header(c) for c in cells if not c.isascii())  # ASCII reads the same either way
    runs = islice(_NON_ASCII.finditer(text, 0, 4_000_000), 2000)
    chars = "".join(m.group() for m in runs)
    odd = len(re.findall(r"[\u3040-\u30ff\u2500-\u257f\ue000-\uf8ff\u0370-\u03ff\u0400-\u04ff]", chars))
    return known, sum(ch in _COMMON_CJK for ch in chars) - odd


def _unicode_encoding(data: bytes) -> str:
    """utf-8-sig / utf-16 by BOM, utf-16-le/-be by the NUL pattern, else utf-8 (tried first)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(head) >= 8 and odd > len(head) / 5 and even < len(head) / 40:
        return "utf-16-le"
    if len(head) >= 8 and even > len(head) / 5 and odd < len(head) / 40:
        return "utf-16-be"
    return "utf-8"


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8/16 when it decodes, else GBK or Big5, whichever reads as Chinese.

    Never latin-1: a file nothing decodes is file_unreadable.
    """
    encoding = _unicode_encoding(data)
    with contextlib.suppress(UnicodeDecodeError):
        text = data.decode(encoding)
        if _textual(text):
            return text.removeprefix("\ufeff"), encoding
    options = []
    for family in (("gbk", "gb18030"), ("big5", "cp950", "big5hkscs")):
        for candidate in family:  # the first codec of each family that decodes the whole file
            with contextlib.suppress(UnicodeDecodeError):
                text = data.decode(candidate)
                if _textual(text):
                    options.append((candidate, text))
                    break
        if options and _cjk_score(options[0][1])[0] >= 2:  # its Chinese headers are known column names
            break
    if options:
        encoding, text = max(options, key=lambda option: _cjk_score(option[1]))  # ties: GBK
        return text, encoding
    raise _error(
        "file_unreadable",
        f"{name} could not be read as text: it is not UTF-8, UTF-16, GBK/GB18030 or Big5 "
        "(it may be a binary file with a .csv name). Expected a CSV text file; "
        "in Excel use 'Save as > CSV UTF-8', or upload the .xlsx workbook itself.",
        f"{name} 无法作为文本读取：既不是 UTF-8、UTF-16，也不是 GBK/GB18030 或 Big5 编码"
        "（可能是改了扩展名的二进制文件）。需要 CSV 文本文件；可在 Excel 中“另存为 > CSV UTF-8”，"
        "或直接上传 .xlsx 工作簿。",
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


def _find_header(rows: list[list[str]], overrides: dict[str, str] | None) -> int:
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


def _column_names(header: list[object]) -> list[str]:
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


def _read_csv(data: bytes, name: str, overrides: dict[str, str] | None) -> _Raw:
    """Decode and parse a delimited text file (UTF-8 without a copy; other encodings via UTF-8)."""
    ext = PurePath(name).suffix.lower()
    encoding = _unicode_encoding(data)
    if encoding.startswith("utf-8") and b"\n" not in data[:SAMPLE_BYTES] and b"\r" in data[:SAMPLE_BYTES]:
        data = data.replace(b"\r", b"\n")  # classic Mac line ends
    head = _decode_head(data, encoding) if encoding in ("utf-8", "utf-8-sig") else None
    if head is not None and _textual(head):
        start = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
        try:
            return _parse_csv(data, start, head.removeprefix("\ufeff"), encoding, ext, overrides)
        except _NotUtf8:
            pass  # invalid UTF-8 further down: decode the whole file properly
    mixed: list[int] = []
    try:
        text, encoding = _decode(data, name)
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
) -> _Raw:
    """UTF-8 ``data[start:]``: header region with the csv module, body with pyarrow (csv module fallback)."""
    if len(head.encode("utf-8")) < len(data) - start and "\n" in head:
        head = head[: head.rindex("\n") + 1]  # whole lines only
    sep = _sniff_delimiter(head, ext)
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=sep)
    rows, ends = [], []
    for row in islice(reader, HEADER_SCAN):
        rows.append(row)
        ends.append(reader.line_num)
    index = _find_header(rows, overrides) if rows else 0
    names = _column_names(rows[index] if rows else [])
    header_end = ends[index] if rows else 0
    offset = start
    for _ in range(header_end):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            offset = len(data)
            break
    raw: _Raw | None = None
    if len(data) - offset < 4096 and not data[offset:].strip(b" \t\r\n,;|"):
        raw = _Raw(pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in names}), header_end, lambda p: p)
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
            raise _NotUtf8 from exc
        raw = _rows_frame(*_csv_records(text, sep, header_end), names)
    raw.header_row, raw.encoding, raw.delimiter = header_end, encoding, sep
    repeated = duplicate_header_warning(rows[index] if rows else [])
    if repeated is not None:
        raw.warnings.append(repeated)
    return raw


def _arrow_body(body: pa.Buffer, names: list[str], sep: str, text_cols: set[str], header_end: int) -> _Raw:
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
        raise _NotUtf8
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

    return _Raw(frame, header_end, line_of, typed=True, day_columns=days)


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


def _rows_frame(rows: list[list[str | None]], lines: list[int], names: list[str]) -> _Raw:
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
        names = _column_names([*names, *[None] * (int(np.median(filled)) - len(names))])
    width = len(names)
    long_rows = np.flatnonzero(lengths > width)
    spilled = [i for i in long_rows if any(c not in (None, "") and str(c).strip() for c in rows[i][width:])]
    if spilled:
        warnings.append(
            Msg(
                f"{_rows(len(spilled))} had more values than the header has columns (lines "
                f"{_listed(line_arr[spilled])}); "
                "the extra values were ignored.",
                f"有 {len(spilled)} 行的值比表头的列多（第 {_listed(line_arr[spilled])} 行），"
                "多出的值已忽略。",
            )
        )
    short = np.flatnonzero(lengths < width)
    if len(short):
        warnings.append(
            Msg(
                f"{_rows(len(short))} had fewer values than the header has columns (lines "
                f"{_listed(line_arr[short])}); "
                "the missing values were left empty.",
                f"有 {len(short)} 行的值比表头的列少（第 {_listed(line_arr[short])} 行），"
                "缺少的值按空值处理。",
            )
        )
    fixed = [r[:width] if len(r) >= width else [*r, *[None] * (width - len(r))] for r in rows]
    frame = pd.DataFrame(fixed, columns=names, dtype=object) if fixed else pd.DataFrame(columns=names)
    for col in names:
        s = frame[col].astype(TEXT_DTYPE).str.strip()
        frame[col] = s.mask(s == "")
    return _Raw(frame, 1, lambda positions: line_arr[positions], warnings=warnings)


def _rows(n: int) -> str:
    """'1 row' / '3 rows'."""
    return f"{n} row" if n == 1 else f"{n} rows"


def _listed(lines: np.ndarray | list[int], limit: int = 10) -> str:
    """'3, 7, 12' (and a count of the rest)."""
    shown = ", ".join(str(int(n)) for n in list(lines)[:limit])
    return shown + (f" … (+{len(lines) - limit})" if len(lines) > limit else "")


# --- XLSX ----------------------------------------------------------------------------------------------


def _cell(value: object) -> str | None:
    """An XLSX cell as the text a CSV export would hold (dates ISO, whole floats without '.0')."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, name: str, overrides: dict[str, str] | None) -> _Raw:
    """First sheet with a recognisable header; cached values of formula cells (never evaluated)."""
    import openpyxl  # lazy: only XLSX uploads pay for it

    check_xlsx_archive(data, name)  # zip bombs are refused from the directory, before any XML is parsed
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip/xml errors of a damaged or fake workbook
        raise _error(
            "file_unreadable",
            f"{name} could not be opened as an Excel workbook ({type(exc).__name__}). "
            "Save it again from Excel as .xlsx, or export the sheet as CSV UTF-8.",
            f"{name} 无法作为 Excel 工作簿打开（{type(exc).__name__}）。请在 Excel 中重新另存为 .xlsx，"
            "或将工作表导出为 CSV UTF-8。",
        ) from exc
    try:
        chosen = None
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            head = [[_cell(v) for v in row] for row in islice(rows, HEADER_SCAN)]
            if not any(c for row in head for c in row):
                continue
            index = _find_header(head, overrides)
            score = sum(1 for c in head[index] if c and is_known_header(c))
            if chosen is None or score > chosen[0]:
                chosen = (score, sheet.title, head, rows, index)
            if score >= 2:
                break
        if chosen is None:
            raise _error(
                "file_unreadable",
                f"{name} has no data: every sheet is empty. Expected a sheet with a header row and data "
                "rows.",
                f"{name} 没有数据：所有工作表都是空的。需要一个包含表头和数据行的工作表。",
            )
        _, title, head, rows, index = chosen
        records = head[index + 1 :] + [[_cell(v) for v in row] for row in rows]
    finally:
        workbook.close()
    keep = [i for i, r in enumerate(records) if any(c is not None for c in r)]
    raw = _rows_frame([records[i] for i in keep], [index + 2 + i for i in keep], _column_names(head[index]))
    raw.header_row, raw.sheet = index + 1, title
    repeated = duplicate_header_warning(head[index])
    if repeated is not None:
        raw.warnings.append(repeated)
    return raw


# --- values ------------------------------------------------------------------------------------------

_DMY = r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[\sT].*)?$"
_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$"


# Python's \s (str patterns) as an explicit class: pyarrow's RE2 \s misses some of these, so pandas
# would fall back to per-value re.sub for a pattern using \s.
_SPACES = r"\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_NOT_NUMBER = rf"[{_SPACES}()%¥$€£'’_]|rmb|cny|usd|eur|hkd|nt|元|人民币|万|亿"
_NA_VALUES = pa.array(_NA, pa.string())


def _text_array(s: pd.Series) -> pa.Array | pa.ChunkedArray:
    """NFKC-normalised, trimmed strings as an Arrow array (NaN becomes null)."""
    values = pa.array(s.astype(TEXT_DTYPE), from_pandas=True)
    return pc.utf8_trim_whitespace(pc.utf8_normalize(values, "NFKC"))


def _text(s: pd.Series) -> pd.Series:
    """NFKC-normalised, trimmed strings (NaN stays NaN)."""
    return pd.Series(pd.array(_text_array(s), dtype=TEXT_DTYPE), index=s.index)


def _is_text(s: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(s) or s.dtype == object


def _to_text(s: pd.Series, padded: bool = True) -> pd.Series:
    """ids and text attributes: strings exactly as in the file, trimmed; blank -> missing.

    ``padded=False``: the file has no spaces at all, so there is nothing to trim.
    """
    if pd.api.types.is_float_dtype(s) and s.dropna().mod(1).eq(0).all():
        s = s.astype("Int64")
    s = s.astype(TEXT_DTYPE)
    if not padded:
        return s
    values = pa.array(s, from_pandas=True)
    if pc.any(pc.starts_with(values, " ")).as_py() or pc.any(pc.ends_with(values, " ")).as_py():
        s = s.str.strip()
        s = s.mask(s == "")
    return s


def _to_number(s: pd.Series, decimal_comma: bool | None = None) -> tuple[pd.Series, pd.Series]:
    """Numbers from '1,234.50', '¥1 200', '(500)', '12%', '３４', '1.2万' -> float64, and a bad-value mask.

    The text work runs in pyarrow.compute on the Arrow array (a vectorised RE2 pass, no per-value
    Python).
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64"), pd.Series(False, index=s.index)
    t = pc.utf8_lower(_text_array(s))
    blank = pc.or_(pc.is_null(t), pc.fill_null(pc.is_in(t, value_set=_NA_VALUES), False))
    blank = blank.to_numpy(zero_copy_only=False)
    negative = pc.fill_null(pc.and_(pc.starts_with(t, "("), pc.ends_with(t, ")")), False)
    percent = pc.fill_null(pc.match_substring(t, "%"), False)
    scale = pc.multiply(
        pc.if_else(pc.fill_null(pc.ends_with(t, "万"), False), 1e4, 1.0),
        pc.if_else(pc.fill_null(pc.ends_with(t, "亿"), False), 1e8, 1.0),
    ).to_numpy(zero_copy_only=False)
    core = pc.replace_substring(pc.replace_substring_regex(t, _NOT_NUMBER, ""), "−", "-")
    if decimal_comma is None:
        decimal_comma = pc.any(
            pc.match_substring_regex(core, r"^-?[0-9.]*[0-9],[0-9]{1,2}$")
        ).as_py() is True and (
            pc.any(pc.match_substring_regex(core, r"^-?[0-9,]*[0-9]\.[0-9]{1,2}$")).as_py() is not True
        )
    if decimal_comma:
        core = pc.replace_substring(pc.replace_substring(core, ".", ""), ",", ".")
    else:
        core = pc.replace_substring(core, ",", "")
    try:  # every value a plain number: Arrow's parser gives the same doubles as pandas', 10x faster
        number = pc.cast(core, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        core_s = pd.Series(pd.array(core, dtype=TEXT_DTYPE), index=s.index)
        number = pd.to_numeric(core_s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    number = number * scale
    negative = negative.to_numpy(zero_copy_only=False)
    percent = percent.to_numpy(zero_copy_only=False)
    # parentheses mark a negative, percentages included: '(12%)' reads -0.12 (accounting notation)
    signed = np.where(negative, -np.abs(number), number)
    signed = np.where(percent, signed / 100, signed)
    return pd.Series(signed, index=s.index), pd.Series(np.isnan(signed) & ~blank, index=s.index)


def _dates_from_numbers(x: pd.Series) -> pd.Series:
    """yyyymmdd integers or Excel serial day numbers -> dates (NaT otherwise)."""
    x = pd.to_numeric(x, errors="coerce")
    ymd = pd.to_datetime(
        x.where(x.between(19000101, 21001231)).astype("Int64").astype(TEXT_DTYPE),
        format="%Y%m%d",
        errors="coerce",
    )
    serial = pd.to_datetime(x.where(x.between(20000, 80000)), unit="D", origin="1899-12-30", errors="coerce")
    return ymd.fillna(serial)


def _parse_date_strings(u: pd.Series, order: str) -> pd.Series:
    """Distinct date strings -> datetimes.

    ISO, 2024/3/5, 2024年3月5日, 05/03/2024 (``order``: dmy | mdy), yyyymmdd, Excel serials, month names.
    """
    out = pd.to_datetime(u, format="ISO8601", errors="coerce")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    out = out.astype("datetime64[ns]")
    rest = out.isna() & u.notna()
    if rest.any():
        r = u[rest]
        ymd, dmy = r.str.extract(_YMD), r.str.extract(_DMY)
        first, second = (dmy[1], dmy[0]) if order == "dmy" else (dmy[0], dmy[1])
        parts = pd.DataFrame(
            {"year": ymd[0].fillna(dmy[2]), "month": ymd[1].fillna(first), "day": ymd[2].fillna(second)}
        ).apply(pd.to_numeric)
        parts["year"] = parts["year"].where(parts["year"] >= 100, parts["year"] + 2000)
        ok = parts.notna().all(axis=1)
        out.loc[ok[ok].index] = pd.to_datetime(parts[ok], errors="coerce").to_numpy()
        digits = out.isna() & u.str.fullmatch(r"\d{5}|\d{8}")
        if digits.any():
            out.loc[digits] = _dates_from_numbers(u[digits]).to_numpy()
        named = out.isna() & u.str.contains(r"[a-zA-Z]") & u.str.contains(r"\d{4}")
        if named.any():
            out.loc[named] = pd.to_datetime(
                u[named], format="mixed", dayfirst=order == "dmy", errors="coerce"
            ).to_numpy()
    return out


def _to_date(s: pd.Series, order: str) -> tuple[pd.Series, pd.Series]:
    """Dates (naive, midnight) and a bad-value mask; text is parsed once per distinct value."""
    if pd.api.types.is_datetime64_any_dtype(s):
        values = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return values.dt.normalize().astype(DATE_DTYPE), pd.Series(False, index=s.index)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        values = _dates_from_numbers(s).astype(DATE_DTYPE)
        return values, values.isna() & s.notna()
    codes, uniques = pd.factorize(s.astype(TEXT_DTYPE))
    u = _text(pd.Series(uniques, dtype=TEXT_DTYPE))
    parsed = _parse_date_strings(u, order).dt.normalize().to_numpy()
    blank = u.str.lower().isin(_NA).to_numpy()
    values = np.where(codes >= 0, parsed[codes.clip(0)], np.datetime64("NaT"))
    bad = (codes >= 0) & np.isnat(values) & ~blank[codes.clip(0)]
    return pd.Series(values, index=s.index, dtype=DATE_DTYPE), pd.Series(bad, index=s.index)


def _day_order(columns: list[pd.Series]) -> tuple[str, str | None]:
    """'dmy' or 'mdy' for nn/nn/yyyy dates, decided from the data; plus an example when undecidable."""
    votes: Counter[str] = Counter()
    example = None
    for s in columns:
        if not _is_text(s):
            continue
        u = _text(pd.Series(s.dropna().unique(), dtype=TEXT_DTYPE))
        parts = u.str.extract(_DMY).dropna()
        if parts.empty:
            continue
        a, b = parts[0].astype(int), parts[1].astype(int)
        votes.update({"dmy": int((a > 12).any()), "mdy": int((b > 12).any())})
        ambiguous = u[parts.index[(a <= 12) & (b <= 12) & (a != b)]]
        if example is None and len(ambiguous):
            example = str(ambiguous.iloc[0])
    votes = +votes
    if votes:
        return votes.most_common(1)[0][0], None
    return "dmy", example


def _to_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """yes/no, y/n, 1/0, true/false, 是/否, 已流失/未流失 ... -> nullable boolean, and a bad-value mask."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    codes, uniques = pd.factorize(s.astype(TEXT_DTYPE))
    u = _text(pd.Series(uniques, dtype=TEXT_DTYPE)).str.lower()
    truth = pd.Series(pd.NA, index=u.index, dtype="boolean")
    truth[u.isin(_TRUE) | (u.str.startswith("已") & ~u.isin(_FALSE))] = True
    truth[u.isin(_FALSE) | u.str.match(r"^(未|不|非|没)")] = False
    blank = u.isin(_NA).to_numpy()
    known = truth.notna().to_numpy()
    values = pd.array(truth.to_numpy(dtype=object)[codes.clip(0)], dtype="boolean")
    values[codes < 0] = pd.NA
    bad = (codes >= 0) & ~known[codes.clip(0)] & ~blank[codes.clip(0)]
    return pd.Series(values, index=s.index), pd.Series(bad, index=s.index)


def _numeric_if_clean(s: pd.Series) -> pd.Series:
    """An unmapped text column that holds only plain numbers (no leading zeros) becomes float64."""
    if not _is_text(s) or s.isna().all() or s.str.match(r"^0\d").any():
        return s
    number = pd.to_numeric(s, errors="coerce")
    return number.astype("float64") if number.notna().sum() == s.notna().sum() else s


# --- mapping, cleaning, validation -------------------------------------------------------------------


def _required(kind: str) -> set[str]:
    """Columns that must be filled in every row ('a|b' alternatives are not enforced per row)."""
    return {req for req in CANONICAL[kind]["required"] if "|" not in req}


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows with no value at all (Excel's empty rows, ',,,,' lines)."""
    blank = frame.iloc[:, 0].isna().to_numpy(copy=True)
    if blank.any():
        blank[blank] = frame[blank].isna().all(axis=1).to_numpy()
    return pd.Series(blank, index=frame.index)


def _prefix_hits(s: pd.Series) -> np.ndarray:
    """Rows whose text starts like a total keyword (a cheap pyarrow prefilter: first three UTF-8 bytes)."""
    text = pc.cast(pa.array(s.astype(TEXT_DTYPE), from_pandas=True), pa.large_binary())
    hits = pc.is_in(pc.binary_slice(text, 0, 3), value_set=_TOTAL_HEADS)
    return pc.fill_null(hits, False).to_numpy(zero_copy_only=False)


def _says_total(values: pd.Series, exact: bool) -> np.ndarray:
    """Cells that are a total label: 'Total', '合计：' (exact) or start with one ('Total 2024')."""
    pattern = _TOTAL_EXACT if exact else _TOTAL_PREFIX
    norm = values.astype(TEXT_DTYPE).str.normalize("NFKC").str.strip().str.lower()
    return norm.map(lambda v: isinstance(v, str) and bool(pattern.match(v))).to_numpy(dtype=bool)


def _total_rows(frame: pd.DataFrame, mapped: set[str]) -> pd.Series:
    """Total/subtotal rows: a label such as 合计/总计/小计/Total/Subtotal/Grand total, or no id but numbers.

    The id (else first) column is scanned in full; other text columns only where the id is empty, which is
    where a total's label sits when it is not in the id column.
    """
    key = next((c for c in ID_COLUMNS if c in mapped), frame.columns[0])
    mask = np.zeros(len(frame), dtype=bool)
    for col in dict.fromkeys([key, frame.columns[0]]):
        if _is_text(frame[col]):
            candidates = np.flatnonzero(_prefix_hits(frame[col]))
            if len(candidates):
                mask[candidates[_says_total(frame[col].iloc[candidates], exact=False)]] = True
    no_key = np.flatnonzero(frame[key].isna().to_numpy() & ~mask)
    if len(no_key):
        sub = frame.iloc[no_key]
        for col in sub.columns:
            if _is_text(sub[col]) and sub[col].notna().any():
                mask[no_key[_says_total(sub[col], exact=True)]] = True
        numbers = [c for c in sub.columns if c in mapped and column_type(c) == "number"]
        others = [c for c in sub.columns if c in mapped and c != key and column_type(c) != "number"]
        if key in mapped and numbers:
            mask[no_key[(sub[numbers].notna().any(axis=1) & sub[others].isna().all(axis=1)).to_numpy()]] = (
                True
            )
    return pd.Series(mask, index=frame.index)


def _convert(
    frame: pd.DataFrame, mapped: set[str], raw: _Raw, days: set[str]
) -> tuple[pd.DataFrame, str | None]:
    """Canonical dtypes for mapped columns; unparseable values stay as the raw text for pandera to report.

    ``days`` are columns pyarrow parsed as dates (already midnight, DATE_DTYPE).
    """
    dates = [c for c in frame.columns if c in mapped and column_type(c) == "date"]
    order, ambiguous = _day_order([frame[c] for c in dates])
    frame = frame.copy(deep=False)
    for col in [c for c in frame.columns if c in mapped]:
        s = frame[col]
        kind = column_type(col)
        if kind in ("id", "text"):
            frame[col] = _to_text(s, raw.padded)
            continue
        if kind == "number":
            values, bad = _to_number(s, None if raw.delimiter == ";" else False)
        elif kind == "date":
            values, bad = (s, pd.Series(False, index=s.index)) if col in days else _to_date(s, order)
        else:
            values, bad = _to_bool(s)
        frame[col] = values.astype(object).where(~bad, s) if bad.any() else values
    return frame, ambiguous


def _duplicates(frame: pd.DataFrame) -> pd.Series:
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
    key = next((c for c in _DUPLICATE_KEYS if c in frame and _is_text(frame[c])), None)
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


def _problem(check: str, column: str, value: object) -> tuple[str, Msg]:
    """(group key, reason) for one pandera failure case."""
    ctype = column_type(column)
    if check == "not_nullable":
        return "empty", Msg(f"{column} is empty (a value is required)", f"{column} 为空（此列必填）")
    if check.startswith("coerce_dtype") and ctype == "number":
        return "number", Msg(
            f"{column}: {{values}} is not a number (expected e.g. 1234.5, 1,234, ¥1 200, (500) or 12%)",
            f"{column}：{{values}} 不是数字（应为 1234.5、1,234、¥1 200、(500) 或 12% 这样的数值）",
        )
    if check.startswith("coerce_dtype") and ctype == "date":
        return "date", Msg(
            f"{column}: {{values}} is not a date (expected e.g. 2024-03-05, 2024/3/5, 2024年3月5日 or "
            "05/03/2024)",
            f"{column}：{{values}} 不是日期（应为 2024-03-05、2024/3/5、2024年3月5日 或 05/03/2024 "
            "这样的日期）",
        )
    if check.startswith("coerce_dtype") and ctype == "bool":
        return "bool", Msg(
            f"{column}: {{values}} is not yes/no (expected yes/no, 1/0, true/false or 是/否)",
            f"{column}：{{values}} 不是是/否值（应为 是/否、yes/no、1/0 或 true/false）",
        )
    return check, Msg(
        f"{column}: {{values}} fails the check {check}", f"{column}：{{values}} 未通过检查 {check}"
    )


def _validate(frame: pd.DataFrame, kind: str, derived: bool) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Lazy pandera validation: (coerced frame, no cases) or (None, row-level failure cases, one per cell)."""
    try:
        valid = SCHEMAS[kind].validate(frame, lazy=True, inplace=True)
        return valid, pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    except pa_errors.SchemaErrors as err:
        cases = err.failure_cases
    cases = cases[cases["index"].notna() & ~cases["check"].astype(str).str.startswith("dtype(")]
    cases = cases.drop_duplicates(["column", "index"])
    if derived:  # a computed revenue is missing only because quantity or unit_price is bad
        other = set(cases.loc[cases["column"] != "revenue", "index"])
        cases = cases[(cases["column"] != "revenue") | ~cases["index"].isin(other)]
    return None, cases


def _bad_row_reports(cases: pd.DataFrame, line_of: Callable[[np.ndarray], np.ndarray]) -> list[DroppedRows]:
    """One DroppedRows per (column, problem), naming up to three offending values and the file lines."""
    labels = np.array(sorted(set(cases["index"])), dtype=np.int64)
    lines = dict(zip(labels, line_of(labels), strict=True))
    groups: dict[tuple[str, str], tuple[Msg, list[int], list[str]]] = {}
    for column, check, value, label in cases[["column", "check", "failure_case", "index"]].itertuples(
        index=False
    ):
        key, reason = _problem(str(check), str(column), value)
        entry = groups.setdefault((str(column), key), (reason, [], []))
        entry[1].append(int(lines[int(label)]))
        if key != "empty" and f"'{value}'" not in entry[2]:
            entry[2].append(f"'{value}'")
    reports = []
    for reason, rows, values in groups.values():
        shown = ", ".join(values[:3]) + (" …" if len(values) > 3 else "")
        rows = sorted(rows)
        reports.append(DroppedRows(reason.format(values=shown), len(rows), rows[:MAX_LISTED]))
    return reports


def _canonicalise(raw: _Raw, name: str, overrides: dict[str, str] | None, forced: str | None) -> Dataset:
    """Map, clean, convert and validate a raw table into a Dataset with its report."""
    columns = list(raw.frame.columns)
    ranked = [] if forced else rank_kinds(columns, overrides, raw.frame.head(500))
    kind, mapping = (forced, map_columns(columns, overrides, kind=forced)) if forced else ranked[0]
    missing = missing_required(kind, covered_columns(kind, set(mapping.values())))
    if not missing and not forced and not is_complete(kind, set(mapping.values())):
        missing = ["|".join(sorted(SIGNATURE[kind]))]
    if missing:
        raise _missing_columns(name, kind, missing, columns, mapping, forced is not None)
    warnings = [*raw.warnings, *_override_warnings(name, overrides, columns, mapping)]
    near = next(
        (r for r in ranked if not is_complete(r[0], set(r[1].values())) and len(r[1]) > len(mapping)), None
    )
    if near:  # e.g. orders without a date read as a customer list: say what would make it the other kind
        warnings.append(_near_miss(kind, *near))
    mapped = set(mapping.values())
    rename = {c: (f"{c} (unmapped)" if c in mapped else c) for c in columns if c not in mapping}
    rename.update(mapping)
    unmapped = [rename[c] for c in columns if c not in mapping]
    source_of = {canon: src for src, canon in mapping.items()}
    frame = raw.frame.copy(deep=False)  # no data copy, on pandas 2 (no copy-on-write) too
    frame.columns = [rename[c] for c in columns]
    blank = _blank_rows(frame)
    if blank.any():
        frame = frame[~blank]
    rows_read = len(frame)
    dropped: list[DroppedRows] = []

    totals = _total_rows(frame, mapped)
    if totals.any():
        lines = raw.line_of(totals.index[totals].to_numpy())
        dropped.append(
            DroppedRows(
                Msg(
                    "total or subtotal row (合计/Total): dropped so that nothing is counted twice",
                    "合计/小计行：已删除，避免重复计算",
                ),
                int(totals.sum()),
                lines[:MAX_LISTED].tolist(),
            )
        )
        frame = frame[~totals]

    frame, ambiguous = _convert(frame, mapped, raw, {rename[c] for c in raw.day_columns})
    if not raw.typed:
        for col in unmapped:
            frame[col] = _numeric_if_clean(frame[col])
    derived = kind == "transactions" and "revenue" not in mapped
    if derived:
        frame["revenue"] = pd.to_numeric(frame["quantity"], errors="coerce") * pd.to_numeric(
            frame["unit_price"], errors="coerce"
        )
        warnings.append(
            Msg(
                "There is no revenue column, so revenue was computed as quantity × unit_price.",
                "没有销售额列，销售额按 数量 × 单价 计算。",
            )
        )

    valid, cases = _validate(frame, kind, derived)
    for col, n_bad in cases.groupby("column")["index"].nunique().items():
        if col not in _required(kind) and n_bad > frame[col].notna().sum() / 2:
            # mostly unreadable: probably not what its name suggests; keep the column as it was
            src = source_of[str(col)]
            keep_as = f"{src} (unmapped)" if src in kind_columns(kind) else src
            frame = frame.drop(columns=col).assign(**{keep_as: raw.frame.loc[frame.index, src]})
            unmapped.append(keep_as)
            del mapping[src]
            cases = cases[cases["column"] != col]
            warnings.append(
                Msg(
                    f"Column '{src}' looked like {col}, but most of its values cannot be read as such; "
                    f"it was kept unchanged and not used as {col}.",
                    f"列“{src}”看起来是 {col}，但大多数值无法识别，已按原样保留，不作为 {col} 使用。",
                )
            )
    if valid is None and not cases.empty:
        bad = pd.Index(cases["index"].unique())
        reports = _bad_row_reports(cases, raw.line_of)
        if len(bad) > len(frame) / 2:
            raise _too_many_bad(name, len(bad), len(frame), reports, mapping)
        dropped.extend(reports)
        frame = frame.drop(index=bad)
    frame = valid if valid is not None else SCHEMAS[kind].validate(frame, lazy=True, inplace=True)

    for col in frame.columns:
        if frame[col].dtype == "boolean" and col in mapped and not frame[col].isna().any():
            frame[col] = frame[col].astype(bool)
    warnings += _value_warnings(frame, raw.line_of, ambiguous)
    future = future_date_warning(frame)
    if future is not None:
        warnings.append(future)
    frame.index = pd.RangeIndex(len(frame))
    report = IngestReport(
        filename=name,
        kind=kind,
        rows_read=rows_read,
        rows_kept=len(frame),
        mapping=mapping,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
        unmapped=unmapped,
        dropped=dropped,
        warnings=warnings,
    )
    return Dataset(kind, frame, [report])


def _value_warnings(
    frame: pd.DataFrame, line_of: Callable[[np.ndarray], np.ndarray], ambiguous: str | None
) -> list[Msg]:
    """Refunds/credit notes, several currencies, within-file duplicates, undecidable day/month order."""
    warnings = []
    for col in ("revenue", "amount"):
        if col in frame and (n := int((frame[col] < 0).sum())):
            warnings.append(
                Msg(
                    f"Negative {col} in {_rows(n)} (refunds or credit notes): kept; they reduce the totals.",
                    f"有 {n} 行的 {col} 为负数（退款或红字发票），已保留，会冲减合计。",
                )
            )
    if "currency" in frame and frame["currency"].nunique() > 1:
        found = ", ".join(map(str, frame["currency"].dropna().unique()[:5]))
        warnings.append(
            Msg(
                f"Several currencies in this file ({found}); amounts in different currencies are never "
                "added together.",
                f"文件中有多种币种（{found}），不同币种的金额不会直接相加。",
            )
        )
    duplicated = _duplicates(frame)
    if duplicated.any():
        lines = line_of(frame.index[duplicated].to_numpy())
        warnings.append(
            Msg(
                f"Exact repeats of an earlier row: {_rows(int(duplicated.sum()))} (lines "
                f"{_listed(lines)}), kept. "
                "Check whether they are real repeat orders or a double export.",
                f"有 {int(duplicated.sum())} 行与前面的某行完全相同（第 {_listed(lines)} 行），已保留。"
                "请确认是真实的重复订单还是重复导出。",
            )
        )
    if ambiguous:
        warnings.append(
            Msg(
                f"Dates such as '{ambiguous}' could be day/month or month/day and nothing in the file "
                "decides it; "
                "they were read as day/month/year. If they are month/day/year, save the dates as 2024-03-05 "
                "and upload again.",
                f"“{ambiguous}”这样的日期既可能是日/月也可能是月/日，文件中无法判断；已按 日/月/年 读取。"
                "如果实际是 月/日/年，请把日期改成 2024-03-05 格式后重新上传。",
            )
        )
    return warnings


def _override_warnings(
    name: str, overrides: dict[str, str] | None, columns: list[str], mapping: dict[str, str]
) -> list[Msg]:
    """Corrections that could not be applied (no such column, unknown target)."""
    out = []
    normalised = {normalise_header(c) for c in columns}
    for source, target in (overrides or {}).items():
        if source not in columns and normalise_header(source) not in normalised:
            out.append(
                Msg(
                    f"{name} has no column '{source}', so the correction '{source} → {target}' was not used.",
                    f"{name} 中没有“{source}”列，更正“{source} → {target}”未使用。",
                )
            )
        elif target not in mapping.values() and canonical_name(target) not in mapping.values():
            out.append(
                Msg(
                    f"'{target}' is not a known column name, so '{source}' was left as it is.",
                    f"“{target}”不是可识别的列名，“{source}”保持原样。",
                )
            )
    return out


# --- errors --------------------------------------------------------------------------------------------


def _alternatives(req: str, lang: str) -> str:
    return (" 或 " if lang == "zh" else " or ").join(req.split("|"))


def _missing_columns(
    name: str, kind: str, missing: list[str], columns: list[str], mapping: dict[str, str], forced: bool
) -> IngestError:
    """missing_columns: the file, the kind, what is missing, the synonyms expected and the columns found."""
    found = ", ".join(columns) or "(none)"
    hint = next((c for c in columns if c not in mapping), columns[0] if columns else "X")
    target = missing[0].split("|")[0]
    fix_en = f"If one of them holds it, say e.g. \"treat '{hint}' as {target}\" (--map '{hint}={target}')."
    fix_zh = f"如果其中某列就是它，可以说“把'{hint}'当作{target}”（--map '{hint}={target}'）。"
    if not mapping and not forced:
        needs = "; ".join(
            f"{k}: {', '.join(_alternatives(r, 'en') for r in CANONICAL[k]['required'])}" for k in KINDS
        )
        needs_zh = "；".join(
            f"{KIND_NAMES[k].zh}：{'、'.join(_alternatives(r, 'zh') for r in CANONICAL[k]['required'])}"
            for k in KINDS
        )
        return _error(
            "missing_columns",
            f"{name}: none of the columns is a known column name, so the kind of table cannot be recognised. "
            f"Columns found: {found}. Expected at least the columns of one table kind ({needs}), "
            "named in English or Chinese (e.g. customer_id / 客户编号, date / 日期, revenue / 销售额). "
            + fix_en,
            f"{name}：没有可识别的列名，无法判断表的类型。文件中的列：{'、'.join(columns)}。"
            f"至少需要某一类表的必需列（{needs_zh}），可用中文或英文列名（如 客户编号/customer_id、"
            "日期/date、销售额/revenue）。" + fix_zh,
        )
    expected_en = "; ".join(
        f"{_alternatives(m, 'en')} (e.g. {', '.join(e for c in m.split('|') for e in examples(c))})"
        for m in missing
    )
    missing_en = ", ".join(_alternatives(m, "en") for m in missing)
    missing_zh = "、".join(_alternatives(m, "zh") for m in missing)
    expected_zh = "；".join(
        f"{_alternatives(m, 'zh')}（如 {'、'.join(e for c in m.split('|') for e in examples(c))}）"
        for m in missing
    )
    recognised = ", ".join(f"{s} → {c}" for s, c in mapping.items()) or "none"
    kind_name = KIND_NAMES[kind]
    return _error(
        "missing_columns",
        f"{name} looks like a {kind_name.en} table but lacks the required column(s) {missing_en}. "
        f"Expected a column named like: {expected_en}. Columns found: {found} "
        f"(recognised: {recognised}). " + fix_en,
        f"{name} 看起来是{kind_name.zh}表，但缺少必需的列 {missing_zh}。需要这样命名的列：{expected_zh}。"
        f"文件中的列：{'、'.join(columns)}（已识别：{recognised if mapping else '无'}）。" + fix_zh,
    )


def _near_miss(kind: str, other: str, mapping: dict[str, str]) -> Msg:
    """Read as ``kind``, but the columns fit ``other`` better, which lacks a required column."""
    missing = missing_required(other, covered_columns(other, set(mapping.values()))) or [
        "|".join(sorted(SIGNATURE.get(other, ())))
    ]
    need = missing[0].split("|")[0]
    names_en, names_zh = ", ".join(examples(need)), "、".join(examples(need))
    return Msg(
        f"Read as a {KIND_NAMES[kind].en} table. If this is a {KIND_NAMES[other].en} table, it lacks a "
        f"{need} "
        f"column (named e.g. {names_en}); rename that column or correct the mapping (--map 'X={need}').",
        f"已按{KIND_NAMES[kind].zh}表读取。如果这是{KIND_NAMES[other].zh}表，则缺少 {need} 列（列名如 "
        f"{names_zh}）；"
        f"请重命名该列或更正映射（--map 'X={need}'）。",
    )


def _too_many_bad(
    name: str, n_bad: int, n_rows: int, reports: list[DroppedRows], mapping: dict[str, str]
) -> IngestError:
    """missing_columns: more than half of the rows have unusable values (probably a wrong column)."""
    top = reports[0] if reports else None
    first_en = f" First problem: {top.reason.en} (lines {_listed(top.rows, 5)})." if top else ""
    first_zh = f"首个问题：{top.reason.zh}（第 {_listed(top.rows, 5)} 行）。" if top else ""
    used = ", ".join(f"{s} → {c}" for s, c in mapping.items())
    return _error(
        "missing_columns",
        f"{name}: {n_bad} of {n_rows} rows have missing or unreadable values in required columns, so the "
        "file "
        f"cannot be used.{first_en} Columns were read as: {used}. Expected numbers in amount columns and "
        "dates "
        "in date columns; if a column was matched wrongly, correct it (e.g. --map 'sales=quantity').",
        f"{name}：{n_rows} 行中有 {n_bad} 行的必需列为空或无法识别，文件无法使用。{first_zh}"
        f"列的识别结果：{used}。金额列应为数字、日期列应为日期；如果某列识别错了，请更正（例如“把'sales'当作数量”）。",
    )
