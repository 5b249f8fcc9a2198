"""A login flood from its own process: ``python -m tests.security.flood URL SECONDS CLIENTS OUT.json``.

Each client binds its own 127.0.1.x address and posts wrong passwords for ever new names as fast as
the server answers, for SECONDS or until SIGTERM; the counts of responses by status go to OUT.json.
The test pauses and resumes it (SIGSTOP/SIGCONT) to measure with and without the flood in turns. A separate process
so the flood's client-side work does not slow the measuring client's own event loop; it runs at a
lower CPU priority (nice 10) because a real attacker's CPU is not the server's: on this one machine
the flood's own client work would otherwise be counted as the server slowing down.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sys
import time

import httpx


async def main(url: str, seconds: float, clients: int, out: str) -> None:
    counts: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)

    async def flooder(i: int) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{i + 1}")
        async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as client:
            while time.monotonic() < deadline and not stop.is_set():
                name = f"victim{random.randrange(10**9)}"  # noqa: S311
                try:
                    response = await client.post("/login", data={"username": name, "password": "wrong"})
                    key = str(response.status_code)
                except httpx.HTTPError:
                    key = "error"
                counts[key] = counts.get(key, 0) + 1

    await asyncio.gather(*(flooder(i) for i in range(clients)))
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(counts, fh)


if __name__ == "__main__":
    os.nice(10)
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
