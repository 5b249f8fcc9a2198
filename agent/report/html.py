"""The report as one self-contained HTML page: Plotly's JavaScript inlined (interactive charts, opens
with no network), a cover (company, period), a one-page executive summary written from the facts, then
one section per analysis (statement, facts, tables, charts, next steps, method). The same page, printed
by Chromium, is the PDF (agent/report/pdf.py): print CSS puts every part on its own page."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import Any

import pandas as pd

from agent.report.content import Report, Section, column_kinds, label, reader_frame
from agent.security.render import inert_figure
from prompts import report as W
from tools.formatting import display
from tools.formatting import money as fmt_money

HTML_ROWS = 40  # rows of a table in the HTML/PDF report (the XLSX has every row)
PRINT_COLUMNS = 12  # columns that fit an A4 page; a wider table prints its first ones (the page scrolls)
FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", ' \
        '"Noto Sans", "DejaVu Sans", Arial, sans-serif'  # fmt: skip

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font-family: __FONTS__; color: #1b1f24; font-size: 10.5pt; line-height: 1.45; margin: 0 auto;
       max-width: 1100px; padding: 0 18px; }
h1 { font-size: 26pt; margin: 0 0 12px; color: #1f3864; }
h2 { font-size: 16pt; color: #1f3864; border-bottom: 2px solid #1f3864; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 12pt; margin: 18px 0 6px; color: #2f5597; }
.cover { min-height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; font-size: 12pt; }
.cover dt { color: #555; } .cover dd { margin: 0; font-weight: 600; }
.page { break-before: page; page-break-before: always; }
.question { font-style: italic; color: #444; }
.statement { background: #f3f6fb; border-left: 4px solid #2f5597; padding: 8px 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 4px; font-size: 8.5pt; }
th { background: #1f3864; color: #fff; text-align: left; padding: 3px 5px; font-weight: 600; }
td { border-bottom: 1px solid #dde3ec; padding: 2px 5px; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.facts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; margin: 8px 0; }
.fact { border: 1px solid #dde3ec; border-radius: 4px; padding: 5px 8px; break-inside: avoid; }
.fact .v { font-size: 12pt; font-weight: 700; font-variant-numeric: tabular-nums; }
.fact .l { font-size: 8pt; color: #555; }
.chart { width: 100%; break-inside: avoid; page-break-inside: avoid; margin: 8px 0; }
.note { color: #666; font-size: 8.5pt; }
.method td:first-child { width: 22%; color: #555; }
.exec li { margin-bottom: 5px; }
.exec { font-size: 10pt; }
code { font-size: 8pt; word-break: break-all; }
.wide { overflow-x: auto; } .print-only { display: none; }
@media print { body { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; }
               .screen-only { display: none; } .print-only { display: block; } }
""".replace("__FONTS__", FONTS)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def wide_table_html(frame: pd.DataFrame, tool: str, lang: str) -> str:
    """A table on the screen (every column, scrolling sideways) and in print (the first columns that
    fit the page, the rest named as left out)."""
    if len(frame.columns) <= PRINT_COLUMNS:
        return table_html(frame, tool, lang)
    left_out = len(frame.columns) - PRINT_COLUMNS
    note = f'<p class="note">{e(W.COLUMNS_LEFT_OUT.format(count=left_out).get(lang))}</p>'  # type: ignore[arg-type]
    return (
        f'<div class="wide screen-only">{table_html(frame, tool, lang)}</div>'
        f'<div class="print-only">{table_html(frame.iloc[:, :PRINT_COLUMNS], tool, lang)}{note}</div>'
    )


def table_html(frame: pd.DataFrame, tool: str, lang: str, limit: int = HTML_ROWS) -> str:
    kinds = column_kinds(frame)
    head = "".join(f"<th>{e(label(c, tool, lang))}</th>" for c in frame.columns)  # type: ignore[arg-type]
    rows = []
    for values in frame.head(limit).itertuples(index=False, name=None):
        cells = []
        for col, value in zip(frame.columns, values, strict=True):
            kind = kinds[col]
            if kind == "date":
                shown = "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
                cells.append(f"<td>{e(shown)}</td>")
            elif kind == "text":
                cells.append(f"<td>{e('' if _missing(value) else value)}</td>")
            else:
                cells.append(f'<td class="n">{e(display(value, kind))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = ""
    if len(frame) > limit:
        note = f'<p class="note">{e(W.ROWS_SHOWN.format(shown=limit, total=len(frame)).get(lang))}</p>'  # type: ignore[arg-type]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def chart_html(figure: Any, title: str, div_id: str) -> str:
    fig = inert_figure(figure)  # labels from the data never become links
    if title:
        fig.update_layout(title_text=title)
    fig.update_layout(height=380, margin={"l": 60, "r": 20, "t": 50, "b": 60})
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        default_width="100%",
        default_height="380px",
        config={"displaylogo": False, "responsive": True},
    )
    return f'<div class="chart">{body}</div>'


def facts_html(s: Section, lang: str) -> str:
    cards = "".join(
        f'<div class="fact"><div class="v">{e(f.shown)}</div><div class="l">{e(f.label)}</div></div>'
        for f in s.facts
        if f.kind != "text"
    )
    return f'<div class="facts">{cards}</div>'


def recommendations_html(s: Section, lang: str) -> str:
    if not s.recommendations:
        return ""
    items = []
    for r in s.recommendations:
        value = r.get("value_at_stake")
        stake = f" — {e(W.VALUE_AT_STAKE.get(lang))} {e(display(value, 'money'))}" if value else ""  # type: ignore[arg-type]
        items.append(f"<li><b>{e(r.get('title'))}</b>{stake}<br><span class='note'>{e(r.get('why'))}</span></li>")
    return f"<h3>{e(W.RECOMMENDATIONS.get(lang))}</h3><ol>{''.join(items)}</ol>"  # type: ignore[arg-type]


