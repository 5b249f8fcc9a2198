"""The statistical intent model (agent/understand/classifier.py): its training data is current, it
round-trips through its cache as plain arrays, and it separates analyses from out-of-scope requests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent.understand import classifier
from agent.understand.evidence import evidence_for

ROOT = Path(__file__).resolve().parents[2]


def test_training_examples_are_built_from_the_dev_sets():
    done = subprocess.run([sys.executable, "scripts/build_intent_examples.py", "--check"], cwd=ROOT)
    assert done.returncode == 0, "run python scripts/build_intent_examples.py and commit the result"


def test_blind_and_heldout_questions_never_train_the_model():
    trained_on = {q for q, _ in classifier.examples()}
    frozen = [p for p in (ROOT / "tests" / "agent").glob("*.jsonl") if "blind" in p.name or "heldout" in p.name]
    import json

    for path in frozen:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                assert json.loads(line)["q"] not in trained_on, path.name


def test_cache_round_trip_gives_the_same_probabilities(tmp_path):
    model = classifier.trained()
    model.save(tmp_path / "m.npz")
    from agent.understand.evidence import EVIDENCE_NAMES

    loaded = classifier.IntentModel.load(tmp_path / "m.npz", EVIDENCE_NAMES)
    for q in ["top 5 customers by profit", "哪些客户会流失", "what's the weather like"]:
        a = model.predict(q, evidence_for(q)).ranked
        b = loaded.predict(q, evidence_for(q)).ranked
        assert [c for c, _ in a] == [c for c, _ in b]
        assert all(abs(x - y) < 1e-12 for (_, x), (_, y) in zip(a, b, strict=True))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who are our 10 most profitable customers?", "customer_profitability"),
        ("利润最高的5个客户是谁？", "customer_profitability"),
        ("What is our DSO and who pays late?", "receivables_aging"),
        ("哪些客户会流失？", "churn_risk"),
        ("What's Apple's stock price today?", classifier.OUT_OF_SCOPE),
        ("帮我写一首关于春天的诗", classifier.OUT_OF_SCOPE),
    ],
)
def test_obvious_questions(question, expected):
    assert classifier.trained().predict(question, evidence_for(question)).top[0] == expected
