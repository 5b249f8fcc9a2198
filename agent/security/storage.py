"""Identical files are stored once per user: content-addressed blobs, hard-linked where they are used.

An upload is kept twice over (the chat attachment under ``files/`` and the dataset's source bytes
under ``datasets/``, plus its Parquet), and the same export uploaded in ten conversations used to be
kept thirty times. :func:`store` writes ``<data dir>/.blobs/<user id>/<sha256>`` once (atomically,
fsynced) and hard-links it to each path that needs it, so a second identical file costs a directory entry;
:func:`discard` removes one path and the blob when nothing else links to it. The per-user quota
(agent/security/uploads.py) counts each inode once. Where the filesystem refuses hard links, files
are written as plain copies (correct, only not de-duplicated).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from pathlib import Path

BLOBS = ".blobs"


def blob_root(root: Path, relative: Path) -> Path:
    """The user's blob folder for a path ``relative`` to ``root`` (files/ or datasets/ in the data
    directory; the first part of ``relative`` is the user id): ``<data dir>/.blobs/<user id>``."""
    return root.parent / BLOBS / relative.parts[0]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def store(path: Path, data: bytes, blobs: Path) -> Path:
    """Make ``path`` hold ``data`` (a hard link to the blob of its content); returns the blob path."""
    digest = hashlib.sha256(data).hexdigest()
    blob = blobs / digest[:2] / digest
    try:
        if not (blob.is_file() and blob.stat().st_size == len(data)):
            _write_atomic(blob, data)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.lnk")
        os.link(blob, tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError:  # no hard links here (or a race with discard): a plain copy is still correct
        _write_atomic(path, data)
    return blob


def discard(path: Path, blobs: Path) -> None:
    """Remove ``path``; remove its blob too when no other path links to it any more."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    blob = None
    if info.st_nlink > 1:
        digest = _digest_of(path)
        candidate = blobs / digest[:2] / digest
        with contextlib.suppress(OSError):
            if os.path.samefile(candidate, path):
                blob = candidate
    path.unlink(missing_ok=True)
    if blob is not None:
        with contextlib.suppress(OSError):
            if blob.stat().st_nlink <= 1:
                blob.unlink()
                with contextlib.suppress(OSError):
                    blob.parent.rmdir()


def _digest_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def unlinked_blobs(data_dir: Path) -> list[Path]:
    """Blobs (any user) that no path links to any more (for the orphan sweep)."""
    found = []
    for blobs in [data_dir / BLOBS]:
        for blob in blobs.rglob("*"):
            with contextlib.suppress(OSError):
                if blob.is_file() and blob.stat().st_nlink <= 1 and not blob.name.endswith(".tmp"):
                    found.append(blob)
    return found
