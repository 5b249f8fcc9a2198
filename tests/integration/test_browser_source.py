"""A PostgreSQL source answers in the chat (issue 16 acceptance), in Debian's Chromium.

An administrator's sources file lists a PostgreSQL table for the user "manager" only; the user signs in,
picks it under "Data source / 数据源" in the chat settings, sees the upload-style report (read in place,
the column mapping) and asks for the most profitable customers. The table holds
tests/e2e/data/orders_en.csv: profit per customer C104 4,250, C102 2,900, C106 1,350, C105 1,000,
C101 800, C103 -150 (tests/e2e/test_browser.py), so the answer starts with C104 (4,250); the demo
company's ids look like C00012, never these. A second user is not offered the source.
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import psycopg
import pytest

from agent import auth
from tests.integration.server import ASSISTANT, CHROMIUM, CHROMIUM_ARGS, Server, in_thread

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
ORDERS = Path(__file__).resolve().parent.parent / "e2e" / "data" / "orders_en.csv"
TIMEOUT = 60_000
PASSWORD = "a long enough password"


def _load_table(url: str) -> None:
    rows = list(csv.reader(ORDERS.open(encoding="utf-8")))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            'CREATE TABLE orders ("Order ID" text, "Customer ID" text, "Order Date" date, '
            '"Revenue" numeric, "Cost" numeric)'
        )
        with conn.cursor().copy("COPY orders FROM STDIN") as copy:
            for row in rows[1:]:
                copy.write_row(row)


def test_postgres_source_in_the_chat(settings, postgres_server, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/provision-test-deps.sh")
    url = postgres_server.new_database()
    _load_table(url)
    listed = tmp_path / "sources.toml"
    listed.write_text(f'[[source]]\nname = "ERP orders"\nurl = "{url}?table=orders"\nusers = ["manager"]\n')
    auth.add_user(settings, "manager", PASSWORD)
    auth.add_user(settings, "intern", PASSWORD)
    server = Server(settings.data_dir, CUSTFIN_SOURCES_FILE=str(listed)).start()
    try:
        in_thread(scenario, server, tmp_path)
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()


def scenario(server: Server, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for user in ("manager", "intern"):
                context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1400})
                context.set_default_timeout(TIMEOUT)
                page = context.new_page()
                try:
                    run_in_browser(page, server, user)
                except Exception:
                    page.screenshot(path=str(tmp_path / f"browser-source-{user}.png"), full_page=True)
                    raise
                context.close()
        finally:
            browser.close()


def run_in_browser(page, server: Server, user: str) -> None:
    from playwright.sync_api import expect

    page.goto(server.url)
    expect(page).to_have_url(re.compile(r"/login"), timeout=TIMEOUT)
    page.locator("#email").fill(user)
    page.locator("#password").fill(PASSWORD)
    page.locator('button[type="submit"]').click()
    expect(page.locator("#chat-input")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(ASSISTANT).first).to_contain_text("demo", timeout=TIMEOUT)
    time.sleep(1.0)
    page.locator("#chat-settings-open-modal").click()
    dialog = page.locator('[role="dialog"]')
    expect(dialog.locator("#engine")).to_be_visible(timeout=TIMEOUT)
    if user != "manager":  # not listed for this user: not offered
        expect(dialog.locator("#source")).to_have_count(0)
        return
    dialog.locator("#source").click()
    page.locator('[role="option"]').filter(has_text="ERP orders").click()
    dialog.get_by_role("button", name="Confirm").click()
    report = page.locator(ASSISTANT).filter(has_text="Read in place")
    expect(report.first).to_be_visible(timeout=TIMEOUT)
    expect(report.first).to_contain_text("Customer ID")
    page.locator("#chat-input").fill("Who are our 5 most profitable customers?")
    page.locator("#chat-submit").click()
    answer = page.locator(ASSISTANT).filter(has=page.locator(".js-plotly-plot"))
    expect(answer.first).to_be_visible(timeout=TIMEOUT)
    expect(answer.last).to_contain_text("C104")
    expect(answer.last).to_contain_text("4,250")
    assert "demo company" not in answer.last.inner_text().lower()
