"""XLSX -> raw table: the first sheet with a recognisable header (after the zip guards).
"""

from __future__ import annotations

import datetime
import io
from itertools import islice

from tools.ingest.common import HEADER_SCAN, Raw, error
from tools.ingest.csv_reader import column_names, find_header, rows_frame
from tools.schemas import (
    is_known_header,
)
from tools.upload_guards import (
    check_xlsx_archive,
    duplicate_header_warning,
)

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


def read_xlsx(data: bytes, name: str, overrides: dict[str, str] | None) -> Raw:
    """First sheet with a recognisable header; cached values of formula cells (never evaluated)."""
    import openpyxl  # lazy: only XLSX uploads pay for it

    check_xlsx_archive(data, name)  # zip bombs are refused from the directory, before any XML is parsed
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip/xml errors of a damaged or fake workbook
        raise error(
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
            index = find_header(head, overrides)
            score = sum(1 for c in head[index] if c and is_known_header(c))
            if chosen is None or score > chosen[0]:
                chosen = (score, sheet.title, head, rows, index)
            if score >= 2:
                break
        if chosen is None:
            raise error(
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
    raw = rows_frame([records[i] for i in keep], [index + 2 + i for i in keep], column_names(head[index]))
    raw.header_row, raw.sheet = index + 1, title
    repeated = duplicate_header_warning(head[index])
    if repeated is not None:
        raw.warnings.append(repeated)
    return raw
