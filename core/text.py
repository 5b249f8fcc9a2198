"""Bilingual user-facing text: Msg and Lang, the ground floor every layer (tools, prompts, agent) imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Lang = Literal["en", "zh"]


@dataclass(frozen=True)
class Msg:
    """A user-facing message in English and Chinese.

    >>> Msg("Missing column", "缺少列").get("zh")
    '缺少列'
    """

    en: str
    zh: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, **values: object) -> Msg:
        return Msg(self.en.format(**values), self.zh.format(**values))

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}


class Term(NamedTuple):
    """A named condition or concept in words: its label and the phrases a question may use for it."""

    label: Msg
    phrases: tuple[str, ...] = ()
