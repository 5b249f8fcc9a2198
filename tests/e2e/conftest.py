"""Real-browser test harness: the Chainlit app on a free local port, Debian's Chromium via Playwright.

The server is started once per test session with the project's own `chainlit run app.py --headless`
(repository root as working directory, no API keys, so the offline engine answers) and terminated at
the end. Chromium is Debian's /usr/bin/chromium (Playwright's own browser download does not work on
these machines); the tests skip only when that binary is missing.

Set CUSTFIN_E2E_SCREENSHOTS=DIR to keep a screenshot of every test; failures are always saved to /tmp.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CUSTFIN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 90  # seconds: imports + demo data on a 2-core machine
# Anything that would switch the app to a language model or a remote service is removed.
SCRUBBED_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "CUSTFIN_ENGINE", "CUSTFIN_MODEL")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chainlit_executable() -> list[str]:
    """The venv's `chainlit` script next to the running interpreter, else `python -m chainlit`."""
    script = Path(sys.executable).with_name("chainlit")
    if script.exists():
        return [str(script)]
    found = shutil.which("chainlit")
    return [found] if found else [sys.executable, "-m", "chainlit"]


def _wait_for_http(url: str, proc: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error: object = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"chainlit exited with code {proc.returncode} before serving:\n{_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
                last_error = response.status
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = exc
        time.sleep(0.5)
    raise RuntimeError(f"chainlit did not answer {url} within {timeout}s ({last_error}):\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


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
    """Start `chainlit run app.py --headless --port P` from the repo root; yield its URL; stop it."""
    port = _free_port()
    workdir = tmp_path_factory.mktemp("chainlit")
    log_path = workdir / "server.log"
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(
        PYTHONUNBUFFERED="1",
        CUSTFIN_DATA_DIR=str(workdir / "data"),
        CHAINLIT_HOST="127.0.0.1",
        CHAINLIT_PORT=str(port),
    )
    command = [*_chainlit_executable(), "run", "app.py", "--headless", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(  # noqa: S603 (fixed command line)
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_http(url + "/", proc, log_path, SERVER_START_TIMEOUT)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if os.environ.get("CUSTFIN_E2E_SERVER_LOG"):
            print(f"\n--- chainlit server log ({log_path}) ---\n{_tail(log_path, 200)}")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Skips (with the reason) only when /usr/bin/chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
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
