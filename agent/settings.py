"""Settings from environment variables (documented in README "Settings")."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default


@dataclass(frozen=True)
class Settings:
    """Run-time settings. Every field has an environment variable (``CUSTFIN_*``)."""

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("CUSTFIN_DATA_DIR", ".custfin")))
    max_upload_mb: int = field(default_factory=lambda: _int("CUSTFIN_MAX_UPLOAD_MB", 200))
    max_rows: int = field(default_factory=lambda: _int("CUSTFIN_MAX_ROWS", 5_000_000))
    fiscal_year_start_month: int = field(default_factory=lambda: _int("CUSTFIN_FISCAL_YEAR_START", 1))
    demo_customers: int = field(default_factory=lambda: _int("CUSTFIN_DEMO_CUSTOMERS", 400))
    demo_seed: int = field(default_factory=lambda: _int("CUSTFIN_DEMO_SEED", 7))
    max_question_chars: int = field(default_factory=lambda: _int("CUSTFIN_MAX_QUESTION_CHARS", 2000))


def load() -> Settings:
    return Settings()
