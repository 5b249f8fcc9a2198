"""Answer and ToolRun: what one question produced. A leaf module: imported by every agent stage,
importing nothing from agent/."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from core.text import Lang
from tools.errors import UserFacingError
from tools.results import ToolResult

try:
    VERSION = version("custfin")
except PackageNotFoundError:  # running from a source tree without install
    VERSION = "0.0.0+source"


@dataclass
class ToolRun:
    """One tool call: what ran, with which arguments, and what came back (or the user-facing error)."""

    tool: str
    arguments: dict[str, Any]
    result: ToolResult | None = None
    error: UserFacingError | None = None
    internal_error: str | None = None  # exception type name of a bug in the tool
    seconds: float = 0.0

    @property
    def rows_used(self) -> int:
        return self.result.method.rows_used if self.result else 0


@dataclass
class Answer:
    question: str
    language: Lang
    markdown: str
    runs: list[ToolRun] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data_fingerprint: str | None = None
    error: UserFacingError | None = None
    internal_error: bool = False
    removed_files: list[str] = field(default_factory=list)  # uploads deleted by this turn (app persists)

    @property
    def result(self) -> ToolResult | None:
        return self.runs[-1].result if self.runs else None
