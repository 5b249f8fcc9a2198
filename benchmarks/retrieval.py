"""Top-3 hit rate of playbook retrieval on the labelled query sets (target >= 90% on each part).

Usage: ``python -m benchmarks.retrieval [--k 3] [--show-misses]``. A query hits when any of its
expected playbook ids is among the top k retrieved (question alone, no finding filter). Label files:
tests/agent/retrieval_dev.jsonl (tuning) and retrieval_heldout.jsonl (frozen), one JSON object per
line: {"q": question, "expected": [playbook ids]} (optional "findings", "action_type" filters).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from agent.retrieval import DEFAULT_PLAYBOOKS, PlaybookStore

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "dev": ROOT / "tests/agent/retrieval_dev.jsonl",
    "heldout": ROOT / "tests/agent/retrieval_heldout.jsonl",
}
TARGET = 0.90


def load(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def evaluate(
    store: PlaybookStore, rows: list[dict], k: int = 3
) -> tuple[float, list[tuple[str, list[str], list[str]]]]:
    """(hit rate, misses as (query, expected, retrieved))."""
    hits, misses = 0, []
    for row in rows:
        expected = row.get("expected") or row.get("expected_ids") or row.get("playbooks") or []
        got = [
            h.id
            for h in store.search(
                row.get("q") or row.get("query", ""),
                findings=row.get("findings") or (),
                action_type=row.get("action_type"),
                k=k,
            )
        ]
        if set(expected) & set(got):
            hits += 1
        else:
            misses.append((row.get("q", ""), expected, got))
    return (hits / len(rows) if rows else 0.0), misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--playbooks", type=Path, default=DEFAULT_PLAYBOOKS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = PlaybookStore(args.playbooks, Path(tmp) / "chroma")
        print(f"playbooks indexed: {len(store.playbooks)} ({store.collection_name})")
        ok = True
        for name, path in SETS.items():
            if not path.exists():
                print(f"{name:8s} missing ({path.relative_to(ROOT)})")
                ok = False
                continue
            rows = load(path)
            rate, misses = evaluate(store, rows, args.k)
            ok &= rate >= TARGET
            print(f"{name:8s} top-{args.k} hit rate {rate:.1%} ({len(rows) - len(misses)}/{len(rows)})")
            if args.show_misses:
                for q, expected, got in misses:
                    print(f"   miss: {q!r} expected {expected} got {got}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
