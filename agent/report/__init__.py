"""The management report of a conversation (issue 17): its analyses (Answers) as an XLSX workbook, a
self-contained HTML page and a PDF printed from that page. ``content`` decides what is said, the
writers lay it out; no number is computed here, every one is an answer's fact or table cell."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from agent.answer import VERSION
from agent.report.content import Report, build
from prompts import report as W
from tools.errors import UserFacingError

FORMATS = ("xlsx", "html", "pdf")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "pdf": "application/pdf",
}

__all__ = ["FORMATS", "MEDIA_TYPES", "Report", "ReportError", "build", "render", "format_of", "write"]


class ReportError(UserFacingError):
    """A report that cannot be written as asked (unknown format, nothing to report)."""


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    if suffix not in FORMATS:
        raise ReportError(W.UNKNOWN_FORMAT.format(name=str(path)), code="bad_arguments")
    return suffix


def render(report: Report, fmt: str) -> bytes:
    """The report in one format: 'xlsx', 'html' or 'pdf'."""
    if fmt == "xlsx":
        from agent.report.xlsx import workbook_bytes

        return workbook_bytes(report, VERSION)
    from agent.report.html import page

    text = page(report, VERSION)
    if fmt == "html":
        return text.encode("utf-8")
    from agent.report.pdf import html_to_pdf

    return html_to_pdf(text)


@dataclass
class Written:
    path: Path
    fmt: str
    size: int
    seconds: float


def write(report: Report, paths: list[str | Path]) -> list[Written]:
    """Write the report to every path (its format from the suffix). A PDF that cannot be made here
    (no Chromium) does not stop the other formats: they are written, then its error is raised."""
    import time

    from agent.report.pdf import PdfUnavailable

    formats = [format_of(p) for p in paths]  # every name checked before anything is written
    if not report.sections:
        raise ReportError(W.NO_ANALYSES, code="nothing_to_report")
    done = []
    failed: PdfUnavailable | None = None
    for path, fmt in zip(paths, formats, strict=True):
        started = time.perf_counter()
        try:
            data = render(report, fmt)
        except PdfUnavailable as exc:
            failed = exc
            continue
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        done.append(Written(target, fmt, len(data), time.perf_counter() - started))
    if failed is not None:
        raise failed
    return done


def company_name(lang: str, demo: bool, given: str | None = None) -> str | None:
    """The cover's company: ``given`` (--company), else CUSTFIN_COMPANY, else the demo company's name."""
    return given or os.environ.get("CUSTFIN_COMPANY") or (W.DEMO_COMPANY.get(lang) if demo else None)
