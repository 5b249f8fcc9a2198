"""The model's two ways of not computing, as typed tools: ``ask_user`` (2-4 analyses it hesitates
between, each a registered tool with arguments) and ``out_of_scope`` (the request is not about the
loaded business data). The engine answers them exactly as it answers the offline engine's clarifying
question and out-of-scope reply (agent/asking.py): the same words, buttons, ``clarify`` JSON and
``--pick N``. Options are validated against the tools' Params before they are offered; the model never
writes the labels (they are composed from the tool and its arguments)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from agent.understand import Clarification, Option
from prompts import clarify as W
from prompts import llm as P
from tools.registry import TOOLS

ToolName = Literal[tuple(TOOLS)]  # type: ignore[valid-type] - the registered tools, collected at import


class AskOption(BaseModel):
    tool: ToolName = Field(description="The registered tool this option would run.")
    arguments: dict[str, Any] = Field(default_factory=dict, description="Its arguments (the tool's schema).")


class AskUser(BaseModel):
    options: list[AskOption] = Field(
        min_length=2, max_length=4, description="2-4 analyses the question could mean, likeliest first."
    )


class OutOfScope(BaseModel):
    """No arguments: the request is outside the loaded customer and financial data."""


@dataclass
class Asked:
    """What the model asked for instead of an analysis (None / False: nothing)."""

    clarification: Clarification | None = None
    out_of_scope: bool = False
    dropped: list[str] = field(default_factory=list)  # options refused by their tool's schema


def clarification(options: list[dict[str, Any]], inbound: Callable[[Any], Any]) -> tuple[Clarification | None, list[str]]:
    """The model's options as the engine's Clarification; options whose arguments do not validate are
    dropped (named in the second value); fewer than two valid options ask nothing."""
    offered: list[Option] = []
    dropped: list[str] = []
    for option in options:
        spec = TOOLS[option["tool"]]
        arguments = {k: v for k, v in inbound(dict(option.get("arguments") or {})).items() if v is not None}
        try:
            spec.params.model_validate(arguments)
        except ValidationError:
            dropped.append(spec.name)
            continue
        offered.append(Option(spec.name, arguments, spec.words.HELP[0]))
    return (Clarification(W.WHICH, tuple(offered)) if len(offered) >= 2 else None), dropped


def asking_tools(asked: Asked, inbound: Callable[[Any], Any]) -> list:
    """The two StructuredTools; each records on ``asked`` and tells the model to stop."""
    from langchain_core.tools import StructuredTool

    def ask_user(options: list[AskOption]) -> str:
        asked.clarification, asked.dropped = clarification([o.model_dump() for o in options], inbound)
        return P.ASKED if asked.clarification is not None else P.ASK_REFUSED.format(dropped=asked.dropped)

    def out_of_scope() -> str:
        asked.out_of_scope = True
        return P.DECLINED

    return [
        StructuredTool.from_function(func=ask_user, name="ask_user", description=P.ASK_USER, args_schema=AskUser),
        StructuredTool.from_function(
            func=out_of_scope, name="out_of_scope", description=P.OUT_OF_SCOPE, args_schema=OutOfScope
        ),
    ]
