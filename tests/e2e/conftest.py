"""Real-browser test harness: the Chainlit app on a free local port, Debian's Chromium via Playwright.

The server is started once per test session with the project's own `chainlit run app.py --headless`
(repository root as working directory, no API keys, so the offline engine answers) and terminated at
the end. Chromium is Debian's /usr/bin/chromium (Playwright's own browser download does not work on
these machines); the tests fail (never skip) when that binary is missing; `make test` provisions it.

Set CUSTFIN_E2E_SCREENSHOTS=DIR to keep a screenshot of every test; failures are always saved to /tmp.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.server import CHROMIUM, CHROMIUM_ARGS, Server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _fit_viewport_to_chat(page, max_height: int = 9000) -> None:
    """The chat scrolls inside a container, so a full-page screenshot would show only its window:
    grow the viewport to the tallest scrollable content so the whole conversation is captured."""
    with contextlib.suppress(Exception):
        height = page.evaluate(
            """() => Math.max(window.innerHeight, ...Array.from(document.querySelectorAll('*'))
                .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
                .map(e => window.innerHeight + e.scrollHeight - e.clientHeight))"""
        )
        width = page.viewport_size["width"] if page.viewport_size else 1280
        page.set_viewport_size({"width": width, "height": min(int(height) + 250, max_height)})
        page.wait_for_timeout(800)


@pytest.fixture(scope="session")
def chainlit_url(tmp_path_factory) -> Iterator[str]:
    """Start `chainlit run app.py --headless` on a free port from the repo root; yield its URL; stop it."""
    server = Server(tmp_path_factory.mktemp("chainlit") / "data").start()
    try:
        yield server.url
    finally:
        server.stop()
        if os.environ.get("CUSTFIN_E2E_SERVER_LOG"):
            print(f"\n--- chainlit server log ({server.log_path}) ---\n{server.log(20_000)}")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Fails (never skips) when /usr/bin/chromium is absent: `make test`
    provisions it (scripts/provision-test-deps.sh)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/provision-test-deps.sh (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, request):
    """Factory for pages (one browser context each, e.g. new_page(locale="zh-CN")).

    On failure a full-page screenshot goes to /tmp/custfin-e2e-<test>-<n>.png; with
    CUSTFIN_E2E_SCREENSHOTS=DIR every test's pages are saved there too.
    """
    contexts = []

    def make(locale: str = "en-US"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 1600})
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make

    failed = any(
        getattr(request.node, f"rep_{phase}", None) is not None
        and getattr(request.node, f"rep_{phase}").failed
        for phase in ("setup", "call")
    )
    keep_dir = os.environ.get("CUSTFIN_E2E_SCREENSHOTS")
    targets = []
    if failed:
        targets.append(Path(tempfile.gettempdir()))
    if keep_dir:
        Path(keep_dir).mkdir(parents=True, exist_ok=True)
        targets.append(Path(keep_dir))
    for n, context in enumerate(contexts):
        for page in context.pages:
            if targets:
                _fit_viewport_to_chat(page)
            for target in targets:
                path = target / f"custfin-e2e-{request.node.name}-{n}.png"
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(path), full_page=True)
                    print(f"screenshot: {path}")
        with contextlib.suppress(Exception):
            context.close()
