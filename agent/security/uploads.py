"""Uploads: workbooks parsed in a worker process stopped at a time limit, rate limit, quota, duplicates,
safe file names.

**Workbooks.** Reading an XLSX is openpyxl XML parsing: pure Python, holding the GIL, and before this
one hostile workbook kept a thread busy for 16 CPU-minutes. The chat's sessions read uploads through
:func:`guarded_reader` (the reader of the chat's sessions, app.py): a workbook
is refused from its zip listing first (``tools.upload_guards``: total size, ratios, sheet count),
then read in a worker process (agent/security/xlsx_worker.py, at a lower CPU priority so the chat's
own threads keep the CPU), one workbook at a time. The worker counts cells before parsing and is
killed when a workbook runs past ``CUSTFIN_XLSX_SECONDS``; the user gets a bilingual "too large"
message and the next workbook gets a fresh worker.
CSV files are read in the server as before (pyarrow, bounded by the size and row limits).

**Executor.** Uploads are ingested on their own small thread pool, so a burst of uploads never takes
the threads that answer questions (asyncio's default executor) or check passwords (login.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import os
import pickle  # noqa: S403 - only with our own worker process
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePath
from typing import Any

from agent.ratelimit import RateLimiter
from core.text import Msg
from tools.errors import IngestError

log = logging.getLogger("custfin.security")

MB = 1024 * 1024
INGEST_THREADS = 2  # uploads ingested at once (CSV in-process, XLSX waiting on its worker)

SLOW_WORKBOOK = Msg(
    "{name} was refused: reading it took longer than {seconds} seconds, the limit for one workbook. "
    "Save the sheet you need as CSV UTF-8 (much faster to read) or split the workbook.",
    "{name} 已被拒绝：读取时间超过单个工作簿 {seconds} 秒的上限。请将所需工作表另存为 CSV UTF-8"
    "（读取快得多），或拆分工作簿。",
)
WORKER_FAILED = Msg(
    "{name} could not be read: the workbook reader stopped unexpectedly ({reason}). "
    "Save it again from Excel as .xlsx, or export the sheet as CSV UTF-8.",
    "{name} 无法读取：工作簿读取进程意外停止（{reason}）。请在 Excel 中重新另存为 .xlsx，"
    "或将工作表导出为 CSV UTF-8。",
)
UPLOADS_LIMITED = Msg(
    "You are uploading files faster than this server allows ({rate} a minute per user). "
    "Please wait {seconds} seconds and upload again.",
    "上传过于频繁：每位用户每分钟最多上传 {rate} 个文件。请等待 {seconds} 秒后再上传。",
)
QUOTA_FULL = Msg(
    "Your storage is full: {used} MB of {quota} MB are used, and this file needs {size} MB. Delete "
    'files or conversations you no longer need ("delete the file orders.csv", or from the history), '
    "or ask an administrator to raise CUSTFIN_QUOTA_MB.",
    "您的存储空间已满：已使用 {used} MB（上限 {quota} MB），此文件需要 {size} MB。请删除不再需要的文件或对话"
    "（例如“删除 orders.csv 这个文件”，或在历史记录中删除），或请管理员调高 CUSTFIN_QUOTA_MB。",
)
TOO_BIG = Msg(
    "This request is larger than the server accepts ({limit} MB).",
    "请求超过服务器可接受的大小（{limit} MB）。",
)
ALREADY_LOADED = Msg(
    "{name} is identical to {other}, which is already loaded in this conversation, so it was not added "
    "again (nothing is counted twice).",
    "{name} 与本对话中已加载的 {other} 内容完全相同，因此未再次添加（不会重复计算）。",
)

INGEST_EXECUTOR = ThreadPoolExecutor(max_workers=INGEST_THREADS, thread_name_prefix="custfin-upload")
_children: set[Any] = set()
_children_lock = threading.Lock()
_closing = threading.Event()
_limits: dict[str, int] = {}


# ----------------------------------------------------------------------------------------------------
# File names


_UNSAFE = re.compile(r"[\\/:*?\"<>|\[\]`$#!{}^~;=&%@+']")
_SPACE = re.compile(r"\s+")


def safe_filename(name: str | None, fallback: str = "upload.csv", limit: int = 120) -> str:
    """A file name safe to store and to show in markdown: no path, control or format characters
    (bidi overrides, NUL), no characters that make links or markup, at most ``limit`` characters
    (the extension kept).

    >>> safe_filename("../../etc/passwd")
    'passwd'
    >>> safe_filename("[a](javascript:x)\\u202e<b>.csv")
    '_a_(javascript_x)_b_.csv'
    >>> safe_filename("订单 2024.csv")
    '订单 2024.csv'
    """
    text = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/")
    text = PurePath(text).name if "/" in text else text
    text = "".join("_" if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)
    text = _SPACE.sub(" ", _UNSAFE.sub("_", text)).strip(" .")
    text = re.sub(r"_{2,}", "_", text)
    text = re.sub(r"(?i)\bwww\.", "www_", text)  # "www.x.com.csv" would be a link in markdown
    if not text:
        return fallback
    if len(text) > limit:
        stem, dot, ext = text.rpartition(".")
        ext = ext[:12] if dot and stem else ""
        text = text[: limit - len(ext) - 1].rstrip(" .") + (f".{ext}" if ext else "")
    return text


# ----------------------------------------------------------------------------------------------------
# Workbooks in a worker process


def is_workbook(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def configure(settings: Any) -> None:
    """Limits for the workbook worker, from the settings (CUSTFIN_XLSX_*)."""
    _limits.update(
        seconds=max(1, int(settings.xlsx_seconds)),
        cells=max(1, int(settings.xlsx_max_cells)),
        sheets=max(1, int(settings.xlsx_max_sheets)),
        uncompressed=max(1, int(settings.xlsx_max_uncompressed_mb)) * MB,
    )


def limits() -> dict[str, int]:
    if not _limits:
        from agent.settings import load

        configure(load())
    return dict(_limits)


class WorkbookWorker:
    """One worker process (agent/security/xlsx_worker.py) reused for workbook after workbook, one at a
    time; killed when a workbook runs past the time limit (the next one starts a fresh worker) and
    after ``idle_s`` seconds without work (its memory goes back to the OS)."""

    def __init__(self, idle_s: float = 60.0, start_timeout: float = 120.0) -> None:
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.idle_s, self.start_timeout = idle_s, start_timeout
        self._idle_timer: threading.Timer | None = None

    def _spawn(self) -> subprocess.Popen:
        if _closing.is_set():
            raise RuntimeError("the server is stopping")
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
            "CUSTFIN_WORKER_PARENT": str(os.getpid()),
        }
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "agent.security.xlsx_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=root,
            env=env,
            close_fds=True,
        )
        with _children_lock:
            _children.add(proc)
        timer = threading.Timer(self.start_timeout, proc.kill)
        timer.start()
        try:
            ready = proc.stdout.read(1) if proc.stdout else b""
        finally:
            timer.cancel()
        if ready != b"R":
            self._kill(proc)
            raise RuntimeError("the workbook worker did not start")
        return proc

    def _kill(self, proc: subprocess.Popen | None) -> None:
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(Exception):
            proc.wait(5)
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(Exception):
                if stream:
                    stream.close()
        with _children_lock:
            _children.discard(proc)
        if self.proc is proc:
            self.proc = None

    def warm(self) -> None:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = self._spawn()
            self._arm_idle()

    def _arm_idle(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = threading.Timer(self.idle_s, self.retire)
        self._idle_timer.daemon = True
        self._idle_timer.start()

    def retire(self) -> None:
        if self.lock.acquire(blocking=False):
            try:
                self._kill(self.proc)
            finally:
                self.lock.release()

    def stop(self) -> None:
        self._kill(self.proc)

    def run(self, request: tuple, seconds: float) -> tuple:
        """Send one request, wait at most ``seconds`` for its reply (``("timeout",)`` when it runs over)."""
        with self.lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            if self.proc is None or self.proc.poll() is not None:
                self.proc = self._spawn()
            proc = self.proc
            timed_out = threading.Event()

            def expire() -> None:
                timed_out.set()
                with contextlib.suppress(OSError):
                    proc.kill()

            timer = threading.Timer(seconds, expire)
            timer.start()
            try:
                body = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(len(body).to_bytes(8, "big"))
                proc.stdin.write(body)
                proc.stdin.flush()
                del body
                header = _read_exact(proc.stdout, 8)
                reply_body = _read_exact(proc.stdout, int.from_bytes(header, "big")) if header else None
                if reply_body is None:
                    raise EOFError
                reply = pickle.loads(reply_body)  # noqa: S301 - our own worker over its own pipe
            except (OSError, EOFError, ValueError, pickle.UnpicklingError):
                code = proc.poll()
                self._kill(proc)
                return ("timeout",) if timed_out.is_set() else ("crash", f"exit {code}")
            finally:
                timer.cancel()
            self._arm_idle()
            return reply


def _read_exact(stream: Any, n: int) -> bytes | None:
    chunks, remaining = [], n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


WORKER = WorkbookWorker()


def _refused(name: str, message: Msg) -> IngestError:
    return IngestError(message, code="too_large")


def read_workbook(data: bytes, filename: str, **kwargs: Any) -> Any:
    """``tools.ingest.read_tables`` of a workbook in the worker process, stopped at the time limit
    (``recall`` must be picklable: the session passes a dict's ``get``)."""
    from tools import upload_guards

    bounds = limits()
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    upload_guards.check_xlsx_archive(
        data,
        name,
        bounds["uncompressed"],
        max_sheets=bounds["sheets"],
        max_cells=bounds["cells"],
        count_cells=False,
    )  # refused from the zip listing before the worker sees it
    reply = WORKER.run((data, filename, kwargs, bounds), bounds["seconds"])
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "error":
        raise IngestError(Msg(reply[1], reply[2]), code=reply[3])
    if reply[0] == "timeout":
        raise _refused(name, SLOW_WORKBOOK.format(name=name, seconds=bounds["seconds"]))
    raise IngestError(WORKER_FAILED.format(name=name, reason=reply[1]))


def stop_all() -> int:
    """Kill the workbook worker and start no other (server shutdown); returns how many were running."""
    _closing.set()
    with _children_lock:
        running = [p for p in _children if p.poll() is None]
    for p in running:
        with contextlib.suppress(OSError):
            p.kill()
    return len(running)


def guarded_reader(original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` (tools.ingest.read_tables) for CSV; workbooks through :func:`read_workbook`. The chat
    builds its sessions with this reader (app.py ``new_session``); the CLI reads in-process."""

    def read_tables(data: bytes, filename: str, **kwargs: Any) -> Any:
        if is_workbook(data):
            return read_workbook(data, filename, **kwargs)
        return original(data, filename, **kwargs)

    read_tables.__wrapped__ = original  # type: ignore[attr-defined]
    read_tables.__custfin_guard__ = True  # type: ignore[attr-defined]
    return read_tables


async def in_upload_thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(INGEST_EXECUTOR, fn, *args)


# ----------------------------------------------------------------------------------------------------
# Rate limit, quota, duplicates


class UploadLimiter(RateLimiter):
    """Uploads per user per minute (the question limiter's token bucket)."""

    def refusal(self, retry: float) -> Msg:
        return UPLOADS_LIMITED.format(rate=self.per_minute, seconds=max(1, math.ceil(retry)))


def user_dirs(settings: Any, user_id: str) -> list[Path]:
    from agent.security.storage import BLOBS

    data = settings.data_dir
    return [data / "files" / user_id, data / "datasets" / user_id, data / BLOBS / user_id]


def used_bytes(settings: Any, user_id: str) -> int:
    """Bytes this user stores (element files and datasets; a hard-linked copy counts once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root in user_dirs(settings, user_id):
        if not root.is_dir():
            continue
        for folder, _, files in os.walk(root):
            for name in files:
                try:
                    info = os.lstat(os.path.join(folder, name))
                except OSError:
                    continue
                key = (info.st_dev, info.st_ino)
                if key not in seen:
                    seen.add(key)
                    total += info.st_size
    return total


def quota_refusal(settings: Any, user_id: str, incoming: int) -> Msg | None:
    """The bilingual refusal when ``incoming`` more bytes would exceed the user's quota, else None."""
    quota = int(settings.quota_mb) * MB
    if quota <= 0:
        return None
    used = used_bytes(settings, user_id)
    if used + incoming <= quota:
        return None
    return QUOTA_FULL.format(
        used=f"{used / MB:,.1f}", quota=f"{settings.quota_mb:,}", size=f"{max(incoming, 1) / MB:,.1f}"
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def duplicate_of(files: list[Any], data: bytes) -> str | None:
    """The name of an already loaded file with exactly these bytes, if any."""
    wanted = digest(data)
    size = len(data)
    for f in files:
        raw = getattr(f, "data", None)
        if isinstance(raw, bytes | bytearray) and len(raw) == size and digest(bytes(raw)) == wanted:
            return str(f.filename)
    return None
