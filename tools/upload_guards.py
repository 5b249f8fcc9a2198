"""Checks for hostile uploads that ingestion runs before and after parsing (issue 6, "Hostile input").

- :func:`check_xlsx_archive`: an XLSX is a zip; its declared uncompressed sizes (in total and per
  member), its compression ratios (per member and over the whole archive) and its number of sheets
  are checked before any XML is parsed, so a 1 MB "zip bomb" whose sheet inflates to gigabytes, or a
  2 MB workbook of 1,000 sheets of 1 MB each, is refused in microseconds (Python's zipfile never
  inflates a member beyond its declared size: CRC error). Then the worksheets' cells are counted by
  streaming the XML (no parsing), so a workbook with more cells than the limit is refused before
  openpyxl builds a single row. (The server also parses workbooks in a worker process it stops at a
  time limit: agent/security/uploads.py.)
- :func:`decode_by_line`: a file mixing UTF-8 lines with GBK/GB18030 lines (two exports concatenated) is
  decoded line by line, and the lines read as GBK are reported.
- :func:`duplicate_header_warning`, :func:`future_date_warning`: warnings for the ingestion report.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import Counter

import pandas as pd

from core.text import Msg
from tools.errors import IngestError

MB = 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 512 * MB  # all members together, inflated
MAX_XLSX_RATIO = 150  # inflated / compressed, per member (real sheets: 5-30; a bomb: ~1000)
RATIO_FLOOR = 4 * MB  # members smaller than this inflated are never a problem
TOTAL_RATIO_FLOOR = 16 * MB  # the whole archive's ratio counts above this many inflated bytes
MAX_XLSX_MEMBERS = 10_000
MAX_XLSX_SHEETS = 200  # worksheets and chartsheets
MAX_XLSX_CELLS = 20_000_000  # <c> elements over all worksheets
SCAN_CHUNK = 4 * MB
FUTURE_DATE_COLUMNS = ("date", "invoice_date", "paid_date", "signup_date", "churn_date")


def _refuse(name: str, en: str, zh: str) -> IngestError:
    return IngestError(
        Msg(
            f"{name} was refused: {en} This looks like a damaged or malicious workbook (a 'zip bomb'). "
            "Expected an ordinary .xlsx saved from Excel or WPS; or export the sheet as CSV UTF-8.",
            f"{name} 已被拒绝：{zh}这像是损坏或恶意构造的工作簿（“压缩炸弹”）。"
            "需要由 Excel 或 WPS 正常保存的 .xlsx；也可将工作表导出为 CSV UTF-8。",
        ),
        code="too_large",
    )


def _is_sheet(member: str) -> bool:
    return member.startswith(("xl/worksheets/", "xl/chartsheets/")) and member.endswith(".xml")


def check_xlsx_archive(
    data: bytes,
    name: str,
    max_uncompressed: int | None = None,
    *,
    max_sheets: int | None = None,
    max_cells: int | None = None,
    count_cells: bool = True,
) -> None:
    """Raise IngestError (too_large) when the workbook would inflate or sprawl beyond the limits.

    Limits default to this module's ``MAX_XLSX_*`` values at call time (the server sets them from its
    settings in the worker that parses workbooks). ``count_cells=False`` checks only the zip listing
    (microseconds). Damaged archives are left to the workbook reader, which reports them as unreadable.
    """
    max_uncompressed = MAX_XLSX_UNCOMPRESSED if max_uncompressed is None else max_uncompressed
    max_sheets = MAX_XLSX_SHEETS if max_sheets is None else max_sheets
    max_cells = MAX_XLSX_CELLS if max_cells is None else max_cells
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > MAX_XLSX_MEMBERS:
        raise _refuse(
            name,
            f"it holds {len(members):,} parts (at most {MAX_XLSX_MEMBERS:,} expected).",
            f"其中包含 {len(members):,} 个部件（最多应为 {MAX_XLSX_MEMBERS:,} 个）。",
        )
    sheets = [m for m in members if _is_sheet(m.filename)]
    if len(sheets) > max_sheets:
        raise _refuse(
            name,
            f"it has {len(sheets):,} sheets, more than the {max_sheets:,} this server reads.",
            f"其中有 {len(sheets):,} 个工作表，超过本服务器可读取的 {max_sheets:,} 个。",
        )
    total = sum(m.file_size for m in members)
    if total > max_uncompressed:
        raise _refuse(
            name,
            f"its {len(data) / MB:.3g} MB expand to {total / MB:,.0f} MB when unpacked, above the limit of "
            f"{max_uncompressed / MB:,.0f} MB.",
            f"文件 {len(data) / MB:.3g} MB，解压后为 {total / MB:,.0f} MB，超过 {max_uncompressed / MB:,.0f} MB "
            "的上限。",
        )
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > RATIO_FLOOR and ratio > MAX_XLSX_RATIO:
            raise _refuse(
                name,
                f"part '{m.filename[:80]}' expands {ratio:,.0f} times (from {m.compress_size / MB:.3g} MB to "
                f"{m.file_size / MB:,.0f} MB); ordinary workbooks expand at most about {MAX_XLSX_RATIO} times.",
                f"部件“{m.filename[:80]}”解压后膨胀 {ratio:,.0f} 倍（从 {m.compress_size / MB:.3g} MB 到 "
                f"{m.file_size / MB:,.0f} MB）；正常工作簿最多约 {MAX_XLSX_RATIO} 倍。",
            )
    packed = sum(m.compress_size for m in members)
    if total > TOTAL_RATIO_FLOOR and total / max(packed, 1) > MAX_XLSX_RATIO:
        raise _refuse(
            name,
            f"its parts expand {total / max(packed, 1):,.0f} times together (from {packed / MB:.3g} MB to "
            f"{total / MB:,.0f} MB); ordinary workbooks expand at most about {MAX_XLSX_RATIO} times.",
            f"其部件合计解压后膨胀 {total / max(packed, 1):,.0f} 倍（从 {packed / MB:.3g} MB 到 "
            f"{total / MB:,.0f} MB）；正常工作簿最多约 {MAX_XLSX_RATIO} 倍。",
        )
    if count_cells:
        cells = count_xlsx_cells(archive, sheets, max_cells)
        if cells > max_cells:
            raise _refuse(
                name,
                f"its sheets hold more than {max_cells:,} cells, the most this server reads from one file.",
                f"其工作表中的单元格超过 {max_cells:,} 个，即本服务器单个文件可读取的上限。",
            )


def _cell_tags(block: bytes) -> int:
    return block.count(b"<c ") + block.count(b"<c>") + block.count(b":c r=")


def count_xlsx_cells(archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], limit: int) -> int:
    """Cells (``<c`` elements) in these worksheets, streamed in chunks; stops counting past ``limit``."""
    total = 0
    for member in sheets:
        tail = b""
        try:
            with archive.open(member) as fh:
                while chunk := fh.read(SCAN_CHUNK):
                    block = tail + chunk
                    # a tag split across two chunks is found in tail + chunk; one wholly inside the
                    # tail was counted with the previous chunk
                    total += _cell_tags(block) - _cell_tags(tail)
                    tail = block[-4:]
                    if total > limit:
                        return total
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            return total  # damaged: the workbook reader reports it
    return total


def decode_by_line(data: bytes) -> tuple[str, list[int]] | None:
    """(text, 1-based lines read as GB18030) when every line is UTF-8 or GB18030 and both occur; else None."""
    lines = data.split(b"\n")
    out, other = [], []
    for i, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                out.append(line.decode("gb18030"))
            except UnicodeDecodeError:
                return None
            other.append(i)
    if not other or len(other) == len(lines):
        return None
    text = "\n".join(out).removeprefix("\ufeff")
    if "\x00" in text:
        return None
    return text, other


def mixed_encoding_warning(lines: list[int]) -> Msg:
    shown = ", ".join(map(str, lines[:10])) + (f" … (+{len(lines) - 10})" if len(lines) > 10 else "")
    return Msg(
        f"The file mixes encodings: most lines are UTF-8 but {len(lines)} line(s) are GBK/GB18030 "
        f"(lines {shown}); each line was read in its own encoding. Check those rows' text.",
        f"文件混用了多种编码：大部分行为 UTF-8，但有 {len(lines)} 行为 GBK/GB18030（第 {shown} 行）；"
        "已按各行自身的编码读取。请核对这些行的文字。",
    )


def duplicate_header_warning(header: list[object]) -> Msg | None:
    """A warning naming header cells that occur more than once (the first of each is the one used)."""
    names = [str(c).strip() for c in header if c is not None and str(c).strip()]
    repeated = [n for n, k in Counter(names).items() if k > 1]
    if not repeated:
        return None
    shown = ", ".join(f"'{n[:60]}'" for n in repeated[:10])
    return Msg(
        f"Column name(s) {shown} appear more than once in the header; the first of each is used and "
        "the repeats are kept as 'name.1', 'name.2'. If a repeat is the one you meant, say e.g. "
        "\"treat 'revenue.1' as revenue\".",
        f"表头中列名 {shown} 出现了不止一次；使用第一个，重复的列保留为“列名.1”“列名.2”。"
        "如果想用重复的那一列，可以说“把'revenue.1'当作收入”。",
    )


def future_date_warning(frame: pd.DataFrame, today: datetime.date | None = None) -> Msg | None:
    """A warning when event dates lie after today (typos such as 2099, or a wrong day/month order)."""
    today = today or datetime.date.today()
    limit = pd.Timestamp(today) + pd.Timedelta(days=1)
    found = []
    for col in FUTURE_DATE_COLUMNS:
        if col in frame and pd.api.types.is_datetime64_any_dtype(frame[col]):
            late = frame[col] >= limit
            n = int(late.sum())
            if n:
                found.append((col, n, frame[col][late].max()))
    if not found:
        return None
    en = "; ".join(f"{col}: {n} row(s), latest {pd.Timestamp(m).date().isoformat()}" for col, n, m in found)
    zh = "；".join(f"{col}：{n} 行，最晚 {pd.Timestamp(m).date().isoformat()}" for col, n, m in found)
    return Msg(
        f"Dates in the future (after {today.isoformat()}) — {en}. They were kept; the reference date for "
        "recency and relative periods is the latest date in the data, so check these rows.",
        f"存在未来日期（晚于 {today.isoformat()}）——{zh}。已保留；最近度和相对期间以数据中最晚的日期为"
        "基准，请核对这些行。",
    )
