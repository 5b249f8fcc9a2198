"""The playbook store: parsing, idempotent Chroma index, finding/action filters, offline embeddings."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from agent.retrieval import (
    HashingEmbeddingFunction,
    PlaybookError,
    PlaybookStore,
    _fmix64,
    char_wb_counts,
    parse_playbook,
    playbook_files,
)
from tools.recommend import PlaybookStore as StoreProtocol

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "playbooks"
REAL = Path(__file__).resolve().parents[2] / "playbooks"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    target = tmp_path / "playbooks"
    shutil.copytree(FIXTURES, target)
    return target


def test_parse_front_matter_and_bilingual_body() -> None:
    pb = parse_playbook(FIXTURES / "collections-dunning-sequence.md")
    assert pb.id == "collections-dunning-sequence" and pb.action_type == "collections"
    assert pb.title.zh == "逾期发票的分级催收流程" and pb.findings == ("overdue_receivables",)
    assert pb.success_range == (0.3, 0.6) and pb.estimate is True
    assert pb.steps[0].en.startswith("Send a friendly reminder") and pb.steps[0].zh.startswith("对拖欠客户")


def test_bad_playbook_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("no front matter", encoding="utf-8")
    with pytest.raises(PlaybookError, match="bad.md"):
        parse_playbook(tmp_path / "bad.md")


def test_embedding_function_is_offline_and_has_config() -> None:
    ef = HashingEmbeddingFunction()
    vectors = ef(["late payers", "逾期客户"])
    assert len(vectors) == 2 and np.isclose(np.linalg.norm(vectors[0]), 1.0)
    assert HashingEmbeddingFunction.build_from_config(ef.get_config()).get_config() == ef.get_config()
    assert ef.name() == "custfin-hashing"


def test_hashing_features_are_scikit_learns_char_wb_ngrams() -> None:
    """The n-grams counted are exactly those of scikit-learn's ``char_wb`` analyzer (scikit-learn only
    in this test), each hashed as ``char_wb_counts`` documents: 21 bits per code point, fmix64."""
    from sklearn.feature_extraction.text import HashingVectorizer

    def column(gram: str, n_features: int) -> int:
        key = sum((ord(c) or 0x110000) << (21 * j) for j, c in enumerate(gram))
        return int(_fmix64(np.array([key], dtype=np.uint64))[0]) % n_features

    texts = ["late payers", "逾期客户 应该", "", "a", "x  y\tz\n ab", "what should we do about churn?"]
    texts += [pb.body.en + pb.body.zh for pb in map(parse_playbook, playbook_files(FIXTURES))]
    analyzer = HashingVectorizer(analyzer="char_wb", ngram_range=(1, 3), lowercase=False).build_analyzer()
    for n_features in (2**13, 7):
        expected = np.zeros((len(texts), n_features))
        for i, text in enumerate(texts):
            for gram in analyzer(text):
                expected[i, column(gram, n_features)] += 1
        assert np.array_equal(char_wb_counts(texts, n_features), expected)


def test_hashing_is_stable_across_processes() -> None:
    counts = char_wb_counts(["ab"], 2**13)[0]
    assert np.flatnonzero(counts).tolist() == [251, 1836, 2423, 5748, 7369, 7445, 7466, 8061]
    assert counts.sum() == 9 and counts[8061] == 2  # " ", "a", "b", " ", " a", "ab", "b ", " ab", "ab "


def test_index_is_idempotent_and_rebuilt_on_change(library: Path, tmp_path: Path) -> None:
    chroma = tmp_path / "chroma"
    first = PlaybookStore(library, chroma)
    assert first.rebuilt and first.collection.count() > 0
    again = PlaybookStore(library, chroma)
    assert not again.rebuilt and again.collection.metadata["content_hash"] == first.hash
    path = library / "retention-vip-outreach.md"
    path.write_text(path.read_text(encoding="utf-8").replace("two weeks", "ten days"), encoding="utf-8")
    changed = PlaybookStore(library, chroma)
    assert changed.rebuilt and changed.hash != first.hash


def test_filters_and_ranking(library: Path, tmp_path: Path) -> None:
    store = PlaybookStore(library, tmp_path / "chroma")
    assert isinstance(store, StoreProtocol)
    assert store.search("what should we do about late payers?", k=1)[0].id == "collections-dunning-sequence"
    assert store.search("对逾期客户应该怎么办？", k=1)[0].id == "collections-dunning-sequence"
    assert store.search("大客户有流失风险", k=1)[0].id == "retention-vip-outreach"
    hits = store.search("anything", findings=["loss_making_customers"], k=3)
    assert [h.id for h in hits] == ["cost-to-serve-repricing"]
    assert store.search("x", findings=["overdue_receivables"], action_type="retention") == []
    assert store.search("x", findings=["no_such_finding"]) == []


def test_real_playbooks_parse(tmp_path: Path) -> None:
    store = PlaybookStore(REAL, tmp_path / "chroma")
    assert not store.errors and len(store.playbooks) >= 40
    for pb in store.playbooks.values():
        assert pb.title.en and pb.title.zh and pb.steps, pb.id
