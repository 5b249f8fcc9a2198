"""The report as an XLSX workbook (openpyxl): a summary sheet (question, key numbers, recommendation per
analysis), a facts sheet (every fact, full precision), one sheet per analysis with its full tables
(money with thousands separators, shares as %, frozen header, filters) and native Excel charts drawn
from the answer's chart data, and a methods sheet (formula, parameters, as_of, rows used, data
fingerprint, version). Cells keep the answers' numbers; only the number format rounds what is shown."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, PieChart, Reference, ScatterChart, Series
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from agent.compose import json_value
from agent.report.content import Report, Section, column_kinds, label, reader_frame
from prompts import report as W
from tools.formatting import excel_format

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
TABLE_HEADER_ROW = 5  # title, question, statement, blank, then the first table's header
CHART_ROWS = 18  # rows one chart takes on the sheet
MAX_CHART_POINTS = 2_000


def cell_value(value: Any) -> Any:
    """A value openpyxl writes as data: numbers stay numbers, NaN empty, dates as dates, text inert
    (no formula, no illegal control characters)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating)):
        return json_value(value)  # python bool/int/float; NaN and infinities empty
    if isinstance(value, pd.Timestamp):
        value = value.tz_localize(None) if value.tzinfo else value
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.lstrip(" ").startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text[:32_000]


def sheet_title(number: int, title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", " ", f"{number}. {title}").strip()[:31]
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def _header(ws: Worksheet, row: int, col: int, names: list[str]) -> None:
    for j, name in enumerate(names):
        c = ws.cell(row=row, column=col + j, value=cell_value(name))
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        c.alignment = Alignment(vertical="top", wrap_text=True)


def _widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8.0, min(60.0, width))


def _text_width(value: Any) -> float:
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2


def write_table(ws: Worksheet, frame: pd.DataFrame, row: int, col: int, tool: str, lang: str,
                widths: dict[int, float]) -> int:
    """The table with its header at ``row``; returns the last row written."""  # fmt: skip
    kinds = column_kinds(frame)
    names = [label(c, tool, lang) for c in frame.columns]  # type: ignore[arg-type]
    _header(ws, row, col, names)
    for j, name in enumerate(names):
        widths[col + j] = max(widths.get(col + j, 0), min(_text_width(name), 24))
    formats = []
    for c in frame.columns:
        integer = pd.api.types.is_integer_dtype(frame[c])
        kind = kinds[c]
        formats.append(excel_format(kind, integer) if kind not in ("text", "date") else None)
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(values):
            cell = ws.cell(row=row + i, column=col + j, value=cell_value(value))
            if formats[j] and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = formats[j]
            elif kinds[frame.columns[j]] == "date" and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            if i <= 200:
                shown = f"{cell.value:,.2f}" if isinstance(cell.value, float) else cell.value
                widths[col + j] = max(widths.get(col + j, 0), _text_width(shown if shown is not None else ""))
    return row + len(frame)


# --------------------------------------------------------------------------------------------------
# Charts: the answer's Plotly traces, written as a data block, drawn by Excel
# --------------------------------------------------------------------------------------------------
def _values(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, dict) and "bdata" in v:  # plotly's packed arrays
        import base64

        return list(np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v.get("dtype", "f8"))))
    return list(np.asarray(v, dtype=object).ravel()) if not isinstance(v, (str, bytes)) else [v]


def chart_series(figure: Any) -> tuple[str, list[Any], list[tuple[str, list[Any]]]]:
    """(kind, categories, [(name, values)]) of a Plotly figure: bar, line, scatter, pie or heatmap."""
    traces = list(getattr(figure, "data", []) or [])
    if not traces:
        return "none", [], []
    first = traces[0]
    kind_map = {"bar": "bar", "scatter": "line", "scattergl": "line", "pie": "pie", "heatmap": "heatmap"}
    kind = kind_map.get(first.type, "bar")
    if kind == "heatmap":
        z = np.asarray(first.z, dtype=float)
        cats = _values(first.y) or list(range(len(z)))
        xs = _values(first.x) or list(range(z.shape[1] if z.ndim == 2 else 0))
        return "heatmap", cats, [(str(x), list(z[:, j])) for j, x in enumerate(xs)]
    if kind == "pie":
        return "pie", _values(first.labels), [(first.name or "", _values(first.values))]
    horizontal = kind == "bar" and getattr(first, "orientation", None) == "h"
    categories: list[Any] = []
    index: dict[Any, int] = {}
    per_trace = []
    for t in traces:
        if t.type not in ("bar", "scatter", "scattergl"):
            continue
        xs, ys = (_values(t.y), _values(t.x)) if horizontal else (_values(t.x), _values(t.y))
        if not xs:
            xs = list(range(1, len(ys) + 1))
        for x in xs:
            key = str(x)
            if key not in index:
                index[key] = len(categories)
                categories.append(x)
        per_trace.append((t.name or "", dict(zip(map(str, xs), ys, strict=False))))
    if kind == "line" and all(isinstance(c, (int, float, np.number)) for c in categories) and len(categories) > 1:
        kind = "scatter"
    series = [(name, [values.get(str(c)) for c in categories]) for name, values in per_trace]
    return ("hbar" if horizontal else kind), categories, series


