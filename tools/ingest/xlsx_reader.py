"""Workbooks -> raw tables: every visible sheet with a recognisable header, one table per sheet.

Read with python-calamine: XLSX and XLSM (Transitional and Strict Open XML), legacy XLS, XLSB and ODS;
cached values of formula cells (never evaluated). Merged title cells above the header are title rows
(skipped like any title row); a header spanning two rows is joined (tools/ingest/header.py). Zip
archives are checked for bombs from their directory before any XML is parsed.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from core.text import Msg
from prompts import ingest as W
from tools.ingest.common import HEADER_SCAN, Raw, error
from tools.ingest.csv_reader import column_names, find_header, rows_frame
from tools.ingest.header import two_line_header
from tools.schemas import is_known_header
from tools.upload_guards import check_xlsx_archive, duplicate_header_warning


@dataclass
class Workbook:
    """The sheets read (in workbook order) and what was said about the others."""

    sheets: list[Raw]
    skipped: list[Msg]


def _cell(value: object) -> str | None:
    """A cell as the text a CSV export would hold (dates ISO, whole floats without '.0', '' -> None)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _open(data: bytes, name: str):  # noqa: ANN202 - python_calamine.CalamineWorkbook
    import python_calamine  # lazy: only workbook uploads pay for it

    if data.startswith(b"PK\x03\x04"):
        check_xlsx_archive(data, name)  # zip bombs are refused from the directory, before any XML is parsed
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # damaged, fake or password-protected workbooks
        locked = type(exc).__name__ == "PasswordError" or "password" in str(exc).lower()
        raise error(
            "file_unreadable",
            f"{name} could not be opened as an Excel workbook ({'password-protected' if locked else type(exc).__name__}). "
            "Save it again from Excel as .xlsx without a password, or export the sheet as CSV UTF-8.",
            f"{name} 无法作为 Excel 工作簿打开（{'受密码保护' if locked else type(exc).__name__}）。"
            "请在 Excel 中重新另存为不带密码的 .xlsx，或将工作表导出为 CSV UTF-8。",
        ) from exc


def _merged(sheet: object) -> list:
    """The sheet's merged ranges ((row, col), (row, col)), 0-based; [] where the format has none."""
    try:
        return list(getattr(sheet, "merged_cell_ranges", None) or [])
    except Exception:  # noqa: BLE001 - merge information is a hint, never a reason to fail
        return []


def _sheet_raw(title: str, records: list[list[str | None]], merged: list, overrides: dict[str, str] | None):
    """(Raw, known-header score) of one sheet, or None when it is empty."""
    head = records[:HEADER_SCAN]
    if not any(c for row in head for c in row):
        return None
    index = find_header(head, overrides)
    names, last = two_line_header(head, index, merged)
    score = sum(1 for c in names if c and is_known_header(c))
    body = records[last + 1 :]
    keep = [i for i, r in enumerate(body) if any(c is not None for c in r)]
    raw = rows_frame([body[i] for i in keep], [last + 2 + i for i in keep], column_names(names))
    raw.header_row, raw.sheet = last + 1, title
    if last != index:
        example = next((str(n) for n, h in zip(names, head[index], strict=False) if n and n != h), "")
        raw.warnings.append(
            W.TWO_LINE_HEADER.format(first=min(index, last) + 1, second=last + 1, example=example)
        )
    repeated = duplicate_header_warning(names)
    if repeated is not None:
        raw.warnings.append(repeated)
    return raw, score


def read_workbook(data: bytes, name: str, overrides: dict[str, str] | None) -> Workbook:
    """Every visible sheet with a recognisable header (two or more known column names); when none has
    one, the sheet whose header is recognised best (as a CSV would be read)."""
    workbook = _open(data, name)
    found: list[tuple[Raw, int]] = []
    skipped: list[Msg] = []
    try:
        for meta in workbook.sheets_metadata:
            if str(meta.visible).rsplit(".", 1)[-1].lower() != "visible":
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            records = [[_cell(v) for v in row] for row in rows]
            got = _sheet_raw(meta.name, records, _merged(sheet), overrides)
            if got is not None:
                found.append(got)
    finally:
        workbook.close()
    if not found:
        raise error(
            "file_unreadable",
            f"{name} has no data: every sheet is empty. Expected a sheet with a header row and data rows.",
            f"{name} 没有数据：所有工作表都是空的。需要一个包含表头和数据行的工作表。",
        )
    readable = [raw for raw, score in found if score >= 2]
    if not readable:
        readable = [max(found, key=lambda pair: pair[1])[0]]
    for raw, _ in found:
        if all(raw is not r for r in readable):
            skipped.append(
                Msg(
                    W.SHEET_SKIPPED.en.format(sheet=raw.sheet, reason=W.SHEET_NO_HEADER.en),
                    W.SHEET_SKIPPED.zh.format(sheet=raw.sheet, reason=W.SHEET_NO_HEADER.zh),
                )
            )
    return Workbook(readable, skipped)
