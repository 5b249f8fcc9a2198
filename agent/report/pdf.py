"""The report's HTML page printed to PDF by headless Chromium (the system's browser: Debian's `chromium`
package, or CUSTFIN_CHROMIUM). Chromium embeds the subsets of the fonts it used, so the Chinese text
reads the same on a machine without Chinese fonts; the server needs a CJK font (fonts-noto-cjk) for it.
When either is missing the caller gets a bilingual UserFacingError naming the package to install."""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # noqa: S404 - runs the system browser with fixed arguments, no shell
import tempfile
from pathlib import Path

from prompts import report as W
from tools.errors import UserFacingError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=20000",
)
TIMEOUT_SECONDS = 180
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class PdfUnavailable(UserFacingError):
    """No browser (or no CJK font for Chinese text) on this machine: the PDF cannot be made."""


def browser() -> str | None:
    configured = os.environ.get("CUSTFIN_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # cannot tell: Chromium falls back to whatever the system has
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return True
    return bool(out.stdout.strip())


def available() -> PdfUnavailable | None:
    """None when a PDF can be made here, else the reason."""
    if browser() is None:
        return PdfUnavailable(W.PDF_UNAVAILABLE, code="pdf_unavailable")
    return None


def html_to_pdf(page: str) -> bytes:
    """Print ``page`` (a self-contained HTML document) to PDF bytes."""
    exe = browser()
    if exe is None:
        raise PdfUnavailable(W.PDF_UNAVAILABLE, code="pdf_unavailable")
    if CJK.search(page) and not has_cjk_font():
        raise PdfUnavailable(W.PDF_UNAVAILABLE, code="pdf_no_cjk_font")
    with tempfile.TemporaryDirectory(prefix="custfin-pdf-") as tmp:
        source, target = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        command = [exe, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, cwd=tmp)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(W.PDF_FAILED.format(reason="timeout"), code="pdf_failed") from None
        except OSError as exc:
            raise PdfUnavailable(W.PDF_FAILED.format(reason=exc.strerror or "os error"), code="pdf_failed") from None
        if not target.is_file() or target.stat().st_size == 0:
            tail = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfUnavailable(W.PDF_FAILED.format(reason=tail[0][:200]), code="pdf_failed")
        return target.read_bytes()