def add_chart(ws: Worksheet, figure: Any, title: str, data_col: int, data_row: int, anchor: str,
              lang: str) -> tuple[int, bool]:
    """Write the chart's data block at (data_row, data_col) and a native chart at ``anchor``; returns
    (columns used by the data block, whether a chart object was added)."""  # fmt: skip
    kind, categories, series = chart_series(figure)
    if kind == "none" or not categories:
        return 0, False
    categories, series = categories[:MAX_CHART_POINTS], [(n, v[:MAX_CHART_POINTS]) for n, v in series]
    ws.cell(row=data_row - 1, column=data_col, value=cell_value(f"{W.CHART_DATA.get(lang)}: {title}")).font = Font(
        italic=True
    )
    _header(ws, data_row, data_col, [""] + [n or f"series {i + 1}" for i, (n, _) in enumerate(series)])
    for i, cat in enumerate(categories, start=1):
        ws.cell(row=data_row + i, column=data_col, value=cell_value(cat))
        for j, (_, values) in enumerate(series, start=1):
            ws.cell(row=data_row + i, column=data_col + j, value=cell_value(values[i - 1]))
    last = data_row + len(categories)
    width = 1 + len(series)
    if kind == "heatmap":  # Excel has no heatmap chart: the block itself carries a colour scale
        ref = f"{get_column_letter(data_col + 1)}{data_row + 1}:{get_column_letter(data_col + width - 1)}{last}"
        ws.conditional_formatting.add(
            ref, ColorScaleRule(start_type="min", start_color="FFFFFF", end_type="max", end_color="2F5597")
        )
        chart: Any = LineChart()
    elif kind == "pie":
        chart = PieChart()
    elif kind == "scatter":
        chart = ScatterChart()
        chart.style = 13
        xref = Reference(ws, min_col=data_col, min_row=data_row + 1, max_row=last)
        for j in range(1, width):
            yref = Reference(ws, min_col=data_col + j, min_row=data_row, max_row=last)
            s = Series(yref, xref, title_from_data=True)
            s.marker.symbol = "none"
            chart.series.append(s)
    elif kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if kind == "hbar" else "col"
    if kind != "scatter":
        data = Reference(ws, min_col=data_col + 1, max_col=data_col + width - 1, min_row=data_row, max_row=last)
        cats = Reference(ws, min_col=data_col, min_row=data_row + 1, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
    chart.title = title[:250]
    chart.width, chart.height = 18, 9
    if len(series) == 1 and kind != "pie":
        chart.legend = None
    ws.add_chart(chart, anchor)
    return width, True


def write_section(wb: Workbook, s: Section, lang: str, used: set[str]) -> Worksheet:
    ws = wb.create_sheet(sheet_title(s.number, s.title, used))
    ws.cell(row=1, column=1, value=cell_value(f"{s.number}. {s.title}")).font = TITLE_FONT
    ws.cell(row=2, column=1, value=cell_value(f"{W.QUESTION.get(lang)}: {s.question or '-'}"))
    ws.cell(row=3, column=1, value=cell_value(s.summary))
    widths: dict[int, float] = {}
    row, ncols = TABLE_HEADER_ROW, 1
    for t_index, table in enumerate(s.tables):
        frame = reader_frame(table, lang)  # type: ignore[arg-type]
        if t_index > 0:
            row += 2
            title = table.title.get(lang) if table.title else table.name  # type: ignore[arg-type]
            ws.cell(row=row, column=1, value=cell_value(title)).font = Font(bold=True)
            row += 1
        header = row
        row = write_table(ws, frame, header, 1, s.tool, lang, widths)
        ncols = max(ncols, len(frame.columns))
        if t_index == 0:
            ws.freeze_panes = ws.cell(row=header + 1, column=1)
            last_col = get_column_letter(max(1, len(frame.columns)))
            ws.auto_filter.ref = f"A{header}:{last_col}{max(header + 1, row)}"
    chart_col = ncols + 2
    data_col = chart_col + 11  # the charts take about ten columns
    for i, chart in enumerate(s.charts):
        title = chart.title.get(lang) if chart.title else ""  # type: ignore[arg-type]
        anchor = f"{get_column_letter(chart_col)}{TABLE_HEADER_ROW + i * CHART_ROWS}"
        used_cols, _ = add_chart(ws, chart.figure, title, data_col, TABLE_HEADER_ROW + 1, anchor, lang)
        data_col += used_cols + 1 if used_cols else 0
    _widths(ws, widths)
    return ws


def write_summary(ws: Worksheet, report: Report, sheets: dict[int, str]) -> None:
    lang = report.lang
    ws.cell(row=1, column=1, value=cell_value(f"{report.title} — {report.company}")).font = TITLE_FONT
    ws.cell(row=2, column=1, value=cell_value(f"{W.COVER_PERIOD.get(lang)}: {report.period}"))
    ws.cell(row=3, column=1, value=cell_value(f"{W.COVER_GENERATED.get(lang)}: {report.generated:%Y-%m-%d %H:%M}"))
    head = 5
    _header(ws, head, 1, ["#", W.ANALYSIS.get(lang), W.QUESTION.get(lang), W.KEY_NUMBERS.get(lang),
                          W.RECOMMENDATION.get(lang), W.SUMMARY.get(lang)])  # fmt: skip
    for i, s in enumerate(report.sections, start=1):
        r = head + i
        ws.cell(row=r, column=1, value=s.number)
        link = ws.cell(row=r, column=2, value=cell_value(s.title))
        link.hyperlink = f"#'{sheets[s.number]}'!A1"
        link.font = Font(color="0563C1", underline="single")
        ws.cell(row=r, column=3, value=cell_value(s.question))
        ws.cell(row=r, column=4, value=cell_value("\n".join(f"{f.label}: {f.shown}" for f in s.key_facts)))
        ws.cell(row=r, column=5, value=cell_value(s.recommendation or "-"))
        ws.cell(row=r, column=6, value=cell_value(s.summary))
        for c in range(1, 7):
            ws.cell(row=r, column=c).alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in {1: 5, 2: 26, 3: 36, 4: 44, 5: 40, 6: 70}.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    ws.auto_filter.ref = f"A{head}:F{head + max(1, len(report.sections))}"


def write_facts(ws: Worksheet, report: Report) -> None:
    lang = report.lang
    _header(ws, 1, 1, ["#", W.ANALYSIS.get(lang), W.FACT.get(lang), W.NAME.get(lang), W.VALUE.get(lang)])
    r = 1
    for s in report.sections:
        for f in s.facts:
            r += 1
            ws.cell(row=r, column=1, value=s.number)
            ws.cell(row=r, column=2, value=cell_value(s.title))
            ws.cell(row=r, column=3, value=cell_value(f.label))
            ws.cell(row=r, column=4, value=cell_value(f.name))
            cell = ws.cell(row=r, column=5, value=cell_value(f.value))
            if f.kind != "text" and isinstance(cell.value, (int, float)):
                cell.number_format = excel_format(f.kind, isinstance(f.value, int))
    for col, width in {1: 5, 2: 28, 3: 34, 4: 30, 5: 20}.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{max(2, r)}"


def write_methods(ws: Worksheet, report: Report, version: str) -> None:
    lang = report.lang
    names = ["#", W.ANALYSIS.get(lang), W.TOOL.get(lang), W.FORMULA.get(lang), W.PARAMETERS.get(lang),
             W.ASSUMPTIONS.get(lang), W.AS_OF.get(lang), W.ROWS_USED.get(lang), W.FINGERPRINT.get(lang),
             W.VERSION.get(lang)]  # fmt: skip
    _header(ws, 1, 1, names)
    for i, s in enumerate(report.sections, start=2):
        parameters = {k: v for k, v in s.method.parameters.items() if v is not None}
        values = [s.number, s.title, s.tool, s.formula, json.dumps(parameters, ensure_ascii=False, default=str),
                  "\n".join(s.assumptions), s.method.as_of, int(s.method.rows_used), s.fingerprint or "-", version]  # fmt: skip
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=cell_value(v))
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        ws.cell(row=i, column=7).number_format = "yyyy-mm-dd"
        ws.cell(row=i, column=8).number_format = "#,##0"
    for col, width in {1: 5, 2: 26, 3: 22, 4: 60, 5: 40, 6: 60, 7: 12, 8: 12, 9: 30, 10: 12}.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def workbook_bytes(report: Report, version: str) -> bytes:
    lang = report.lang
    wb = Workbook()
    summary = wb.active
    summary.title = W.SUMMARY.get(lang)[:31]
    used = {summary.title.lower()}
    facts = wb.create_sheet(W.FACTS.get(lang)[:31])
    used.add(facts.title.lower())
    used.add(W.METHODS.get(lang).lower())
    sheets = {s.number: write_section(wb, s, lang, used).title for s in report.sections}
    methods = wb.create_sheet(W.METHODS.get(lang)[:31])
    write_summary(summary, report, sheets)
    write_facts(facts, report)
    write_methods(methods, report, version)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
