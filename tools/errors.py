"""User-safe errors raised by ingestion and tools (bilingual, with a stable code)."""

from __future__ import annotations

from core.text import Lang, Msg


class UserFacingError(Exception):
    """An error whose message is safe and useful to show to the user.

    ``code`` is one of the CLI error codes (file_unreadable, unsupported_format, missing_columns,
    too_large, unknown_tool, bad_arguments, model_unavailable).
    """

    code: str = "bad_arguments"

    def __init__(self, message: Msg, code: str | None = None) -> None:
        super().__init__(message.en)
        self.msg = message
        if code is not None:
            self.code = code

    def message(self, lang: Lang = "en") -> str:
        return self.msg.get(lang)


class IngestError(UserFacingError):
    """A file cannot be used: names the file, the problem and what was expected."""

    code = "file_unreadable"


class ToolInputError(UserFacingError):
    """A tool lacks the table, columns or values it needs (names what is missing)."""

    code = "missing_columns"
