"""Build prompts/intent_examples.jsonl, the questions the intent model learns from, out of the labelled
development sets in tests/agent/ (never the frozen held-out or blind sets, whose exact questions are also left out when a development
set happens to contain one):

- questions_dev*.jsonl (stand-alone questions; follow-ups and corrections left out; a question labelled
  null before its tool existed takes the tool later_tools.json gives it);
- external_dev*.jsonl (written by people who never saw the vocabulary; null = out of scope);
- paraphrase_templates.json, expanded (systematic paraphrases for weak spots).

    python scripts/build_intent_examples.py          # write
    python scripts/build_intent_examples.py --check  # exit 1 when the file is not up to date

tests/agent/test_intent_model.py runs the check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENT = ROOT / "tests" / "agent"
OUT = ROOT / "prompts" / "intent_examples.jsonl"


def rows() -> list[dict]:
    later = json.loads((AGENT / "later_tools.json").read_text(encoding="utf-8"))
    out: list[dict] = []
    seen: set[str] = set()
    for path in sorted(AGENT.glob("questions_dev*.jsonl")) + sorted(AGENT.glob("external_dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            row = json.loads(line)
            if "context" in row or "correction" in row or row["q"] in seen:
                continue
            tool = row["tool"] if row["tool"] is not None else later.get(row["q"])
            seen.add(row["q"])
            out.append({"q": row["q"], "tool": tool, "source": path.name})
    return out


def paraphrases() -> list[dict]:
    """tests/agent/paraphrase_templates.json expanded: every template with every value of its slots."""
    import itertools
    import re

    spec = json.loads((AGENT / "paraphrase_templates.json").read_text(encoding="utf-8"))
    slots = {**spec["slots"], **spec.get("extra_slots", {})}
    out: list[dict] = []
    for tool, templates in spec["templates"].items():
        label = None if tool == "_out_of_scope" else tool
        for template in templates:
            names = re.findall(r"{(\w+)}", template)
            for values in itertools.product(*(slots[n] for n in names)):
                out.append({"q": template.format(**dict(zip(names, values, strict=True))).strip(), "tool": label,
                            "source": "paraphrase_templates.json"})
    return out


def frozen_questions() -> set[str]:
    """Questions of the frozen held-out and blind sets: identical wording written independently into a
    development set is left out of training, so those sets stay unseen (they are never read otherwise)."""
    out: set[str] = set()
    for path in AGENT.glob("*.jsonl"):
        if "blind" in path.name or "heldout" in path.name:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    out.add(json.loads(line)["q"])
    return out


def render() -> str:
    seen: set[str] = frozen_questions()
    unique = []
    for r in rows() + paraphrases():
        if r["q"] not in seen:
            seen.add(r["q"])
            unique.append(r)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in unique)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("prompts/intent_examples.jsonl is out of date: run python scripts/build_intent_examples.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(text.splitlines())} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
