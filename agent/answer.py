"""Answer and ToolRun: what one question produced. A leaf module: imported by every agent stage,
importing nothing from agent/."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from core.text import Lang
from tools.errors import UserFacingError
from tools.filters import Scope
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
    scope: Scope | None = None  # what the filters did (None: no filters)
    seconds: float = 0.0

    @property
    def rows_used(self) -> int:
        return self.result.method.rows_used if self.result else 0


@dataclass
class Attachment:
    """A file that goes with an answer (the report of the conversation, a digest)."""

    name: str
    content: bytes
    mime: str


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
    understood: str = ""  # the first line: what was understood and computed (agent/understood.py)
    not_applied: list[dict[str, Any]] = field(default_factory=list)  # recognised, not applied, and why
    clarify: dict[str, Any] | None = None  # the question asked back: {"question", "options": [...]}
    combined: ToolResult | None = None  # the runs side by side (a comparison), shown instead of the last
    doubt_line: str = ""  # the plausibility gates' doubts, the answer's first line when any fired
    doubts: list[dict[str, Any]] = field(default_factory=list)  # [{"gate", "message"}] (CLI JSON)
    choices: list[Any] = field(default_factory=list)  # one-click mapping fixes (agent.session.MappingChoice)
    attachments: list[Attachment] = field(default_factory=list)  # files to download (a report)
    analysis_number: int | None = None  # this answer's number among the conversation's analyses (report)

    @property
    def body(self) -> str:
        """The answer after its first lines (the doubts, if any, and what was understood)."""
        text = self.markdown
        if self.doubt_line and text.startswith(self.doubt_line):
            text = text[len(self.doubt_line) :].lstrip("\n")
        if self.understood and text.startswith(self.understood):
            return text[len(self.understood) :].lstrip("\n")
        return text

    @property
    def result(self) -> ToolResult | None:
        if self.combined is not None:
            return self.combined
        return self.runs[-1].result if self.runs else None


@dataclass
class Analysis:
    """One analysis of the conversation: the question, the tool calls, and the answer (None after the
    session was rebuilt from storage: computed again from the calls on export)."""

    question: str
    language: Lang
    calls: list[tuple[str, dict[str, Any]]]
    answer: Answer | None = None

    def to_state(self) -> dict[str, Any]:
        return {"question": self.question, "language": self.language, "calls": [list(c) for c in self.calls]}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Analysis:
        calls = [(str(t), dict(a or {})) for t, a in state.get("calls", [])]
        lang = "zh" if state.get("language") == "zh" else "en"
        return cls(str(state.get("question") or ""), lang, calls)  # type: ignore[arg-type]
