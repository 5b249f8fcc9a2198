"""Real-browser test of the report (issue 17 acceptance): ask two questions in the Chinese UI, add one
to the report with its button, export with "导出报告", download the XLSX and the PDF the answer
offers, and check their content: the numbers equal the engine's answers on the same demo company, the
Chinese text, the native chart objects, the embedded fonts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.e2e.test_browser import ANSWER_TIMEOUT, ASSISTANT, UI_TIMEOUT, open_chat, send

pytestmark = pytest.mark.e2e

QUESTIONS = ["利润最高的5个客户是谁？", "哪些客户有逾期？"]


def _download(page, message, suffix: str) -> bytes:
    link = message.locator("a").filter(has_text=re.compile(re.escape(suffix) + r"\s*$")).first
    href = link.get_attribute("href")
    assert href, f"no link for the {suffix} file"
    response = page.request.get(urljoin(page.url, href))
    assert response.ok, response.status
    return response.body()


def test_export_report_in_the_browser(chainlit_url, new_page):
    import openpyxl
    from playwright.sync_api import expect

    from agent import engine
    from agent.session import Session

    expected_session = Session(demo=True)
    expected = [engine.answer(q, expected_session, "offline") for q in QUESTIONS]

    page = new_page(locale="zh-CN")
    open_chat(page, chainlit_url)
    for i, question in enumerate(QUESTIONS, start=1):
        send(page, question)
        answer = page.locator(ASSISTANT).filter(has=page.locator(".js-plotly-plot"))
        expect(answer).to_have_count(i, timeout=ANSWER_TIMEOUT)
    # every analysis offers "加入报告"; add the first one, then export both (none picked -> all)
    buttons = page.get_by_role("button", name="加入报告")
    expect(buttons).to_have_count(2, timeout=UI_TIMEOUT)
    send(page, "导出报告")
    exported = page.locator(ASSISTANT).filter(has_text="已导出")
    expect(exported.first).to_be_visible(timeout=ANSWER_TIMEOUT)
    exported = exported.last
    expect(exported.locator("a").filter(has_text=re.compile(r"\.pdf\s*$")).first).to_be_visible(timeout=UI_TIMEOUT)

    xlsx = _download(page, exported, ".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames[0] == "摘要" and wb.sheetnames[-1] == "方法"
    facts = {(r[0], r[3]): r[4] for r in wb[wb.sheetnames[1]].iter_rows(min_row=2, values_only=True)}
    for number, answer in enumerate(expected, start=1):
        for name, value in answer.result.facts.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert facts[number, name] == pytest.approx(value, rel=1e-12), (number, name)
        sheet = wb[wb.sheetnames[1 + number]]
        assert sheet._charts, "no native chart"
        frame = answer.result.tables[0].frame
        for j, value in enumerate(frame.iloc[0].tolist()[:4], start=1):  # the table's first row, as computed
            cell = sheet.cell(row=6, column=j).value
            assert cell == pytest.approx(value) if isinstance(value, float) else cell == value
    assert any(re.search(r"[\u4e00-\u9fff]", str(c.value or "")) for c in wb["摘要"]["A"])

    pdf = _download(page, exported, ".pdf")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: scripts/provision-test-deps.sh installs poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "管理摘要" in text and "客户盈利能力" in text
    top = expected[0].result.tables[0].frame.iloc[0]
    assert top["customer_id"] in text and f"{top['profit']:,.2f}" in text
    assert all(" yes " in line for line in fonts.splitlines()[2:])

    buttons.first.click()  # "加入报告" on the first answer: acknowledged in the chat
    expect(page.locator(ASSISTANT).filter(has_text="已加入报告").first).to_be_visible(timeout=UI_TIMEOUT)
