"""The management report of a conversation (issue 17, item 1): every number in the XLSX, HTML and PDF is
the answer's fact or table cell; formatting, frozen headers, filters, native charts, methods; the
self-contained HTML; the PDF with embedded fonts and Chinese text; the CLI; the chat's export phrase,
"add to report" and a rebuilt session."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from agent import engine, report
from agent.cli import main
from agent.report import conversation
from agent.report.content import reader_frame
from agent.report.pdf import browser
from agent.session import Session
from tools.formatting import display, value_kind

QUESTIONS = [
    "who are our most profitable customers?",
    "which customers are at risk of churning?",
    "show receivables ageing",
    "credit risk grades",
    "哪些客户的终身价值最高？",
]


@pytest.fixture(scope="module")
def answered():
    session = Session(demo=True)
    answers = [engine.answer(q, session, "offline") for q in QUESTIONS]
    assert all(a.result is not None for a in answers)
    return session, answers


@pytest.fixture(scope="module")
def built(answered):
    session, answers = answered
    return report.build(answers, "en", company="Acme", data_period=session.event_period())


@pytest.fixture(scope="module")
def workbook(built):
    return openpyxl.load_workbook(io.BytesIO(report.render(built, "xlsx")))


def _same(a, b) -> bool:
    """Equal; floats to the 15 significant digits a spreadsheet cell keeps (openpyxl writes that many)."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-14, abs_tol=1e-12)
    return a == b