def method_html(s: Section, lang: str, version: str) -> str:
    parameters = {k: v for k, v in s.method.parameters.items() if v is not None}
    rows = [
        (W.FORMULA, e(s.formula)),
        (W.PARAMETERS, f"<code>{e(json.dumps(parameters, ensure_ascii=False, default=str))}</code>"),
        (W.ASSUMPTIONS, "<br>".join(e(a) for a in s.assumptions) or "-"),
        (W.AS_OF, e(s.method.as_of.isoformat() if s.method.as_of else "-")),
        (W.ROWS_USED, e(f"{int(s.method.rows_used):,}")),
        (W.FINGERPRINT, f"<code>{e(s.fingerprint or '-')}</code>"),
        (W.VERSION, e(version)),
    ]
    body = "".join(f"<tr><td>{e(m.get(lang))}</td><td>{v}</td></tr>" for m, v in rows)  # type: ignore[arg-type]
    return f"<h3>{e(W.METHODS.get(lang))}</h3><table class='method'>{body}</table>"  # type: ignore[arg-type]


def section_html(s: Section, lang: str, version: str) -> str:
    parts = [
        f'<section class="page" id="analysis-{s.number}">',
        f"<h2>{s.number}. {e(s.title)}</h2>",
        f'<p class="question">{e(W.QUESTION.get(lang))}: {e(s.question or "-")}</p>',  # type: ignore[arg-type]
        f'<p class="statement">{e(s.summary)}</p>',
        facts_html(s, lang),
    ]
    for i, table in enumerate(s.tables):
        title = table.title.get(lang) if table.title else table.name  # type: ignore[arg-type]
        parts.append(f"<h3>{e(title)}</h3>")
        parts.append(wide_table_html(reader_frame(table, lang), s.tool, lang))  # type: ignore[arg-type]
        if i == 0 and s.charts:
            parts.append(chart_html(s.charts[0].figure, s.charts[0].title.get(lang), f"chart-{s.number}-1"))  # type: ignore[arg-type]
    if not s.tables and s.charts:
        parts.append(chart_html(s.charts[0].figure, s.charts[0].title.get(lang), f"chart-{s.number}-1"))  # type: ignore[arg-type]
    for j, chart in enumerate(s.charts[1:], start=2):
        parts.append(chart_html(chart.figure, chart.title.get(lang), f"chart-{s.number}-{j}"))  # type: ignore[arg-type]
    parts.append(recommendations_html(s, lang))
    if s.warnings:
        parts.append(f"<h3>{e(W.WARNINGS.get(lang))}</h3><ul>")  # type: ignore[arg-type]
        parts += [f"<li class='note'>{e(w)}</li>" for w in s.warnings]
        parts.append("</ul>")
    parts.append(method_html(s, lang, version))
    parts.append("</section>")
    return "\n".join(parts)


def exec_html(report: Report) -> str:
    lang = report.lang
    intro = W.EXEC_INTRO.format(count=len(report.sections), company=report.company, period=report.period)
    lines = "".join(
        f'<li><a href="#analysis-{s.number}"><b>{e(s.title)}</b></a>: {e(text.split(": ", 1)[1])}</li>'
        for s, text in zip(report.sections, report.summary_lines(), strict=True)
    )
    if report.actions:
        actions = "".join(
            "<li>"
            + e(
                W.EXEC_ACTION_LINE.format(
                    title=a.get("title"),
                    customers=f"{int(a.get('customers') or 0):,}",
                    value=fmt_money(a.get("value_at_stake"), lang),  # type: ignore[arg-type]
                    analysis=a.get("analysis"),
                ).get(lang)  # type: ignore[arg-type]
            )
            + "</li>"
            for a in report.actions
        )
        action_block = f"<h3>{e(W.EXEC_ACTIONS.get(lang))}</h3><ol>{actions}</ol>"  # type: ignore[arg-type]
    else:
        action_block = f"<p>{e(W.EXEC_NO_ACTIONS.get(lang))}</p>"  # type: ignore[arg-type]
    return (
        f'<section class="page exec" id="summary"><h2>{e(W.EXEC_SUMMARY.get(lang))}</h2>'  # type: ignore[arg-type]
        f"<p>{e(intro.get(lang))}</p><ul>{lines}</ul>{action_block}</section>"  # type: ignore[arg-type]
    )


def cover_html(report: Report, version: str) -> str:
    lang = report.lang
    items = [
        (W.COVER_COMPANY, report.company),
        (W.COVER_PERIOD, report.period),
        (W.COVER_ANALYSES, str(len(report.sections))),
        (W.COVER_GENERATED, f"{report.generated:%Y-%m-%d %H:%M}"),
        (W.COVER_VERSION, version),
    ]
    dl = "".join(f"<dt>{e(k.get(lang))}</dt><dd>{e(v)}</dd>" for k, v in items)  # type: ignore[arg-type]
    return f'<section class="cover"><h1>{e(report.title)}</h1><h2 style="border:0">{e(report.company)}</h2><dl>{dl}</dl></section>'


def page(report: Report, version: str) -> str:
    lang = report.lang
    html_lang = "zh-CN" if lang == "zh" else "en"
    body = "\n".join(
        [cover_html(report, version), exec_html(report)]
        + [section_html(s, lang, version) for s in report.sections]
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(report.title)} — {e(report.company)}</title>"
        f'<meta name="generator" content="custfin {e(version)}">'
        f"<style>{CSS}</style>"
        f"<script>{plotly_js()}</script></head>\n<body>\n{body}\n</body></html>\n"
    )
