"""Files a result offers for download besides each table's plain CSV: the resource plan's hand-out (owner
and due date per customer) as an Excel-friendly CSV (UTF-8 with BOM) and as XLSX (tools/plan/export.py).

``files(result)`` maps a table name to the files that replace that table's plain CSV in the chat.
"""

from __future__ import annotations

from tools.plan.export import to_csv_bytes, to_xlsx_bytes
from tools.results import ToolResult

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HANDOUT = "handout"


def files(result: ToolResult) -> dict[str, list[tuple[str, bytes, str]]]:
    """{table name: [(file name, bytes, mime type), ...]} for the tables with their own downloads."""
    if result.tool != "plan_resources":
        return {}
    table = next((t for t in result.tables if t.name == HANDOUT), None)
    if table is None or table.frame.empty:
        return {}
    return {
        HANDOUT: [
            ("plan_handout.csv", to_csv_bytes(table.frame), "text/csv"),
            ("plan_handout.xlsx", to_xlsx_bytes(table.frame), XLSX_MIME),
        ]
    }
