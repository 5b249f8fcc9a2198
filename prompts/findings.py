"""Every finding's words, collected from the tool modules of prompts/ that declare them (FINDINGS):
the label (what it means) and the phrases a question may name it by. Each finding is declared once,
in the words of the first tool that emits it (checked by tests/contract/test_tool_facets.py)."""

from __future__ import annotations

import importlib
import pkgutil

import prompts
from core.text import Msg, Term


def _collect() -> dict[str, Term]:
    found: dict[str, Term] = {}
    for info in pkgutil.iter_modules(prompts.__path__):
        module = importlib.import_module(f"prompts.{info.name}")
        for name, term in getattr(module, "FINDINGS", {}).items():
            if name in found:
                raise ValueError(f"finding {name!r} is declared twice (prompts/{info.name}.py)")
            found[name] = term
    return found


FINDINGS: dict[str, Term] = _collect()


def label(finding: str) -> Msg:
    """The finding's label, or its name in words when no tool declares it."""
    term = FINDINGS.get(finding)
    return term.label if term is not None else Msg(finding.replace("_", " "), finding.replace("_", " "))
