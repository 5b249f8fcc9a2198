"""ToolSpec: how a tool is declared, once, next to its function (the registry only collects them)."""

from __future__ import annotations

from collections.abc import Callable, Container
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

    ``requires`` lists the table kinds it reads (all needed); ``or_requires`` another set of kinds that
    suffices on its own (("customers",): a customer snapshot with a churn flag). ``deps`` names services the engine
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
    # Levels it defines per customer, which other tools can filter on: filter attribute -> the column of
    # its table that has customer_id (e.g. {"credit_grade": "grade"}).
    levels: dict[str, str] | None = None
    or_requires: tuple[str, ...] = ()

    def reads(self, loaded: Container[str]) -> tuple[str, ...] | None:
        """The table kinds the tool reads from those ``loaded``: ``requires`` when all are loaded, else
        ``or_requires`` when it is declared and all of it is loaded, else None."""
        if all(kind in loaded for kind in self.requires):
            return self.requires
        if self.or_requires and all(kind in loaded for kind in self.or_requires):
            return self.or_requires
        return None

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
