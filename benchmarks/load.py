"""Load test: simulated users over Chainlit's socket against ``chainlit run app.py`` on loopback.

    python -m benchmarks.load [--users 20] [--seconds 120] [--quick] [--json PATH]
                              [--rounds K] [--settle S] [--ui-close] [--env NAME=VALUE ...]

What it does (all traffic to 127.0.0.1, bounded in count and time):

1. Builds the inputs (benchmarks/data.py): every user gets the demo transactions of 2,000 customers
   (~22.6k rows, 2 MB); one extra "heavy" user gets those of 100,000 customers (~1.12M rows, 105 MB).
2. Starts the server in a subprocess with a temporary CUSTFIN_DATA_DIR and one password user per
   simulated user (created before the start, so login is on and each client is its own user for the
   per-user rate limit; the automatic local user would put every client in one bucket).
3. Warm-up round: every client (heavy one included) signs in (POST /login), opens a socket, uploads its
   file (POST /project/file?session_id=..., then a ``client_message`` whose ``fileReferences`` name the
   file id), asks a few questions (between them the users ask every question of the rotation once) and
   closes its chat: ``clear_session``, a 0.2 s pause, then disconnect, a "new chat" that Chainlit clears
   at once. (The UI sends the two back to back; Chainlit 2.12 then loses the clear request and, as for a
   closed tab, keeps the chat and its uploads for ``session_timeout``; ``--ui-close`` closes that way.)
   The server's RSS ``--settle`` seconds (30) after the last chat closed is the memory baseline.
4. Main run: the users open new chats, upload again and ask questions from a fixed rotation, one every
   ``--interval`` seconds (+-20% jitter, never before the previous answer; default 6 s = 10 a minute,
   half of CUSTFIN_RATE_PER_MINUTE=20), for ``--seconds``. The heavy user starts after a fifth of the
   run, uploads the 1M-row file and asks heavy questions with a pause between them, so the other users'
   answers can be compared while its work runs and while it does not. A probe GETs /health every 0.5 s
   (event-loop responsiveness).
5. All chats are closed; RSS is read right then (for information), ``--settle`` seconds later and
   again after an idle period. The benchmark never asks the server to free anything: giving memory back
   after chats end is the server's own job (agent/memory.py, a few seconds after a chat ends), and the
   settle period is the time it has for it. With ``--rounds K`` step 4 runs K times against the same
   server (all chats closed between rounds, RSS read after each), which tells a leak (RSS climbs round
   after round) from allocator retention or one-time caches (RSS plateaus). ``--env NAME=VALUE`` adds
   to the server's environment and ``--env NAME=`` removes NAME (A/B runs of the allocator settings in
   SERVER_ENV); ``--app`` runs another app file (A/B runs of the app).

An answer's latency runs from emitting ``client_message`` to the server's ``task_end`` for it. Errors
are: a failed login/upload/connection, a timeout or disconnect, no reply, a Chainlit error message,
the app's "Sorry, something went wrong" reply, a rate-limit reply, a tool step marked as an error, an
upload the app could not use, or a "What data is loaded?" answer that does not name the uploaded file.

Memory criterion: RSS (server process and its children, from /proc) after the run, both ``--settle``
seconds after the last chat closed and after the idle period (the higher of the two counts), must not
exceed the baseline (read the same way after the warm-up) by more than max(10% of the baseline,
64 MiB). Every reading is taken with every chat closed, so the server holds the same live state; the
allowance is for allocator fragmentation and one-time caches, not for per-question growth: 600 answers
that each leaked a table would exceed it.

Exit status: 0 when there were no errors (and, in a full run, the memory criterion holds); 1 on any
error; 2 when the only failure is memory growth. ``--quick`` (2 users, 15 s, a 110k-row heavy file,
5 s settle and idle) reports memory without judging it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-password"  # noqa: S105 (throwaway users in a temporary data directory)
SCRUBBED_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "CUSTFIN_ENGINE", "CUSTFIN_MODEL")
START_TIMEOUT = 120.0
ANSWER_TIMEOUT = 240.0
CONNECT_TIMEOUT = 30.0
PROBE_EVERY = 0.5
SETTLE = 30.0  # seconds from the last chat closing to a judged RSS reading (the server's own release)
MEMORY_SLACK_FRACTION = 0.10
MEMORY_SLACK_BYTES = 64 * 2**20
# Allocator settings the server is started with, as ``make run`` does (A/B with --env): two glibc malloc
# arenas instead of 8 per core for the asyncio.to_thread workers, and pyarrow (pandas' string columns) on
# the system allocator instead of its mimalloc pool; both keep freed memory the OS could have back.
SERVER_ENV: dict[str, str] = {"MALLOC_ARENA_MAX": "2", "ARROW_DEFAULT_MEMORY_POOL": "system"}
# Questions every user cycles through (offline engine; each runs a tool on the uploaded transactions).
QUESTIONS = [
    "What data is loaded?",
    "Top 10 customers by revenue",
    "Which region is the most profitable?",
    "How concentrated is our profit?",
    "Segment my customers by recency, frequency and monetary value",
    "What is the customer lifetime value?",
    "Quarterly revenue for the past two years",
    "Profit by product",
    "Who are the hibernating customers?",
    "利润最高的5个客户是谁？",
    "Costs by year",
    "Which customers cost us the most to serve?",
    "各区域的利润是多少？",
    "Which customers are loyal?",
    "Historical CLV by region",
]
HEAVY_QUESTIONS = [
    "What data is loaded?",
    "Top 10 customers by revenue",
    "Segment my customers by recency, frequency and monetary value",
    "Which region is the most profitable?",
    "How concentrated is our profit?",
    "Costs by year",
    "Who are the hibernating customers?",
    "各区域的利润是多少？",
]
OVERVIEW = QUESTIONS[0]
# Replies that are failures (English and Chinese wording of prompts/answers.py and agent/ratelimit.py).
FAILURE_MARKERS = (
    "Sorry, something went wrong",
    "抱歉，处理时出现问题",
    "faster than this server allows",
    "提问过于频繁",
    "could not be read; please attach it again",
    "无法读取上传的文件",
)
UPLOAD_OK = re.compile(r"([\d,]+) of ([\d,]+) rows kept|共 ([\d,]+) 行，保留 ([\d,]+) 行")


# --------------------------------------------------------------------------------------------- server


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_users(data_dir: Path, names: list[str]) -> None:
    """Password users in the server's (not yet started) data directory."""
    os.environ["CUSTFIN_DATA_DIR"] = str(data_dir)  # Settings() reads it; this process only
    from agent import auth
    from agent.settings import Settings

    settings = Settings(data_dir=data_dir)
    for name in names:
        auth.add_user(settings, name, PASSWORD)


