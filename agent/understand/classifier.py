"""The statistical intent model: which analysis a question asks for (or none: out of scope), with a
calibrated probability the engine uses to answer, ask back or decline.

Model: L2-regularised multinomial logistic regression (scikit-learn) over
- character n-grams (2-4, word-bounded) of the normalised question: they carry Chinese without a
  segmenter and survive typos ("profitible", "流矢");
- word uni- and bigrams (Latin script);
- the rule lexicon's evidence: each tool's keyword score (log-scaled) and which argument kinds the
  question names (a metric, a grade, a horizon, a budget, ...), so wording the lexicon knows still counts.
The n-gram vocabularies are those of the training questions (TF-IDF); the model is trained in about a second on the labelled
questions in prompts/intent_examples.jsonl (built from the dev question sets by
scripts/build_intent_examples.py) the first time it is needed, and kept for the process.

Classes are the registered tool names plus OUT_OF_SCOPE. ``predict`` returns the classes ranked by
probability.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import sparse

OUT_OF_SCOPE = "_out_of_scope"
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[a-z][a-z']*")
RULE_SCALE = 1.5  # weight of the rule-evidence columns against the n-gram columns
C = 8.0
MAX_ITER = 300


def normalise(text: str) -> str:
    """NFKC, lower case, numbers as 0 (a count or a year says little about the analysis)."""
    return _DIGITS.sub("0", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Prediction:
    ranked: tuple[tuple[str, float], ...]  # (class, probability), most probable first

    @property
    def top(self) -> tuple[str, float]:
        return self.ranked[0]


class IntentModel:
    """Hashed n-grams + rule evidence -> logistic regression over the analysis classes."""

    def __init__(self, classes: list[str], evidence_names: list[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.classes = classes
        self.evidence_names = evidence_names
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        self._words = TfidfVectorizer(analyzer=_words, sublinear_tf=True)
        self._model = None

    def _features(self, texts: list[str], evidence: np.ndarray, fit: bool = False) -> sparse.csr_matrix:
        normed = [normalise(t) for t in texts]
        chars = self._chars.fit_transform(normed) if fit else self._chars.transform(normed)
        words = self._words.fit_transform(normed) if fit else self._words.transform(normed)
        return sparse.hstack([chars, words, sparse.csr_matrix(evidence * RULE_SCALE)], format="csr")

    def fit(self, texts: list[str], evidence: np.ndarray, labels: list[str]) -> IntentModel:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression

        self._model = LogisticRegression(C=C, solver="saga", max_iter=MAX_ITER, tol=1e-3, random_state=0)
        with warnings.catch_warnings():  # saga stops at MAX_ITER: close enough for ranking questions
            warnings.simplefilter("ignore", ConvergenceWarning)
            self._model.fit(self._features(texts, evidence, fit=True), labels)
        self.classes = list(self._model.classes_)
        return self

    def save(self, path: Path) -> None:
        """Plain arrays and vocabularies (no pickle): coefficients, intercepts, classes, n-gram indexes."""
        assert self._model is not None
        vocab = {
            "classes": self.classes,
            "chars": {k: int(v) for k, v in self._chars.vocabulary_.items()},
            "words": {k: int(v) for k, v in self._words.vocabulary_.items()},
        }
        np.savez_compressed(
            path,
            coef=self._model.coef_,
            intercept=self._model.intercept_,
            chars_idf=self._chars.idf_,
            words_idf=self._words.idf_,
            vocab=np.frombuffer(json.dumps(vocab, ensure_ascii=False).encode(), dtype=np.uint8),
        )

    @classmethod
    def load(cls, path: Path, evidence_names: list[str]) -> IntentModel:
        from sklearn.linear_model import LogisticRegression

        with np.load(path, allow_pickle=False) as data:
            vocab = json.loads(bytes(data["vocab"]).decode())
            model = cls(vocab["classes"], evidence_names)
            model._chars.vocabulary_, model._chars.idf_ = vocab["chars"], data["chars_idf"]
            model._words.vocabulary_, model._words.idf_ = vocab["words"], data["words_idf"]
            lr = LogisticRegression()
            lr.coef_, lr.intercept_, lr.classes_ = data["coef"], data["intercept"], np.array(vocab["classes"])
            model._model = lr
        return model

    def predict(self, text: str, evidence: np.ndarray) -> Prediction:
        assert self._model is not None
        probs = self._model.predict_proba(self._features([text], evidence[None, :]))[0]
        order = np.argsort(-probs)
        return Prediction(tuple((str(self.classes[i]), float(probs[i])) for i in order))


def _words(text: str) -> list[str]:
    words = _LATIN_WORD.findall(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def examples() -> list[tuple[str, str]]:
    """(question, class) pairs the model learns from (prompts/intent_examples.jsonl)."""
    text = resources.files("prompts").joinpath("intent_examples.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(r["q"], r["tool"] or OUT_OF_SCOPE) for r in rows]


def train(pairs: list[tuple[str, str]]) -> IntentModel:
    """A model trained on (question, class) pairs."""
    from agent.understand.evidence import EVIDENCE_NAMES, evidence_for

    texts = [q for q, _ in pairs]
    labels = [c for _, c in pairs]
    evidence = np.vstack([evidence_for(q) for q in texts])
    return IntentModel(sorted(set(labels)), EVIDENCE_NAMES).fit(texts, evidence, labels)


def cache_dir() -> Path:
    """Where derived files are kept between runs: CUSTFIN_CACHE_DIR, else $XDG_CACHE_HOME/custfin, else
    ~/.cache/custfin (shared by every data directory: it holds nothing of any user's data)."""
    if os.environ.get("CUSTFIN_CACHE_DIR"):
        return Path(os.environ["CUSTFIN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "custfin"


def _cache_key(pairs: list[tuple[str, str]]) -> str:
    import sklearn

    from agent.understand.evidence import EVIDENCE_NAMES

    digest = hashlib.sha256(json.dumps([pairs, EVIDENCE_NAMES, RULE_SCALE, C, MAX_ITER, sklearn.__version__]).encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def trained() -> IntentModel:
    """The model trained on every example whose class is registered (or out of scope), once: cached for
    the process and as plain arrays in cache_dir() (rebuilt when the examples or settings change; loaded
    with allow_pickle off)."""
    from agent.understand.evidence import EVIDENCE_NAMES
    from tools.registry import TOOLS

    pairs = [(q, c) for q, c in examples() if c in TOOLS or c == OUT_OF_SCOPE]
    path = cache_dir() / f"intent_model-{_cache_key(pairs)}.npz"
    if path.exists():
        try:
            return IntentModel.load(path, EVIDENCE_NAMES)
        except (OSError, ValueError, KeyError):
            pass
    model = train(pairs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        model.save(path)
    except OSError:
        pass  # a read-only data directory: train again next time
    return model
