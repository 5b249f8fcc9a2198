"""The team's playbooks: valid files, every finding a tool emits is covered, every source is listed."""

from __future__ import annotations

from pathlib import Path

import yaml

from agent.retrieval import parse_playbook, playbook_files
from tools.registry import TOOLS

ROOT = Path(__file__).resolve().parents[2]
ACTION_TYPES = {
    "retention", "win-back", "upsell", "pricing", "discount policy", "credit terms", "collections",
    "service recovery", "cost-to-serve reduction", "marketing mix", "loyalty",
}  # fmt: skip


def test_playbooks_cover_every_finding_and_cite_listed_sources() -> None:
    books = [parse_playbook(p) for p in playbook_files(ROOT / "playbooks")]
    assert len(books) >= 40
    bibliography = yaml.safe_load((ROOT / "playbooks" / "bibliography.yaml").read_text(encoding="utf-8"))
    for book in books:
        assert book.path is not None and book.id == book.path.stem
        assert book.title.en and book.title.zh and book.body.en and book.body.zh
        assert book.action_type in ACTION_TYPES, book.id
        assert book.economics_error is None, book.economics_error  # the planner's block, when present
        assert set(book.sources) <= set(bibliography), book.id
        low, high = book.success_range or (0, 0)
        assert 0 < low <= high <= 1, book.id
    emitted = {f for spec in TOOLS.values() for f in spec.findings}
    covered = {f for book in books for f in book.findings}
    assert emitted <= covered, emitted - covered
    assert {b.action_type for b in books} == ACTION_TYPES