def test_facts_sheet_has_every_fact_of_every_answer(built, workbook, answered):
    _, answers = answered
    ws = workbook[workbook.sheetnames[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    for number, answer in enumerate(answers, start=1):
        got = {r[3]: r[4] for r in rows if r[0] == number}
        for name, value in answer.result.facts.items():
            if value is None:
                continue
            assert name in got, (number, name)
            assert _same(got[name], value), (number, name, got[name], value)


def test_analysis_sheets_hold_the_full_tables_formatted(built, workbook, answered):
    _, answers = answered
    for number, answer in enumerate(answers, start=1):
        ws = workbook[workbook.sheetnames[1 + number]]
        table = answer.result.tables[0]
        frame = reader_frame(table, "en")
        assert ws.freeze_panes == "A6"  # header on row 5 stays in view
        assert ws.auto_filter.ref.startswith("A5:")
        for i, values in enumerate(frame.itertuples(index=False, name=None)):
            for j, value in enumerate(values):
                cell = ws.cell(row=6 + i, column=1 + j)
                if isinstance(value, (int, float)) and not isinstance(value, bool) and pd.notna(value):
                    assert _same(cell.value, value), (number, i, frame.columns[j])
                    kind = value_kind(frame.columns[j], frame[frame.columns[j]].abs().max())
                    if kind == "money":
                        assert cell.number_format == "#,##0.00"
                    elif kind == "share":
                        assert cell.number_format == "0.0%"
        assert ws._charts, f"sheet {ws.title} has no native chart"
        assert len(ws._images) == 0  # a chart object, not a picture


def test_native_chart_types_and_data(workbook):
    ws = workbook[workbook.sheetnames[2]]  # customer profitability: one bar chart of profit by customer
    chart = ws._charts[0]
    assert type(chart).__name__ == "BarChart"
    ref = chart.series[0].val.numRef.f
    col, first, last = re.match(r"'?.*'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", ref).groups()
    values = [ws[f"{col}{r}"].value for r in range(int(first), int(last) + 1)]
    assert len(values) == 10 and all(isinstance(v, float) for v in values)


def test_summary_and_methods_sheets(built, workbook, answered):
    _, answers = answered
    summary = workbook[workbook.sheetnames[0]]
    assert summary.freeze_panes == "A6"
    rows = list(summary.iter_rows(min_row=6, values_only=True))
    assert [r[2] for r in rows] == QUESTIONS
    first = built.sections[0]
    for fact in first.key_facts:
        assert f"{fact.label}: {display(fact.value, fact.kind)}" in rows[0][3]
    assert rows[0][4] == answers[0].recommendations[0]["title"]
    methods = workbook[workbook.sheetnames[-1]]
    header = [c.value for c in methods[1]]
    assert header[3:] == ["Formula", "Parameters", "Assumptions", "As of", "Rows used", "Data fingerprint", "Version"]
    for number, answer in enumerate(answers, start=1):
        row = [c.value for c in methods[number + 1]]
        assert row[7] == answer.result.method.rows_used
        assert row[8] == answer.data_fingerprint
        assert row[6].date() == answer.result.method.as_of
        assert json.loads(row[4]).get("n", 10) == answer.result.method.parameters.get("n", 10)


def test_html_is_self_contained_and_shows_every_key_number(built, answered):
    _, answers = answered
    page = report.render(built, "html").decode("utf-8")
    assert "Plotly" in page and len(page) > 1_000_000  # plotly.js inlined
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", page, re.IGNORECASE)
    assert page.count('class="plotly-graph-div"') == sum(len(a.result.charts) for a in answers)
    assert "Acme" in page and "2023-01-01 – 2025-12-31" in page and "Executive summary" in page
    for section in built.sections:
        for fact in section.facts:
            if fact.kind != "text":
                assert f'<div class="v">{fact.shown}</div>' in page, (section.tool, fact.name)
        first = reader_frame(section.tables[0], "en")
        for col in first.columns:
            value = first[col].iloc[0]
            if isinstance(value, float) and pd.notna(value):
                assert display(value, value_kind(col, first[col].abs().max())) in page


def test_report_language_and_internal_columns(answered):
    session = Session(demo=True)
    rec = engine.answer("what should we do about overdue receivables", session, "offline")
    built_zh = report.build([rec], "zh")
    page = report.render(built_zh, "html").decode("utf-8")
    assert "管理摘要" in page and "title_en" not in page and "why_zh" not in page
    wb = openpyxl.load_workbook(io.BytesIO(report.render(built_zh, "xlsx")))
    header = [c.value for c in wb[wb.sheetnames[2]][5]]
    assert "标题（英文）" not in header and not {"title_en", "title_zh", "why_en", "why_zh"} & set(header)


def test_formula_text_from_data_is_inert():
    from agent.report.xlsx import cell_value

    assert cell_value("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell_value("a\x01b") == "ab"
    assert cell_value(float("nan")) is None


needs_pdf = pytest.mark.skipif(browser() is None or shutil.which("pdffonts") is None, reason="chromium/poppler")


@needs_pdf
def test_pdf_embeds_fonts_and_renders_chinese(answered):
    session, answers = answered
    built_zh = report.build(answers, "zh", company="示例科技有限公司")
    pdf = report.render(built_zh, "pdf")
    assert pdf.startswith(b"%PDF")
    with open(session.settings.data_dir / "report-test.pdf", "wb") as f:
        f.write(pdf)
    path = session.settings.data_dir / "report-test.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = fonts.splitlines()[2:]
    assert lines and all(" yes " in line for line in lines)  # every font embedded
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    path.unlink()
    assert "示例科技有限公司" in text and "管理摘要" in text and "客户终身价值" in text
    first = built_zh.sections[0]
    for fact in first.key_facts:
        assert fact.shown in text


def test_cli_writes_every_out(tmp_path, capsys):
    outs = [tmp_path / "r.xlsx", tmp_path / "r.html"]
    code = main(["report", "--ask", QUESTIONS[0], "--ask", QUESTIONS[2], *sum((["--out", str(o)] for o in outs), []),
                 "--company", "Acme", "--json"])  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert [w["format"] for w in out["written"]] == ["xlsx", "html"]
    assert all(o.stat().st_size > 1000 for o in outs)
    assert [a["tool"] for a in out["analyses"]] == ["customer_profitability", "receivables_aging"]
    assert main(["report", "--ask", QUESTIONS[0], "--out", str(tmp_path / "r.docx")]) == 2


def test_cli_entry_point_runs(tmp_path):
    out = tmp_path / "r.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli", "report", "--ask", QUESTIONS[0], "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.is_file()


def test_chat_export_phrases():
    for q in ["Export a report", "export the report", "Download the PDF report", "导出报告", "生成报告", "请导出一份报告"]:
        assert conversation.is_export(q), q
    for q in ["show receivables ageing report", "what does the report say about churn", "report", "报告里的流失风险"]:
        assert not conversation.is_export(q), q


def test_chat_export_add_to_report_and_rebuilt_session():
    session = Session(demo=True)
    first = engine.answer(QUESTIONS[0], session, "offline")
    second = engine.answer(QUESTIONS[2], session, "offline")
    assert (first.analysis_number, second.analysis_number) == (1, 2)
    nothing = engine.answer("export a report", Session(demo=True), "offline")
    assert not nothing.attachments and "ask a question first" in nothing.markdown
    exported = engine.answer("Export a report", session, "offline")
    names = [a.name.rsplit(".", 1)[1] for a in exported.attachments]
    assert names[:2] == ["xlsx", "html"]
    wb = openpyxl.load_workbook(io.BytesIO(exported.attachments[0].content))
    assert len(wb.sheetnames) == 2 + 2 + 1
    assert exported.analysis_number is None  # the export itself is no analysis
    conversation.mark(session, 2, "en")
    only = conversation.answers_of(session)
    assert [a.result.tool for a in only] == ["receivables_aging"]
    # a rebuilt session (the chat after a reconnect) computes the kept analyses again: same numbers
    state = json.loads(json.dumps(session.follow_up_state(), default=str))
    rebuilt = Session(demo=True)
    rebuilt.restore_follow_up_state(state)
    again = conversation.answers_of(rebuilt)
    assert [a.result.facts for a in again] == [second.result.facts]


def test_without_a_browser_the_pdf_fails_clearly_and_the_rest_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CUSTFIN_CHROMIUM", str(tmp_path / "no-such-browser"))
    outs = [tmp_path / "r.pdf", tmp_path / "r.xlsx"]
    code = main(["report", "--ask", QUESTIONS[0], "--out", str(outs[0]), "--out", str(outs[1]), "--lang", "zh"])
    assert code == 2
    err = capsys.readouterr().err
    assert "Chromium" in err and "fonts-noto-cjk" in err
    assert outs[1].is_file() and not outs[0].exists()
    session = Session(demo=True)
    engine.answer(QUESTIONS[0], session, "offline")
    exported = engine.answer("export a report", session, "offline")
    assert [a.name.rsplit(".", 1)[1] for a in exported.attachments] == ["xlsx", "html"]
    assert "PDF" in exported.markdown and "chromium" in exported.markdown