class Server:
    """``chainlit run app.py --headless`` on 127.0.0.1 with its own data directory, environment and log
    (the load test's server and the integration tests'). ``env`` is added to this process's environment
    (minus model keys); a name given an empty value is removed. Restarts keep the port and the log."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        log_path: Path | None = None,
        app: Path = ROOT / "app.py",
        **env: str,
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or data_dir.parent / f"server-{self.port}.log"
        self.app = app
        self.env = env
        # Its own signing key, so a developer's .env (make run writes one) never changes what it signs with
        self.auth_secret = env.get("CHAINLIT_AUTH_SECRET") or secrets.token_urlsafe(48)
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV and k != "CHAINLIT_AUTH_SECRET"}
        env.update(
            PYTHONUNBUFFERED="1", CUSTFIN_DATA_DIR=str(self.data_dir), CHAINLIT_AUTH_SECRET=self.auth_secret, **self.env
        )
        env = {k: v for k, v in env.items() if v or k not in self.env}
        command = [
            str(Path(sys.executable).with_name("chainlit")),
            "run",
            str(self.app),
            "--headless",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=5) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server did not start within {START_TIMEOUT:.0f}s:\n{self.log()}")

    def log(self, chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _rss_of(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            pass
    return found


def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, in bytes (0 when gone)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_of(p)
        todo += _children(p)
    return total


# --------------------------------------------------------------------------------------------- client


class ClientError(Exception):
    """A failure seen by a simulated user (counted as an error)."""


@dataclass
class Reply:
    """One question (or upload) and what came back."""

    user: str
    kind: str  # "question" | "upload"
    text: str
    phase: str
    heavy: bool
    t0: float
    t1: float
    error: str | None = None
    tools: list[str] = field(default_factory=list)
    answer: str = ""

    @property
    def latency(self) -> float:
        return self.t1 - self.t0


class User:
    """One simulated browser tab: an HTTP client (login, upload) and a Socket.IO client (chat)."""

    def __init__(self, url: str, name: str, heavy: bool, record: list[Reply], ui_close: bool = False) -> None:
        import httpx

        self.url = url
        self.name = name
        self.heavy = heavy
        self.record = record
        self.http = httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(ANSWER_TIMEOUT, connect=10))
        self.sio: Any = None
        self.session_id = ""
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.phase = ""
        self.ui_close = ui_close

    async def login(self) -> None:
        response = await self.http.post("/login", data={"username": self.name, "password": PASSWORD})
        if response.status_code != 200:
            raise ClientError(f"login {response.status_code}: {response.text[:200]}")

    def _on(self, event: str):
        async def handler(data: Any = None) -> None:
            self.events.put_nowait((event, data))

        return handler

    async def open_chat(self) -> None:
        """A new chat: socket connect (auth sessionId/clientType), connection_successful, the welcome."""
        self.session_id = str(uuid.uuid4())
        await self._connect()
        await self.sio.emit("connection_successful")
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:  # the welcome message from on_chat_start
            event, data = await self._next(deadline, "welcome")
            if event == "new_message" and data.get("type") == "assistant_message":
                if data.get("isError"):
                    raise ClientError(f"welcome is an error: {data.get('output', '')[:200]}")
                return

    async def reconnect(self) -> None:
        """Drop the socket without clearing the chat, then connect again to the same chat (a network
        blip: Chainlit keeps the chat for its reconnect window and starts no new one)."""
        await self.sio.disconnect()
        await self._connect()

    async def _connect(self) -> None:
        import socketio

        self.sio = socketio.AsyncClient(reconnection=False)
        self.events = asyncio.Queue()
        for event in ("new_message", "update_message", "task_start", "task_end", "stream_start", "element"):
            self.sio.on(event, self._on(event))
        self.sio.on("disconnect", self._on("disconnect"))
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        try:
            await self.sio.connect(
                self.url,
                socketio_path="/ws/socket.io",
                transports=["websocket"],
                headers={"Cookie": cookie},
                auth={
                    "sessionId": self.session_id,
                    "clientType": "webapp",
                    "userEnv": "{}",
                    "threadId": None,
                },
                wait_timeout=CONNECT_TIMEOUT,
            )
        except Exception as exc:
            raise ClientError(f"socket connect failed: {exc!r}") from exc

    async def _next(self, deadline: float, what: str) -> tuple[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ClientError(f"timeout waiting for {what}")
        try:
            event, data = await asyncio.wait_for(self.events.get(), timeout=remaining)
        except TimeoutError:
            raise ClientError(f"timeout waiting for {what}") from None
        if event == "disconnect":
            raise ClientError(f"socket disconnected while waiting for {what}")
        return event, data or {}

    async def close_chat(self) -> None:
        if self.sio is not None and self.sio.connected:
            await self.sio.emit("clear_session")
            if not self.ui_close:  # the UI disconnects at once
                await asyncio.sleep(0.2)
            await self.sio.disconnect()
        self.sio = None

    async def aclose(self) -> None:
        try:
            await self.close_chat()
        finally:
            await self.http.aclose()

    async def _exchange(self, content: str, file_refs: list[dict] | None) -> tuple[float, float, list[dict]]:
        """Send one user message; return (sent, done, final steps) once its task_end arrives."""
        while not self.events.empty():
            event, _ = self.events.get_nowait()
            if event == "disconnect":
                raise ClientError("socket disconnected")
        message = {
            "id": str(uuid.uuid4()),
            "name": self.name,
            "type": "user_message",
            "output": content,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "metadata": {},
        }
        t0 = time.monotonic()
        await self.sio.emit("client_message", {"message": message, "fileReferences": file_refs})
        deadline = t0 + ANSWER_TIMEOUT
        steps: dict[str, dict] = {}
        started = False
        while True:
            event, data = await self._next(deadline, "the answer")
            if event in ("new_message", "update_message") and isinstance(data, dict) and data.get("id"):
                steps[data["id"]] = {**steps.get(data["id"], {}), **data}
            elif event == "task_start":
                started = True
            elif event == "task_end" and started:
                return t0, time.monotonic(), list(steps.values())

    async def upload(self, path: Path) -> None:
        """POST the file to /project/file for this session, then send it in a message (as the UI does)."""
        t0 = time.monotonic()
        reply = Reply(self.name, "upload", path.name, self.phase, self.heavy, t0, t0)
        try:
            with path.open("rb") as fh:
                response = await self.http.post(
                    "/project/file",
                    params={"session_id": self.session_id},
                    files={"file": (path.name, fh, "text/csv")},
                )
            if response.status_code != 200:
                raise ClientError(f"upload HTTP {response.status_code}: {response.text[:200]}")
            ref = response.json()
            _, reply.t1, steps = await self._exchange("", [ref])
            reply.t0 = t0  # the upload's latency includes the HTTP transfer
            answers = [s for s in steps if s.get("type") == "assistant_message"]
            text = "\n".join(s.get("output") or "" for s in answers)
            reply.answer = text[:300]
            problem = check_steps(steps)
            match = UPLOAD_OK.search(text)
            if problem:
                reply.error = problem
            elif not match or not int((match.group(1) or match.group(4)).replace(",", "")):
                reply.error = f"upload not accepted: {text[:200]!r}"
        except ClientError as exc:
            reply.t1, reply.error = time.monotonic(), str(exc)
        self.record.append(reply)
        if reply.error:
            raise ClientError(reply.error)

    async def ask(self, question: str, filename: str) -> Reply:
        t0 = time.monotonic()
        reply = Reply(self.name, "question", question, self.phase, self.heavy, t0, t0)
        try:
            reply.t0, reply.t1, steps = await self._exchange(question, None)
            answers = [s for s in steps if s.get("type") == "assistant_message"]
            reply.tools = [s.get("name", "") for s in steps if s.get("type") == "tool"]
            reply.answer = "\n".join(s.get("output") or "" for s in answers)[:300]
            reply.error = check_steps(steps)
            if not reply.error and question == OVERVIEW and filename not in reply.answer:
                reply.error = f"answer is not about the uploaded file: {reply.answer[:200]!r}"
        except ClientError as exc:
            reply.t1, reply.error = time.monotonic(), str(exc)
        self.record.append(reply)
        return reply


def check_steps(steps: list[dict]) -> str | None:
    """The first failure among the steps of one reply, or None."""
    answers = [s for s in steps if s.get("type") == "assistant_message"]
    if not answers:
        return "no reply"
    for step in steps:
        output = str(step.get("output") or "")
        if step.get("isError"):
            kind = "tool step error" if step.get("type") == "tool" else "error message"
            return f"{kind}: {step.get('name')}: {output[:200]!r}"
        for marker in FAILURE_MARKERS:
            if marker in output:
                return f"failure reply: {output[:200]!r}"
    return None


# ------------------------------------------------------------------------------------------------ run


@dataclass
class Plan:
    users: int
    seconds: float
    interval: float
    rate: int
    idle: float
    heavy: bool
    heavy_customers: int
    quick: bool
    app: Path = ROOT / "app.py"
    rounds: int = 1
    env: dict[str, str] = field(default_factory=dict)
    settle: float = SETTLE
    ui_close: bool = False


@dataclass
class Outcome:
    plan: Plan
    replies: list[Reply] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # errors outside a reply (login, connect, ...)
    probes: list[tuple[float, float, bool]] = field(default_factory=list)  # (t, latency, ok)
    rss: dict[str, int] = field(default_factory=dict)
    judged_after: list[str] = field(default_factory=list)  # the readings of ``rss`` the verdict compares
    rss_samples: list[tuple[float, int]] = field(default_factory=list)
    heavy_rows: int = 0
    light_rows: int = 0
    run_start: float = 0.0
    run_end: float = 0.0


async def guarded(outcome: Outcome, user: User, coro) -> None:
    try:
        await coro
    except ClientError as exc:
        outcome.failures.append(f"{user.name} ({user.phase}): {exc}")
    except Exception as exc:  # a bug in a client must count, not vanish
        outcome.failures.append(f"{user.name} ({user.phase}): {type(exc).__name__}: {exc}")


async def warm_up(user: User, path: Path, questions: list[str]) -> None:
    user.phase = "warm-up"
    await user.open_chat()
    try:
        await user.upload(path)
        for question in questions:
            await user.ask(question, path.name)
    finally:
        await user.close_chat()


def warm_up_questions(index: int, users: int, heavy: bool) -> list[str]:
    """Between them the regular users ask every question of the rotation once (so lazy imports and
    caches are loaded before the baseline), each at least one; the heavy user asks two heavy ones."""
    if heavy:
        return HEAVY_QUESTIONS[1:3]
    return QUESTIONS[index::users] or [QUESTIONS[index % len(QUESTIONS)]]


async def light_user(user: User, path: Path, plan: Plan, start: float, offset: int) -> None:
    user.phase = "run"
    await asyncio.sleep(random.uniform(0, min(5.0, plan.interval)))  # staggered arrivals
    await user.open_chat()
    try:
        await user.upload(path)
        end = start + plan.seconds
        i = offset
        while time.monotonic() < end:
            sent = time.monotonic()
            await user.ask(QUESTIONS[i % len(QUESTIONS)], path.name)
            i += 1
            pause = plan.interval * random.uniform(0.8, 1.2)
            wait = sent + pause - time.monotonic()
            if time.monotonic() + max(wait, 0) >= end:
                break
            await asyncio.sleep(max(wait, 60.0 / plan.rate * 1.05 - (time.monotonic() - sent), 0))
    finally:
        await user.close_chat()


async def heavy_user(user: User, path: Path, plan: Plan, start: float) -> None:
    user.phase = "run"
    await asyncio.sleep(plan.seconds / 5)  # the others run alone first: a baseline
    await user.open_chat()
    try:
        await user.upload(path)
        end = start + plan.seconds
        i = 0
        while time.monotonic() < end:
            await user.ask(HEAVY_QUESTIONS[i % len(HEAVY_QUESTIONS)], path.name)
            i += 1
            await asyncio.sleep(min(4.0, max(end - time.monotonic(), 0)))  # idle gaps between heavy work
    finally:
        await user.close_chat()


async def probe(url: str, outcome: Outcome, stop: asyncio.Event) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                ok = (await client.get("/health")).status_code == 200
            except httpx.HTTPError:
                ok = False
            outcome.probes.append((t0, time.monotonic() - t0, ok))
            try:
                await asyncio.wait_for(stop.wait(), timeout=PROBE_EVERY)
            except TimeoutError:
                pass


async def sample_rss(pid: int, outcome: Outcome, stop: asyncio.Event) -> None:
    while not stop.is_set():
        outcome.rss_samples.append((time.monotonic(), tree_rss(pid)))
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except TimeoutError:
            pass


async def drive(server: Server, plan: Plan, light: Path, heavy: Path | None, outcome: Outcome) -> None:
    assert server.proc is not None
    pid = server.proc.pid
    names = [f"user{i:02d}" for i in range(1, plan.users + 1)]
    users = [User(server.url, n, False, outcome.replies, plan.ui_close) for n in names]
    if heavy is not None:
        users.append(User(server.url, "heavy", True, outcome.replies, plan.ui_close))
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pid, outcome, stop))
    try:
        outcome.rss["after start"] = tree_rss(pid)
        await asyncio.gather(*(guarded(outcome, u, u.login()) for u in users))
        # Warm-up: every client once (upload + one question), chats closed.
        await asyncio.gather(
            *(
                guarded(
                    outcome,
                    u,
                    warm_up(
                        u, heavy if u.heavy and heavy else light, warm_up_questions(i, plan.users, u.heavy)
                    ),
                )
                for i, u in enumerate(users)
            )
        )
        outcome.rss["warm-up end, chats just closed"] = tree_rss(pid)
        await asyncio.sleep(plan.settle)
        outcome.rss["after warm-up"] = tree_rss(pid)

        probe_stop = asyncio.Event()
        prober = asyncio.create_task(probe(server.url, outcome, probe_stop))
        outcome.run_start = time.monotonic()
        for k in range(1, plan.rounds + 1):
            start = time.monotonic()
            tasks = []
            for i, u in enumerate(users):
                if u.heavy:
                    assert heavy is not None
                    tasks.append(guarded(outcome, u, heavy_user(u, heavy, plan, start)))
                else:
                    offset = i + (k - 1) * plan.users  # each round continues the rotation
                    tasks.append(guarded(outcome, u, light_user(u, light, plan, start, offset=offset)))
            await asyncio.gather(*tasks)
            label = "run" if plan.rounds == 1 else f"round {k}"
            outcome.rss[f"{label} end, chats just closed"] = tree_rss(pid)
            await asyncio.sleep(plan.settle)
            name = f"after {label}"
            outcome.rss[name] = tree_rss(pid)
            if plan.rounds > 1:
                print(f"  {name}: {mib(outcome.rss[name])}", flush=True)
        outcome.run_end = time.monotonic()
        probe_stop.set()
        await prober
        await asyncio.sleep(plan.idle)
        idle = f"after {plan.idle:.0f} s idle"
        outcome.rss[idle] = tree_rss(pid)
        outcome.judged_after = [name, idle]
    finally:
        stop.set()
        await sampler
        await asyncio.gather(*(u.aclose() for u in users), return_exceptions=True)
    if not server.alive():
        outcome.failures.append("the server process died")


# ------------------------------------------------------------------------------------------- report


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def mib(value: int | None) -> str:
    return "-" if not value else f"{value / 2**20:,.0f} MiB"


def overlaps(t0: float, t1: float, windows: list[tuple[float, float]]) -> bool:
    return any(t0 < b and a < t1 for a, b in windows)


def summarise(outcome: Outcome) -> dict[str, Any]:
    plan = outcome.plan
    replies = outcome.replies
    run = [r for r in replies if r.phase == "run"]
    questions = [r for r in run if r.kind == "question"]
    light_q = [r for r in questions if not r.heavy and not r.error]
    heavy_q = [r for r in questions if r.heavy and not r.error]
    heavy_windows = [(r.t0, r.t1) for r in run if r.heavy]
    during = [r.latency for r in light_q if overlaps(r.t0, r.t1, heavy_windows)]
    outside = [r.latency for r in light_q if not overlaps(r.t0, r.t1, heavy_windows)]
    probes_ok = [p for p in outcome.probes if p[2]]
    probe_during = [lat for t, lat, _ in probes_ok if overlaps(t, t + lat, heavy_windows)]
    probe_outside = [lat for t, lat, _ in probes_ok if not overlaps(t, t + lat, heavy_windows)]
    errors = [f"{r.user} ({r.phase}) {r.kind} {r.text!r}: {r.error}" for r in replies if r.error]
    errors += outcome.failures
    errors += [
        f"/health probe failed at +{t - outcome.run_start:.1f}s" for t, _, ok in outcome.probes if not ok
    ]

    def row(name: str, values: list[float]) -> dict[str, Any]:
        return {
            "name": name,
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "max": max(values) if values else None,
            "mean": statistics.fmean(values) if values else None,
        }

    run_rss = [v for t, v in outcome.rss_samples if outcome.run_start <= t <= outcome.run_end]
    baseline = outcome.rss.get("after warm-up", 0)
    final = max((outcome.rss.get(k, 0) for k in outcome.judged_after), default=0)
    allowance = max(int(baseline * MEMORY_SLACK_FRACTION), MEMORY_SLACK_BYTES)
    growth = final - baseline
    per_user_rate = [
        sum(1 for r in questions if r.user == u) / (plan.seconds * plan.rounds / 60)
        for u in {r.user for r in questions if not r.heavy}
    ]
    return {
        "users": plan.users,
        "heavy_user": plan.heavy,
        "seconds": plan.seconds,
        "rounds": plan.rounds,
        "server_env": {k: v for k, v in {**SERVER_ENV, **plan.env}.items() if v},
        "interval": plan.interval,
        "settle": plan.settle,
        "ui_close": plan.ui_close,
        "rate_per_minute": plan.rate,
        "light_rows": outcome.light_rows,
        "heavy_rows": outcome.heavy_rows,
        "questions_answered": sum(1 for r in questions if not r.error),
        "questions_answered_light": len(light_q),
        "questions_answered_heavy": len(heavy_q),
        "uploads": sum(1 for r in replies if r.kind == "upload" and not r.error),
        "max_questions_per_minute_per_user": max(per_user_rate, default=0.0),
        "errors": errors,
        "latency": [
            row("answers, all users (run)", [r.latency for r in questions if not r.error]),
            row("answers, regular users", [r.latency for r in light_q]),
            row("  while the heavy user works", during),
            row("  while it does not", outside),
            row("answers, heavy user", [r.latency for r in heavy_q]),
            row("uploads, regular users", [r.latency for r in run if r.kind == "upload" and not r.heavy]),
            row("upload, heavy user", [r.latency for r in run if r.kind == "upload" and r.heavy]),
            row("/health, while heavy user works", probe_during),
            row("/health, while it does not", probe_outside),
        ],
        "rss": dict(outcome.rss),
        "rss_judged_after": list(outcome.judged_after),
        "rss_peak_run": max(run_rss, default=0),
        "memory": {
            "baseline": baseline,
            "final": final,
            "growth": growth,
            "allowance": allowance,
            "ok": growth <= allowance,
            "judged": not plan.quick,
        },
    }


def print_report(summary: dict[str, Any]) -> None:
    heavy = f" + 1 heavy user on a {summary['heavy_rows']:,}-row file" if summary["heavy_user"] else ""
    print()
    rounds = f" x {summary['rounds']} rounds" if summary["rounds"] > 1 else ""
    print(
        f"custfin load test: {summary['users']} users{heavy}, {summary['seconds']:.0f} s{rounds}, "
        f"one question every "
        f"~{summary['interval']:g} s per user (at most {summary['max_questions_per_minute_per_user']:.1f}/min "
        f"seen; limit {summary['rate_per_minute']}/min); regular files {summary['light_rows']:,} rows"
    )
    print(
        f"questions answered: {summary['questions_answered']} "
        f"({summary['questions_answered_light']} regular, {summary['questions_answered_heavy']} heavy); "
        f"uploads: {summary['uploads']} (warm-up included); errors: {len(summary['errors'])}"
    )
    print()
    print(f"{'latency (s)':<36}{'n':>6}{'p50':>9}{'p95':>9}{'max':>9}")
    for r in summary["latency"]:
        print(f"{r['name']:<36}{r['n']:>6}{fmt_s(r['p50']):>9}{fmt_s(r['p95']):>9}{fmt_s(r['max']):>9}")
    print()
    env = " ".join(f"{k}={v}" for k, v in summary["server_env"].items()) or "(none)"
    print(f"server RSS (process tree, /proc); extra server environment: {env}")
    for name, value in summary["rss"].items():
        print(f"  {name:<30}{mib(value):>12}")
    print(f"  {'peak during the run':<30}{mib(summary['rss_peak_run']):>12}")
    m = summary["memory"]
    verdict = ("PASS" if m["ok"] else "FAIL") if m["judged"] else "INFO (--quick: not judged)"
    print(
        f"memory growth after the run (worst of {' / '.join(summary['rss_judged_after']) or '-'}) vs "
        f"after warm-up: {m['growth'] / 2**20:+,.0f} MiB "
        f"(allowed {m['allowance'] / 2**20:,.0f} MiB = max(10% of baseline, 64 MiB)): {verdict}"
    )
    if summary["errors"]:
        print(f"\nERRORS ({len(summary['errors'])}):")
        for e in summary["errors"][:50]:
            print(f"  - {e}")


# ------------------------------------------------------------------------------------------------ main


def build_inputs(plan: Plan) -> tuple[Path, Path | None]:
    from benchmarks import data
    from benchmarks.common import QUICK, Sizes

    light = data.clean_csv(QUICK)
    heavy = None
    if plan.heavy:
        heavy = data.clean_csv(
            Sizes(customers=plan.heavy_customers, clv_customers=0, repeats=1, process_repeats=1)
        )
    return light, heavy


def count_rows(path: Path | None) -> int:
    if path is None:
        return 0
    with path.open("rb") as fh:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1, 0)


def run(plan: Plan, json_path: Path | None = None) -> int:
    if plan.interval < 60.0 / plan.rate * 1.05:
        raise SystemExit(f"--interval {plan.interval} s is not under the rate limit of {plan.rate}/min")
    light, heavy = build_inputs(plan)
    outcome = Outcome(plan, light_rows=count_rows(light), heavy_rows=count_rows(heavy))
    workdir = Path(tempfile.mkdtemp(prefix="custfin-load-"))
    data_dir = workdir / "data"
    names = [f"user{i:02d}" for i in range(1, plan.users + 1)] + (["heavy"] if plan.heavy else [])
    create_users(data_dir, names)
    env = {**SERVER_ENV, "CUSTFIN_RATE_PER_MINUTE": str(plan.rate), **plan.env}
    server = Server(data_dir, log_path=workdir / "server.log", app=plan.app, **env)
    print(f"starting the server ({server.url}, data in {data_dir}) ...", flush=True)
    try:
        server.start()
        print(
            f"running: warm-up, then {plan.users} users{' + the heavy user' if plan.heavy else ''} "
            f"for {plan.seconds:.0f} s{f' x {plan.rounds} rounds' if plan.rounds > 1 else ''}, "
            f"{plan.settle:.0f} s settle after each, then {plan.idle:.0f} s idle ...",
            flush=True,
        )
        budget = (
            plan.rounds * (plan.seconds + plan.settle + 3 * ANSWER_TIMEOUT) + plan.settle + plan.idle + 120
        )
        asyncio.run(asyncio.wait_for(drive(server, plan, light, heavy, outcome), timeout=budget))
    except Exception as exc:
        outcome.failures.append(f"load run aborted: {type(exc).__name__}: {exc}")
    finally:
        server.stop()
    summary = summarise(outcome)
    print_report(summary)
    if json_path is not None:
        json_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n")
    if summary["errors"]:
        print(f"\nserver log ({server.log_path}), last lines:\n{server.log(3000)}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    m = summary["memory"]
    return 2 if m["judged"] and not m["ok"] else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, help="regular simulated users (default 20; --quick 2)")
    parser.add_argument("--seconds", type=float, help="length of the main run (default 120; --quick 15)")
    parser.add_argument("--interval", type=float, default=6.0, help="seconds between a user's questions")
    parser.add_argument("--rate", type=int, default=20, help="CUSTFIN_RATE_PER_MINUTE for the server")
    parser.add_argument("--idle", type=float, help="idle seconds before the last RSS reading (default 60)")
    parser.add_argument("--no-heavy", action="store_true", help="leave out the 1M-row user")
    parser.add_argument("--heavy-customers", type=int, help="demo customers of the heavy file (100000)")
    parser.add_argument(
        "--settle", type=float, help="seconds from the last chat closing to a judged RSS reading (default 30)"
    )
    parser.add_argument(
        "--ui-close",
        action="store_true",
        help="close chats as the UI does (clear_session, disconnect at once)",
    )
    parser.add_argument("--quick", action="store_true", help="2 users, 15 s, small heavy file, short idle")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--app", type=Path, default=ROOT / "app.py", help="Chainlit app file (A/B runs)")
    parser.add_argument("--rounds", type=int, default=1, help="main runs against the same server (1)")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="server environment (repeatable; NAME= drops NAME, e.g. MALLOC_ARENA_MAX= for glibc's default)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    extra_env = {}
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep or not name:
            parser.error(f"--env wants NAME=VALUE, not {item!r}")
        extra_env[name] = value
    quick = args.quick
    plan = Plan(
        users=args.users or (2 if quick else 20),
        seconds=args.seconds or (15.0 if quick else 120.0),
        interval=args.interval if not quick or args.interval != 6.0 else 4.0,
        rate=args.rate,
        idle=args.idle if args.idle is not None else (5.0 if quick else 60.0),
        heavy=not args.no_heavy,
        heavy_customers=args.heavy_customers or (10_000 if quick else 100_000),
        quick=quick,
        app=args.app.resolve(),
        rounds=args.rounds,
        env=extra_env,
        settle=args.settle if args.settle is not None else (5.0 if quick else SETTLE),
        ui_close=args.ui_close,
    )
    return run(plan, args.json)


if __name__ == "__main__":
    sys.exit(main())
