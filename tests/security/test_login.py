"""Attack 4: password guessing. Failures are throttled per name and per client address with an
exponentially growing wait (429, Retry-After, a message in English and Chinese); a throttled name is
refused even with the right password until the wait is over; and a flood of concurrent wrong
passwords from many addresses does not slow a signed-in user's questions (measured: the median answer
time during the flood against the median just before it, in the same run).

Different client addresses are real: the clients bind 127.0.0.x source addresses (Linux routes all
of 127/8 to loopback), which the server sees as different peers.
"""

from __future__ import annotations

import asyncio
import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.security.conftest import PASSWORD, TIMEOUT, chat_user, run

QUESTION = "Top 10 customers by revenue"
ROOT = Path(__file__).resolve().parents[2]


def attempt(url: str, name: str, password: str, address: str) -> httpx.Response:
    with httpx.Client(
        base_url=url, timeout=TIMEOUT, transport=httpx.HTTPTransport(local_address=address)
    ) as c:
        return c.post("/login", data={"username": name, "password": password})


def test_per_name_back_off_grows_and_holds_against_the_right_password(server):
    addresses = iter(f"127.0.0.{i}" for i in range(30, 90))
    statuses = [attempt(server.url, "heidi", "wrong guess", next(addresses)).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]  # three free attempts, from three different addresses
    waits = []
    for _ in range(3):
        refused = attempt(server.url, "heidi", PASSWORD, next(addresses))  # even the right password
        assert refused.status_code == 429
        body = refused.json()
        assert body["detail"] == "toomanyattempts"  # the login page's translation key
        assert (
            "Too many sign-in attempts" in body["message"]["en"] and "登录尝试过多" in body["message"]["zh"]
        )
        wait = int(refused.headers["Retry-After"])
        assert wait == body["retry_after"] and wait >= 1
        waits.append(wait)
        time.sleep(wait + 0.2)
        assert attempt(server.url, "heidi", "wrong again", next(addresses)).status_code == 401
    assert waits[0] < waits[1] < waits[2]  # exponential: 1, 2, 4 s
    time.sleep(waits[-1] * 2 + 0.2)
    ok = attempt(server.url, "heidi", PASSWORD, next(addresses))
    assert ok.status_code == 200  # after the wait the owner gets in, and the count starts again
    assert attempt(server.url, "heidi", "typo", next(addresses)).status_code == 401


def test_per_address_back_off(server):
    address = "127.0.0.91"
    names = [f"guess{i}" for i in range(6)]
    statuses = [attempt(server.url, n, "wrong", address).status_code for n in names]
    assert statuses[:3] == [401, 401, 401] and statuses[3] == 429  # different names, same address
    assert attempt(server.url, "grace", PASSWORD, "127.0.0.92").status_code == 200  # others unaffected


def test_login_flood_does_not_slow_signed_in_users(server, tmp_path):
    """24 concurrent wrong-password clients (another process), each from its own address with ever new
    names, against a signed-in user asking questions. The flood is paused and resumed in turns
    (SIGSTOP/SIGCONT), so answers with and without it are measured under the same background load.
    Target: the median answer time with the flood within 2x of the median without it."""
    counts_file = tmp_path / "flood.json"

    async def scenario() -> dict:
        user = await chat_user(server.url, "bob")
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.security.flood", server.url, "600", "24", str(counts_file)],
            cwd=ROOT,
        )
        base: list[float] = []
        flood: list[float] = []
        try:
            await user.ask(QUESTION, "")  # warm: the first answer builds caches
            for _ in range(4):
                for paused, samples in ((True, base), (False, flood)):
                    proc.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)
                    await asyncio.sleep(1.5)  # requests in flight settle / the flood is under way again
                    for _ in range(4):
                        reply = await user.ask(QUESTION, "")
                        assert reply.error is None, reply.error
                        samples.append(reply.latency)
            assert proc.poll() is None, "the flood ended before the measurement did"
        finally:
            proc.send_signal(signal.SIGCONT)
            proc.terminate()
            proc.wait(timeout=60)
            await user.aclose()
        return {"base": base, "flood": flood}

    out = run(scenario())
    counts = json.loads(counts_file.read_text())
    base, flood = statistics.median(out["base"]), statistics.median(out["flood"])
    ratio = flood / base
    print(
        f"\nlogin flood: answer median {base:.3f} s without, {flood:.3f} s during (ratio {ratio:.2f}); "
        f"login responses by status {counts}"
    )
    # every address was throttled (3 free failures, then 1, 2, 4 s ...)
    assert counts.get("429", 0) >= 24
    assert ratio <= 2.0, f"signed-in latency ratio {ratio:.2f} (without {out['base']}, during {out['flood']})"
