"""Checks for hostile uploads that ingestion runs before and after parsing (issue 6, "Hostile input").

- :func:`check_xlsx_archive`: an XLSX is a zip; its declared uncompressed sizes and compression ratios are
  checked before any XML is parsed, so a 1 MB "zip bomb" whose sheet inflates to gigabytes is refused
  in microseconds (Python's zipfile never inflates a member beyond its declared size: CRC error).
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
MAX_XLSX_UNCOMPRESSED = 1024 * MB  # all members together, inflated
MAX_XLSX_RATIO = 150  # inflated / compressed, per member (real sheets: 5-30; a bomb: ~1000)
RATIO_FLOOR = 4 * MB  # members smaller than this inflated are never a problem
MAX_XLSX_MEMBERS = 10_000
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


def check_xlsx_archive(data: bytes, name: str, max_uncompressed: int = MAX_XLSX_UNCOMPRESSED) -> None:
    """Raise IngestError (too_large) when the workbook would inflate beyond the limits.

    Damaged archives are left to the workbook reader, which reports them as unreadable.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(members) > MAX_XLSX_MEMBERS:
        raise _refuse(
            name,
            f"it holds {len(members):,} parts (at most {MAX_XLSX_MEMBERS:,} expected).",
            f"其中包含 {len(members):,} 个部件（最多应为 {MAX_XLSX_MEMBERS:,} 个）。",
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
