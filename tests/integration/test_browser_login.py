"""The signed-in round trip in a real browser (issue 6 acceptance): a password user exists, so login is
required; in Debian's Chromium the user logs in through the login form, uploads a CSV, asks a question,
reloads the page, reopens the conversation from the history sidebar (resume), sees the earlier answer
and its chart, and asks a follow-up that is answered from the uploaded data (not the demo company);
finally deletes the dataset in a sentence and checks it is gone from the database and the disk.

tests/e2e/data/orders_en.csv: profit per customer C104 4,250, C102 2,900, C106 1,350, C105 1,000,
C101 800, C103 -150 (see tests/e2e/test_browser.py). So the top 5 start with C104 (4,250) and the
bottom 2 are C103 (-150) and C101 (800); the demo company has customer ids like C00012, never these.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from agent import auth
from tests.integration.server import ASSISTANT, CHROMIUM, CHROMIUM_ARGS, Server, in_thread
from tests.integration.stored import stored

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
HERE = Path(__file__).resolve().parent
ORDERS = HERE.parent / "e2e" / "data" / "orders_en.csv"
CHART = ".js-plotly-plot"
TIMEOUT = 60_000
USER, PASSWORD = "manager", "a long enough password"
QUESTION = "Who are our 5 most profitable customers?"


def ask(page, text: str) -> None:
    from playwright.sync_api import expect

    page.locator("#chat-input").fill(text)
    submit = page.locator("#chat-submit")
    expect(submit).to_be_enabled(timeout=TIMEOUT)  # disabled while an attachment uploads
    submit.click()


def test_login_upload_question_reload_resume(settings, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/provision-test-deps.sh")
    auth.add_user(settings, USER, PASSWORD)  # a user exists: the automatic local sign-in is off
    in_thread(scenario, settings, tmp_path)


def scenario(settings, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = Server(settings.data_dir).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1400})
            context.set_default_timeout(TIMEOUT)
            page = context.new_page()
            try:
                run_in_browser(page, server, settings)
            except Exception:
                shot(page, tmp_path / "browser-login.png")
                raise
            browser.close()
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()


def shot(page, path: Path) -> None:
    try:
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
    except Exception as exc:  # noqa: BLE001 (the screenshot is only a diagnostic)
        print(f"no screenshot: {exc}")


def run_in_browser(page, server: Server, settings) -> None:
    from playwright.sync_api import expect

    # 1. Login is required: the app sends us to the login form; a wrong password is refused.
    page.goto(server.url)
    expect(page).to_have_url(re.compile(r"/login"), timeout=TIMEOUT)
    expect(page.locator("#chat-input")).to_have_count(0)
    page.locator("#email").fill(USER)
    page.locator("#password").fill("not the password")
    page.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator("#chat-input")).to_have_count(0)
    page.locator("#email").fill(USER)
    page.locator("#password").fill(PASSWORD)
    page.locator('button[type="submit"]').click()
    expect(page.locator("#chat-input")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(ASSISTANT).first).to_contain_text("demo", timeout=TIMEOUT)  # welcome
    time.sleep(1.0)

    # 2. Upload and ask: the answer comes from the uploaded file.
    page.locator('input[type="file"]').first.set_input_files(str(ORDERS))
    expect(page.locator("#message-composer")).to_contain_text(ORDERS.name, timeout=TIMEOUT)
    ask(page, QUESTION)
    answer = page.locator(ASSISTANT).filter(has=page.locator(CHART))
    expect(answer.first).to_be_visible(timeout=TIMEOUT)
    expect(answer.last).to_contain_text("C104")
    expect(answer.last).to_contain_text("4,250")
    assert "demo company" not in answer.last.inner_text().lower()

    # 3. Reload: the conversation's URL shows it again (still signed in). Then start a new chat (the old
    # answer leaves the screen) and reopen the conversation from the history sidebar.
    page.reload()
    expect(page.locator("#chat-input")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(ASSISTANT).filter(has_text="4,250").first).to_be_visible(timeout=TIMEOUT)
    page.goto(server.url + "/")
    expect(page.locator(ASSISTANT).first).to_contain_text("demo", timeout=TIMEOUT)
    expect(page.locator(ASSISTANT).filter(has_text="C104")).to_have_count(0, timeout=TIMEOUT)
    entry = page.locator("#thread-history").locator('a[href*="/thread/"]')
    expect(entry).to_have_count(1, timeout=TIMEOUT)  # this user's one conversation
    box = entry.bounding_box()
    if box is None or box["x"] + box["width"] <= 0:  # the sidebar starts collapsed: open it
        page.locator("#header #sidebar-trigger-button").click()
    expect(entry).to_be_in_viewport(timeout=TIMEOUT)
    entry.click()
    expect(page).to_have_url(re.compile(r"/thread/[0-9a-f-]+"), timeout=TIMEOUT)

    # 4. The earlier answer is shown again, its chart rendered from the stored element.
    earlier = page.locator(ASSISTANT).filter(has_text="4,250")
    expect(earlier.first).to_be_visible(timeout=TIMEOUT)
    expect(earlier.first).to_contain_text("C104")
    chart = page.locator(ASSISTANT).filter(has=page.locator(CHART)).first.locator(CHART).first
    expect(chart).to_be_visible(timeout=TIMEOUT)
    expect(chart.locator("svg.main-svg").first).to_be_attached(timeout=TIMEOUT)

    # 5. The follow-up resumes the conversation on the stored dataset and its context.
    expect(page.locator("#chat-input")).to_be_visible(timeout=TIMEOUT)
    time.sleep(1.0)
    before = page.locator(ASSISTANT).count()
    ask(page, "show the bottom 2 instead")
    expect(page.locator(ASSISTANT)).to_have_count(before + 1, timeout=TIMEOUT)
    last = page.locator(ASSISTANT).last
    expect(last).to_contain_text("C103", timeout=TIMEOUT)
    text = last.inner_text()
    assert "C101" in text, text[:600]
    assert not re.search(r"\bC\d{5}\b", text), f"answered from the demo company: {text[:600]}"
    assert "demo company" not in text.lower(), text[:600]

    # 6. Deleting the dataset in a sentence removes it from the database and the disk.
    (parquet, source) = stored(settings, "SELECT parquet_path, source_path FROM datasets")[0]
    assert (settings.data_dir / parquet).is_file() and (settings.data_dir / source).is_file()
    before = page.locator(ASSISTANT).count()
    ask(page, f"delete the file {ORDERS.name}")
    expect(page.locator(ASSISTANT)).to_have_count(before + 1, timeout=TIMEOUT)
    expect(page.locator(ASSISTANT).last).to_contain_text(f"Deleted {ORDERS.name}", timeout=TIMEOUT)
    expect(page.locator(ASSISTANT).last).to_contain_text("demo company")
    assert stored(settings, "SELECT * FROM datasets") == []
    assert not (settings.data_dir / parquet).exists() and not (settings.data_dir / source).exists()
    assert stored(settings, "SELECT * FROM elements WHERE name = :name", name=ORDERS.name) == []
