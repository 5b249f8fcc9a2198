"""kill -9 recovery: upload and ask in the browser, kill -9 the server, restart it, reopen the
conversation from its URL and ask again: the history, the dataset (database row + Parquet) and the
answers over the uploaded data are all there. Uses Debian's Chromium like tests/e2e."""

from __future__ import annotations

import re
import time

import pytest

from tests.integration.server import ASSISTANT, CHROMIUM, CHROMIUM_ARGS, Server, in_thread
from tests.integration.stored import stored
from tests.integration.test_persistence import ORDERS

ON_BOTH_DATABASES = True  # tests/integration/conftest.py

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
TIMEOUT = 60_000


def ask(page, text: str) -> None:
    from playwright.sync_api import expect

    page.locator("#chat-input").fill(text)
    submit = page.locator("#chat-submit")
    expect(submit).to_be_enabled(timeout=TIMEOUT)
    submit.click()


def test_kill9_loses_nothing_acknowledged(settings):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/provision-test-deps.sh")
    in_thread(scenario, settings)


def scenario(settings) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = Server(settings.data_dir).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(locale="en-US")
            context.set_default_timeout(TIMEOUT)
            page = context.new_page()
            page.goto(server.url)  # signed in automatically as the local user (loopback, no users)
            expect(page.locator(ASSISTANT).first).to_be_visible(timeout=TIMEOUT)
            time.sleep(1.0)
            page.locator('input[type="file"]').first.set_input_files(str(ORDERS))
            expect(page.locator("#message-composer")).to_contain_text(ORDERS.name, timeout=TIMEOUT)
            ask(page, "Who are our 5 most profitable customers?")
            expect(page.locator(ASSISTANT).filter(has_text="C104").first).to_be_visible(timeout=TIMEOUT)

            # No waiting: app.py stores a reply (text and elements) before it is shown, so what the
            # browser displays has been written.
            server.kill9()
            (thread_id,) = [r[0] for r in stored(settings, "SELECT id FROM threads")]
            datasets = stored(settings, "SELECT user_identifier, filename, parquet_path FROM datasets")
            assert [(u, f) for u, f, _ in datasets] == [("local", ORDERS.name)]
            assert (settings.data_dir / datasets[0][2]).is_file()
            outputs = [r[0] or "" for r in stored(settings, "SELECT output FROM steps")]
            assert any("C104" in o for o in outputs), outputs
            answers = [r[0] for r in stored(settings, "SELECT id FROM steps WHERE output LIKE '%C104%'")]
            kinds = stored(settings, 'SELECT type FROM elements WHERE "forId" IN :ids', ids=answers)
            assert {"dataframe", "file", "plotly"} <= {k for (k,) in kinds}, kinds  # table, its CSV, chart

            server.start()  # same data directory and port
            page.goto(f"{server.url}/thread/{thread_id}")
            expect(page.locator(ASSISTANT).filter(has_text="C104").first).to_be_visible(timeout=TIMEOUT)
            before = page.locator(ASSISTANT).count()
            time.sleep(1.0)
            ask(page, "Who are our 3 most profitable customers?")
            expect(page.locator(ASSISTANT)).to_have_count(before + 1, timeout=TIMEOUT)
            last = page.locator(ASSISTANT).last
            expect(last).to_contain_text("C104", timeout=TIMEOUT)  # the uploaded data, not the demo
            assert re.search(r"4,?250", last.inner_text())
            browser.close()
    except Exception:
        print(server.log())
        raise
    finally:
        server.stop()
