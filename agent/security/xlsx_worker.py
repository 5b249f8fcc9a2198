"""The workbook worker process: ``python -m agent.security.xlsx_worker`` (started by uploads.py).

It imports the ingestion code once, writes one ready byte, then answers requests on stdin/stdout:
an 8-byte big-endian length and a pickle of ``(data, filename, kwargs, bounds)`` in, the same framing
with ``("ok", Dataset)``, ``("error", en, zh, code)`` or ``("crash", exception name)`` out. It runs at
a lower CPU priority; the server kills it when a workbook takes longer than the time limit, or after
it has been idle for a while (its memory goes back to the OS). Only the server talks to it, over
pipes it created, so the pickles it reads are the server's own.
"""

from __future__ import annotations

import os
import pickle  # noqa: S403 - frames from our own parent process over its own pipe
import sys

NICE = 10


def _read_exact(stream, n: int) -> bytes | None:
    chunks, remaining = [], n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def die_with_parent() -> None:
    """Linux: the kernel kills this worker when the server dies, even by SIGKILL or mid-parse."""
    parent = int(os.environ.get("CUSTFIN_WORKER_PARENT") or 0)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass
    if parent and os.getppid() != parent:  # the server died before prctl took effect
        os._exit(0)


def main() -> int:
    die_with_parent()
    with_nice = getattr(os, "nice", None)
    if with_nice is not None:
        try:
            with_nice(NICE)
        except OSError:
            pass
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints cannot corrupt the replies
    source = sys.stdin.buffer

    from tools import ingest, upload_guards
    from tools.errors import IngestError

    out.write(b"R")
    out.flush()
    while True:
        header = _read_exact(source, 8)
        if header is None:
            return 0
        payload = _read_exact(source, int.from_bytes(header, "big"))
        if payload is None:
            return 0
        data, filename, kwargs, bounds = pickle.loads(payload)  # noqa: S301 - see the module docstring
        upload_guards.MAX_XLSX_CELLS = bounds["cells"]
        upload_guards.MAX_XLSX_SHEETS = bounds["sheets"]
        upload_guards.MAX_XLSX_UNCOMPRESSED = bounds["uncompressed"]
        try:
            reply = ("ok", ingest.read_tables(data, filename, **kwargs))
        except IngestError as exc:
            reply = ("error", exc.msg.en, exc.msg.zh, exc.code)
        except Exception as exc:  # reported to the server as a failed read
            reply = ("crash", type(exc).__name__)
        del data, payload
        body = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(body).to_bytes(8, "big") + body)
        out.flush()


if __name__ == "__main__":
    sys.exit(main())
