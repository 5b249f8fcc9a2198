"""Real-browser tests: the chat as a manager uses it, in English and in Chinese.

tests/e2e/data/orders_en.csv (12 orders, 6 customers; profit = Revenue - Cost, no service costs):

    customer  orders (revenue - cost)                       revenue  cost   profit
    C104      5000-2600, 4000-2150                           9,000   4,750   4,250   <- top
    C102      3000-1800, 2500-1400, 1500-900                 7,000   4,100   2,900
    C106      2200-1300, 1000-550                            3,200   1,850   1,350
    C105      1800-1100, 700-400                             2,500   1,500   1,000
    C101      1200-700, 800-500                              2,000   1,200     800
    C103      600-750                                          600     750    -150   (loss-making)

So "Who are our 5 most profitable customers?" must name C104 with 4,250 first, then C102 (2,900),
and leave C103 out. Total profit 10,150 on revenue 24,300.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent
ORDERS_EN = HERE / "data" / "orders_en.csv"
ZH_TRANSLATION = HERE.parents[1] / ".chainlit" / "translations" / "zh-CN.json"

ANSWER_TIMEOUT = 120_000  # ms: the first answer imports and computes; bounded all the same
UI_TIMEOUT = 60_000
ASSISTANT = '[data-step-type="assistant_message"]'
TOOL_STEP = '[data-step-type="tool"]'
CJK = re.compile(r"[\u4e00-\u9fff]")


def open_chat(page, url: str) -> None:
    """Load the app and wait until the socket is up and the welcome message has arrived."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("#chat-input")).to_be_visible(timeout=UI_TIMEOUT)
    # The welcome is sent from on_chat_start, so once it shows the socket is connected.
    expect(page.locator(ASSISTANT).first).to_be_visible(timeout=UI_TIMEOUT)
    time.sleep(1.0)


def send(page, text: str) -> None:
    from playwright.sync_api import expect

    box = page.locator("#chat-input")
    box.fill(text)
    submit = page.locator("#chat-submit")
    expect(submit).to_be_enabled(timeout=UI_TIMEOUT)  # disabled while an attachment uploads
    submit.click()


def test_upload_and_ask_in_english(chainlit_url, new_page):
    from playwright.sync_api import expect

    page = new_page(locale="en-US")
    open_chat(page, chainlit_url)
    welcome = page.locator(ASSISTANT).first
    expect(welcome).to_contain_text("demo", timeout=UI_TIMEOUT)

    page.locator('input[type="file"]').first.set_input_files(str(ORDERS_EN))
    expect(page.locator("#message-composer")).to_contain_text("orders_en.csv", timeout=UI_TIMEOUT)
    send(page, "Who are our 5 most profitable customers?")

    # 1. The ingestion report for the upload.
    report = page.locator(ASSISTANT).filter(has_text="orders_en.csv")
    expect(report.first).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(report.first).to_contain_text("12")

    # 2. A step with the tool call.
    step = page.locator(TOOL_STEP).filter(has_text="customer_profitability")
    expect(step.first).to_be_visible(timeout=ANSWER_TIMEOUT)

    # 3. The answer: right top customer and amount, in English, from the uploaded data (not the demo).
    answer = page.locator(ASSISTANT).filter(has=page.locator(".js-plotly-plot"))
    expect(answer.first).to_be_visible(timeout=ANSWER_TIMEOUT)
    answer = answer.last
    expect(answer).to_contain_text("C104")
    expect(answer).to_contain_text("4,250")
    text = answer.inner_text()
    assert not CJK.search(text), f"English question got a non-English answer: {text[:400]}"
    assert "demo company" not in text.lower(), "the upload should have replaced the demo data"

    # 4. The table: C104 then C102 in the first rows; the full-result CSV offered for download.
    cells = answer.locator("table td")
    expect(cells.filter(has_text=re.compile(r"^\s*C104\s*$")).first).to_be_visible()
    rows = answer.locator("table tbody tr")
    expect(rows.first).to_contain_text("C104")
    expect(rows.nth(1)).to_contain_text("C102")
    expect(answer.get_by_text(re.compile(r"\.csv$")).first).to_be_visible()

    # 5. The chart rendered (Plotly draws an SVG inside .js-plotly-plot).
    chart = answer.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    assert chart.locator("svg.main-svg").count() >= 1


def test_chinese_ui_and_answer(chainlit_url, new_page):
    from playwright.sync_api import expect

    from agent import engine
    from agent.session import Session
    from prompts import answers as T

    question = "利润最高的5个客户是谁？"
    # What the engine computes on the same demo company: the UI must show this customer first.
    expected = engine.answer(question, Session(demo=True))
    assert expected.result is not None and expected.result.tables, "engine gave no table for the demo"
    top_customer = str(expected.result.tables[0].frame["customer_id"].iloc[0])

    page = new_page(locale="zh-CN")
    open_chat(page, chainlit_url)

    # The zh-CN translation is active: the composer placeholder and the welcome are Chinese.
    placeholder = json.loads(ZH_TRANSLATION.read_text(encoding="utf-8"))["chat"]["input"]["placeholder"]
    expect(page.locator("#chat-input")).to_have_attribute("placeholder", placeholder)
    assert CJK.search(placeholder)
    welcome = page.locator(ASSISTANT).first
    expect(welcome).to_contain_text("演示", timeout=UI_TIMEOUT)

    send(page, question)

    step = page.locator(TOOL_STEP).filter(has_text="customer_profitability")
    expect(step.first).to_be_visible(timeout=ANSWER_TIMEOUT)

    answer = page.locator(ASSISTANT).filter(has=page.locator(".js-plotly-plot"))
    expect(answer.first).to_be_visible(timeout=ANSWER_TIMEOUT)
    answer = answer.last
    expect(answer).to_contain_text(T.METHOD.zh)  # the answer follows the question's language
    expect(answer).to_contain_text(top_customer)
    assert len(CJK.findall(answer.inner_text())) > 20

    expect(answer.locator("table tbody tr").first).to_contain_text(top_customer)
    chart = answer.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    assert chart.locator("svg.main-svg").count() >= 1
