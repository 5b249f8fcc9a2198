"""``python -m benchmarks.fresh_clone [--pip]``: clone to a serving chat with nothing cached.

Clones the committed HEAD into a temporary directory and, with empty package caches (a throwaway
UV_CACHE_DIR, PIP_NO_CACHE_DIR=1), measures:

- ``make install`` (uv from the registry, then ``uv sync --frozen`` from uv.lock, bytecode compiled);
- ``make run`` until the chat's first HTTP request is answered (GET / returns 200);
- the first ``custfin ask`` call on the demo company (bytecode already compiled at install);
- with ``--pip``: ``pip install`` of the same exact pins (``uv export`` of the lock) into a second venv,
  the baseline for the installer.

Prints one line per figure; the README's Quick start quotes them. Needs the registries (it installs).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _serve_seconds(clone: Path, env: dict[str, str], timeout: float = 300.0) -> float:
    """Seconds from `make run` on a fresh clone until GET / answers 200 (install included)."""
    port = _free_port()
    log = (clone / "make-run.log").open("w")
    start = time.perf_counter()
    server = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, env=env, stdout=log, stderr=log)  # noqa: S603
    try:
        while time.perf_counter() - start < timeout:
            if server.poll() is not None:
                raise RuntimeError("make run stopped:\n" + (clone / "make-run.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the chat did not answer within the timeout")
    finally:
        subprocess.run(["pkill", "-f", "--", f"--port {port}"], check=False)
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip", action="store_true", help="also time pip installing the same pins")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="custfin-fresh-") as tmp:
        root = Path(tmp)
        env = {**os.environ, "UV_CACHE_DIR": str(root / "uv-cache"), "PIP_NO_CACHE_DIR": "1"}
        serve_clone = root / "serve"
        subprocess.run(["git", "clone", "-q", str(REPO), str(serve_clone)], check=True)
        print(f"fresh clone -> chat answering (make run, empty caches): {_serve_seconds(serve_clone, env):.1f} s")

        clone = root / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        env["UV_CACHE_DIR"] = str(root / "uv-cache-2")
        print(f"make install (uv sync --frozen, empty cache):          {_timed(['make', 'install'], clone, env):.1f} s")
        custfin = str(clone / ".venv" / "bin" / "custfin")
        first = _timed([custfin, "ask", "Who are our 5 most profitable customers?", "--json"], clone, env)
        print(f"first custfin ask (demo company):                      {first:.1f} s")
        second = _timed([custfin, "ask", "Who are our 5 most profitable customers?", "--json"], clone, env)
        print(f"second custfin ask:                                    {second:.1f} s")
        if args.pip:
            pins = root / "pins.txt"
            uv = str(clone / ".venv" / "bin" / "uv")
            subprocess.run(
                [uv, "export", "--frozen", "--no-hashes", "--no-emit-project", "-o", str(pins)],
                cwd=clone, env=env, check=True, stdout=subprocess.DEVNULL,
            )
            venv = root / "pip-venv"
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "-r", str(pins)]
            print(f"pip install of the same pins (empty cache):            {_timed(pip, clone, env):.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
