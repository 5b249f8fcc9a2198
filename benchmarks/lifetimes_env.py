"""A Python interpreter with the ``lifetimes`` library, in its own venv (it does not install beside
pandas 3 / numpy 2).

Looked for, in order: $CUSTFIN_LIFETIMES_PYTHON, ``$CUSTFIN_BENCH_DIR/lifetimes-venv`` (built on demand
with the pins below), and a colleague's ``/tmp/lt-venv``. The pins are the set known to work together
on Python 3.11.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import bench_dir

PINS = [
    "lifetimes==0.11.3",
    "pandas==1.5.3",
    "numpy==1.26.4",
    "scipy==1.11.4",
    "autograd==1.9.1",
    "dill",
]
KNOWN_VENVS = (Path("/tmp/lt-venv"),)  # noqa: S108 (a colleague's venv, only read)


def _works(python: Path) -> bool:
    if not python.exists():
        return False
    done = subprocess.run(
        [str(python), "-c", "import lifetimes"], capture_output=True, timeout=120, check=False
    )
    return done.returncode == 0


def _base_python() -> str:
    """A python3.11 for the venv (lifetimes' pins have wheels for it), else this interpreter's base."""
    return shutil.which("python3.11") or getattr(sys, "_base_executable", sys.executable)


def _build(venv: Path) -> str | None:
    """Create ``venv`` and install the pins; the reason on failure, else None."""
    steps = [
        [_base_python(), "-m", "venv", "--clear", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *PINS],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            return f"{' '.join(step[:4])} failed: {tail[0][:200]}"
    return None


def lifetimes_python(build: bool = True) -> tuple[Path | None, str]:
    """(interpreter, where it came from) or (None, why there is none)."""
    override = os.environ.get("CUSTFIN_LIFETIMES_PYTHON")
    if override:
        python = Path(override)
        return (
            (python, "CUSTFIN_LIFETIMES_PYTHON") if _works(python) else (None, f"{override} lacks lifetimes")
        )
    venv = bench_dir() / "lifetimes-venv"
    for candidate in (venv, *KNOWN_VENVS):
        if _works(candidate / "bin" / "python"):
            return candidate / "bin" / "python", str(candidate)
    if not build:
        return None, "no lifetimes venv found"
    reason = _build(venv)
    if reason is None and _works(venv / "bin" / "python"):
        return venv / "bin" / "python", f"{venv} (built)"
    return None, reason or "lifetimes does not import in the new venv"
