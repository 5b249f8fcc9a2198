"""Attack 9 in a real browser (Debian's Chromium): loading and using the chat makes no request to any
host but the server, the page is served with a CSP (no framing) and the other security headers, the
UI works under that CSP (no violations), and URLs written in the data do not become links in the
answer, the table or the chart."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from tests.integration.server import CHROMIUM, CHROMIUM_ARGS, Server, in_thread

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ASSISTANT = '[data-step-type="assistant_message"]'
EVIL = [
    "http://evil.example/a",
    "www.evil.example",
    "bob@evil.example",
    "<a href='http://evil.example/b'>click</a>",
    "[x](https://evil.example/c)",
]


@pytest.fixture(scope="module")
def local_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("offline") / "data").start()  # the automatic local user
    try:
        yield srv
    finally:
        srv.stop()


def test_chat_loads_nothing_from_outside_and_data_makes_no_links(local_server, tmp_path):
    in_thread(scenario, local_server, tmp_path)  # Playwright's sync API needs a thread without a loop


def scenario(local_server, tmp_path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/provision-test-deps.sh (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    orders = tmp_path / "links.csv"
    lines = ["customer_id,date,revenue,cost,product"]
    for i in range(20):
        product = EVIL[i % len(EVIL)].replace('"', "'")
        lines.append(f'C{i % 6:03d},2024-0{i % 9 + 1}-1{i % 9},{1000 + 37 * i},{400 + 11 * i},"{product}"')
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")

    outside: list[str] = []
    violations: list[str] = []
    loopback = {"127.0.0.1", "localhost", "::1"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1600})
            context.set_default_timeout(60_000)

            def gate(route):
                host = urlparse(route.request.url).hostname or ""
                if route.request.url.startswith(("data:", "blob:")) or host in loopback:
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", gate)
            page = context.new_page()
            page.on(
                "console",
                lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
            )
            document = page.goto(local_server.url)
            headers = document.headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert "script-src 'self'" in headers["content-security-policy"]
            assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
            expect(page.locator("#chat-input")).to_be_visible()
            expect(page.locator(ASSISTANT).first).to_be_visible()
            time.sleep(1.0)
            page.locator('input[type="file"]').first.set_input_files(str(orders))
            expect(page.locator("#message-composer")).to_contain_text("links.csv")
            page.locator("#chat-input").fill("What is the profit by product?")
            expect(page.locator("#chat-submit")).to_be_enabled()
            page.locator("#chat-submit").click()
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=120_000)
            answer = page.locator(ASSISTANT).last
            expect(answer).to_contain_text("evil", timeout=60_000)
            time.sleep(2.0)  # anything the chart or the table would fetch
            links = page.evaluate(
                "() => Array.from(document.querySelectorAll('a[href], [*|href]'))"
                ".map(a => a.getAttribute('href') || a.getAttribute('xlink:href') || '')"
                ".filter(h => h.includes('evil'))"
            )
            assert links == [], f"data text became links: {links}"
            assert outside == [], f"requests to other hosts: {outside}"
            assert violations == [], f"the UI broke its own CSP: {violations[:5]}"
        finally:
            browser.close()
