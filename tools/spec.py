"""ToolSpec: how a tool is declared, once, next to its function (the registry only collects them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from pydantic import BaseModel, ValidationError

from core.text import Msg
from tools.bundle import DatasetBundle
from tools.errors import UserFacingError
from tools.results import ToolResult


@dataclass(frozen=True)
class ToolSpec:
    """A tool: its name, typed arguments, function, the table kinds it reads, the findings it emits,
    the services injected into it and its words.

    ``requires`` lists the table kinds it reads (all needed). ``deps`` names services the engine
    injects as keyword arguments (never chosen by a model), e.g. ("playbooks",): fn(data, params,
    playbooks=store). ``words`` is the tool's module in prompts/ (DESCRIPTION, KEYWORDS, HELP,
    FINDINGS, COLUMNS and its answer texts); the facet contract test checks it is complete. ``order``
    places it in the help text and among the diagnostic tools a generic "what should we do?" runs
    (lower first).
    """

    name: str
    params: type[BaseModel]
    fn: Callable[..., ToolResult]
    requires: tuple[str, ...]
    findings: tuple[str, ...]
    words: ModuleType
    order: int = 100
    deps: tuple[str, ...] = ()

    @property
    def description(self) -> Msg:
        return self.words.DESCRIPTION

    def parse(self, arguments: dict | None) -> BaseModel:
        """Validate arguments against the typed schema; errors become a bilingual bad_arguments error."""
        try:
            return self.params.model_validate(arguments or {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(arguments)'}: {e['msg']}" for e in exc.errors()
            )
            raise UserFacingError(
                Msg(f"Bad arguments for {self.name}: {problems}", f"{self.name} 的参数有误：{problems}"),
                code="bad_arguments",
            ) from None

    def run(self, data: DatasetBundle, arguments: dict | None = None, **deps: object) -> ToolResult:
        return self.fn(data, self.parse(arguments), **deps)
