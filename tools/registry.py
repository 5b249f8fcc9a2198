"""The one registry: it collects the ToolSpec each tool declares next to its function (a module-level
``SPEC`` anywhere under tools/), ordered by ``ToolSpec.order``.

It feeds the offline question engine, the model agent, the CLI and the UI alike. Adding a tool needs no
edit here: README "Contributing" has the recipe.
"""

from __future__ import annotations

import importlib
import pkgutil

import tools
from core.text import Msg
from tools.errors import UserFacingError
from tools.spec import ToolSpec

__all__ = ["TOOLS", "ToolSpec", "get_tool"]


def _discover() -> dict[str, ToolSpec]:
    specs: dict[str, ToolSpec] = {}
    for info in pkgutil.walk_packages(tools.__path__, "tools."):
        spec = getattr(importlib.import_module(info.name), "SPEC", None)
        if isinstance(spec, ToolSpec):
            if spec.name in specs:
                raise ValueError(f"tool {spec.name!r} is declared twice ({info.name})")
            specs[spec.name] = spec
    return {s.name: s for s in sorted(specs.values(), key=lambda s: (s.order, s.name))}


TOOLS: dict[str, ToolSpec] = _discover()


def get_tool(name: str) -> ToolSpec:
    """The spec named ``name`` or a bilingual unknown_tool error listing the registered names."""
    try:
        return TOOLS[name]
    except KeyError:
        names = ", ".join(TOOLS)
        raise UserFacingError(
            Msg(f"Unknown tool '{name}'. Tools: {names}.", f"没有名为“{name}”的工具。可用工具：{names}。"),
            code="unknown_tool",
        ) from None
