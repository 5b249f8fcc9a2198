"""What the question engine knows (Context) and what it makes of a question (Intent, with a Correction
or a Removal). A leaf of agent/understand/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.text import Lang


@dataclass
class Context:
    """What the engine may know about the conversation and the loaded data."""

    last_tool: str | None = None
    last_arguments: dict[str, Any] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()  # loaded table kinds
    customers: dict[str, str] = field(default_factory=dict)  # lower-case id or name -> customer_id
    values: dict[str, set[str]] = field(default_factory=dict)  # dimension -> known values
    as_of: date | None = None  # latest event date in the data: relative periods count from it
    fiscal_year_start_month: int = 1
    files: tuple[str, ...] = ()  # names of the uploaded files (for "delete orders.csv")


@dataclass
class Correction:
    """The user corrects ingestion in a plain sentence (a column mapping or a file's table kind)."""

    column: str | None = None
    canonical: str | None = None
    file: str | None = None
    kind: str | None = None


@dataclass
class Removal:
    """The user deletes uploaded files in a plain sentence ("delete the file orders.csv",
    "删除 orders.csv 这个文件", "remove all my files"): ``files`` as named, or ``everything``."""

    files: list[str] = field(default_factory=list)
    everything: bool = False


@dataclass
class Intent:
    """One tool call (or none: ``tool is None`` means answer with the help text)."""

    tool: str | None
    arguments: dict[str, Any]
    language: Lang
    followup: bool = False
    correction: Correction | None = None
    removal: Removal | None = None
