"""The data directory is private: the directory and every folder in it 0700, every file 0600.

Whatever umask the server or the ``custfin`` command was started with, :func:`harden` makes the
process umask 077 (so everything created afterwards, the SQLite file and its journal included, is
owner-only) and repairs what an earlier run created with wider modes. A data directory owned by
another account is refused: this process could neither repair it nor trust it.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from pathlib import Path

log = logging.getLogger("custfin.security")

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
_done: set[str] = set()
_lock = threading.Lock()


class UnsafeDataDirectory(RuntimeError):
    """The data directory belongs to another account (or is not a directory)."""


def harden(data_dir: Path) -> int:
    """Make ``data_dir`` private (once per process and directory); returns the number of modes repaired."""
    key = str(Path(data_dir).absolute())
    with _lock:
        os.umask(UMASK)
        if key in _done:
            return 0
        repaired = repair(Path(data_dir))
        _done.add(key)
    if repaired:
        log.warning("custfin: made %d paths in %s owner-only (0700/0600)", repaired, data_dir)
    return repaired


def repair(data_dir: Path) -> int:
    """Create ``data_dir`` 0700 if missing, then chmod every folder 0700 and file 0600 under it."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    info = data_dir.lstat()
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeDataDirectory(f"{data_dir} is not a directory")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise UnsafeDataDirectory(
            f"{data_dir} belongs to another account (uid {info.st_uid}); refusing to keep data there"
        )
    repaired = _fix(data_dir, DIR_MODE)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            repaired += _fix(Path(root) / name, DIR_MODE)
        for name in files:
            repaired += _fix(Path(root) / name, FILE_MODE)
    return repaired


def _fix(path: Path, mode: int) -> int:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return 0
    if stat.S_ISLNK(info.st_mode):
        return 0  # never follow a link out of the data directory
    if stat.S_IMODE(info.st_mode) & ~mode:
        os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
        return 1
    return 0


def problems(data_dir: Path) -> list[str]:
    """Paths under ``data_dir`` readable, writable or listable by anyone but the owner (for tests/checks)."""
    found = []
    for root, dirs, files in os.walk(data_dir):
        for name in [*dirs, *files, ""]:
            path = Path(root) / name if name else Path(root)
            info = path.lstat()
            if not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
                found.append(f"{oct(stat.S_IMODE(info.st_mode))} {path}")
    return found
