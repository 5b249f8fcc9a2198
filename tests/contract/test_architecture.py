"""The boundaries of ARCHITECTURE.md, executable: layers, no import cycles, small modules.

- core/ imports nothing of the project; prompts/ imports only core/ and prompts/; tools/ never imports
  agent/ or app; nothing imports app.
- No import cycle anywhere in core/, prompts/, tools/ and agent/ (lazy imports inside functions count;
  imports under ``if TYPE_CHECKING:`` do not, they never run).
- No module over MAX_LINES lines without a reason stated at its top ("Longer than 600 lines: ...").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "prompts", "tools", "agent")
MAX_LINES = 600
ALLOWED = {
    "core": {"core"},
    "prompts": {"core", "prompts"},
    "tools": {"core", "prompts", "tools"},
    "agent": {"core", "prompts", "tools", "agent"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Project modules imported by ``path`` (resolved to the longest known module name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for child in node.body for n in ast.walk(child)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name.split(".")[0] in PACKAGES:
                while name and name not in MODULES:
                    name = name.rpartition(".")[0]
                if name:
                    found.add(name)
    return found


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_layers(name: str) -> None:
    layer = name.split(".")[0]
    outside = {m for m in GRAPH[name] if m.split(".")[0] not in ALLOWED[layer]}
    assert not outside, f"{name} imports {sorted(outside)} (ARCHITECTURE.md layers)"


def test_no_import_cycles() -> None:
    """Tarjan's strongly connected components over the project import graph: none larger than one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    text = MODULES[name].read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines > MAX_LINES:
        head = text[:2000]
        assert "Longer than 600 lines" in head, f"{name} has {lines} lines and no reason stated at its top"
