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
    # PostgreSQL instead of the SQLite file in data_dir (agent/database.py); files stay in data_dir
    database_url: str | None = field(default_factory=lambda: _str("DATABASE_URL"), repr=False)
    # Login, persistence and retention (agent/auth.py, agent/persistence.py)
    session_hours: int = field(default_factory=lambda: _int("CUSTFIN_SESSION_HOURS", 8))
    retention_days: int = field(default_factory=lambda: _int("CUSTFIN_RETENTION_DAYS", 0))  # 0 keeps all
    allowed_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            o.strip() for o in os.environ.get("CUSTFIN_ALLOWED_ORIGINS", "").split(",") if o.strip()
        )
    )
    # OAuth sign-in (agent/oauth.py): e-mail addresses and "@domain" entries; empty admits nobody
    oauth_allowed: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            a.strip() for a in os.environ.get("CUSTFIN_OAUTH_ALLOWED", "").split(",") if a.strip()
        )
    )
    max_upload_mb: int = field(default_factory=lambda: _int("CUSTFIN_MAX_UPLOAD_MB", 200))
    max_rows: int = field(default_factory=lambda: _int("CUSTFIN_MAX_ROWS", 5_000_000))
    fiscal_year_start_month: int = field(default_factory=lambda: _int("CUSTFIN_FISCAL_YEAR_START", 1))
    demo_customers: int = field(default_factory=lambda: _int("CUSTFIN_DEMO_CUSTOMERS", 400))
    demo_seed: int = field(default_factory=lambda: _int("CUSTFIN_DEMO_SEED", 7))
    max_question_chars: int = field(default_factory=lambda: _int("CUSTFIN_MAX_QUESTION_CHARS", 2000))
    # Questions per minute per signed-in user (agent/ratelimit.py); 0 turns the limit off
    rate_per_minute: int = field(default_factory=lambda: _int("CUSTFIN_RATE_PER_MINUTE", 20))
    # Security limits (agent/security/): uploads per user per minute (0 = off), per-user storage quota,
    # XLSX parsing bounds (a worker process stopped at the time limit), SIGTERM grace, login back-off
    uploads_per_minute: int = field(default_factory=lambda: _int("CUSTFIN_UPLOADS_PER_MINUTE", 10))
    quota_mb: int = field(default_factory=lambda: _int("CUSTFIN_QUOTA_MB", 1024))
    xlsx_seconds: int = field(default_factory=lambda: _int("CUSTFIN_XLSX_SECONDS", 120))
    xlsx_max_cells: int = field(default_factory=lambda: _int("CUSTFIN_XLSX_MAX_CELLS", 20_000_000))
    xlsx_max_sheets: int = field(default_factory=lambda: _int("CUSTFIN_XLSX_MAX_SHEETS", 200))
    xlsx_max_uncompressed_mb: int = field(
        default_factory=lambda: _int("CUSTFIN_XLSX_MAX_UNCOMPRESSED_MB", 512)
    )
    shutdown_seconds: int = field(default_factory=lambda: _int("CUSTFIN_SHUTDOWN_SECONDS", 5))
    login_free_attempts: int = field(default_factory=lambda: _int("CUSTFIN_LOGIN_FREE_ATTEMPTS", 3))
    # Whether the model also sees summaries, labels and column headers from the data (default: no)
    model_sees_text: bool = field(default_factory=lambda: _bool("CUSTFIN_MODEL_SEES_TEXT", False))
    # Playbooks and retrieval (agent/retrieval.py)
    playbooks_dir: Path = field(
        default_factory=lambda: Path(
            os.environ.get("CUSTFIN_PLAYBOOKS_DIR") or Path(__file__).resolve().parents[1] / "playbooks"
        )
    )
    embeddings: str = field(default_factory=lambda: (_str("CUSTFIN_EMBEDDINGS") or "hashing").lower())
    embedding_model: str = field(
        default_factory=lambda: _str("CUSTFIN_EMBEDDING_MODEL") or "text-embedding-3-small"
    )
    # Language model (agent/llm.py): used when an API key or a base URL is set
    openai_api_key: str | None = field(default_factory=lambda: _str("OPENAI_API_KEY"), repr=False)
    openai_base_url: str | None = field(default_factory=lambda: _str("OPENAI_BASE_URL"))
    model: str = field(default_factory=lambda: _str("CUSTFIN_MODEL") or "gpt-4o-mini")
    pseudonymise: bool = field(default_factory=lambda: _bool("CUSTFIN_PSEUDONYMISE", True))
    model_timeout: int = field(default_factory=lambda: _int("CUSTFIN_MODEL_TIMEOUT", 60))
    model_max_tokens: int = field(default_factory=lambda: _int("CUSTFIN_MODEL_MAX_TOKENS", 1500))
    model_max_steps: int = field(default_factory=lambda: _int("CUSTFIN_MODEL_MAX_STEPS", 8))

    @property
    def model_configured(self) -> bool:
        """True when an OpenAI-compatible endpoint is configured (API key and/or base URL)."""
        return bool(self.openai_api_key or self.openai_base_url)


def _str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name, "").strip()
    return raw or default


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw not in ("0", "false", "no", "off")


def load() -> Settings:
    return Settings()
