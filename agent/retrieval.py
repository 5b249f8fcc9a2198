"""The playbook store: playbooks/*.md parsed, indexed into Chroma, retrieved by finding and similarity.

- Parsing: agent/playbooks.py (YAML front matter, see playbooks/README.md, plus an English and a
  Chinese body), the one loader the planner's economics come from too.
- Index: a Chroma ``PersistentClient`` in ``settings.data_dir / "chroma"``, one collection per
  embedding function; rebuilt only when the content hash of the playbook files (or the embedding
  configuration) changes, the hash being kept in the collection metadata.
- Embeddings: ``HashingEmbeddingFunction`` (hashed character 1-3-grams within word boundaries, as
  scikit-learn's ``char_wb`` analyzer makes them, hashed with numpy: no scikit-learn import, no
  download, works across English and Chinese) by default; ``OpenAIEmbeddingFunction`` against any
  OpenAI-compatible endpoint when ``CUSTFIN_EMBEDDINGS=openai``. Chroma's default embedding function
  downloads a model and is never used.
- Each playbook is indexed as several chunks (header, when-to-use, full text, per language); a
  playbook's score is its best chunk's cosine similarity. Metadata carry ``action_type``, one boolean
  key ``f_<finding>`` per finding and the findings as a ``|``-delimited string, for ``where`` filters.

``PlaybookStore`` implements ``tools.recommend.PlaybookStore`` (the tool's injected dependency) and
``tools.plan.economics.EconomicsSource`` (its library's economics blocks).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from agent import settings as settings_mod
from agent.playbooks import (  # noqa: F401 (DEFAULT_PLAYBOOKS, PlaybookError, parse_playbook: imported from here too)
    DEFAULT_PLAYBOOKS,
    Playbook,
    PlaybookError,
    PlaybookLibrary,
    content_hash,
    load_library,
    parse_playbook,
    playbook_files,
)
from tools.plan.economics import Economics
from tools.recommend import PlaybookHit

log = logging.getLogger(__name__)

INDEX_VERSION = "4"  # bump when chunking, metadata or the embedding change: forces a rebuild


# ==================================================================================================
# Embedding functions
# ==================================================================================================
# Words that carry no topic ("what should we do about ...", "我们应该怎么办"): dropped before hashing.
# ENGLISH_STOP_WORDS is scikit-learn's list (sklearn.feature_extraction.text), copied so that retrieval
# does not import scikit-learn (over a second at start-up).
ENGLISH_STOP_WORDS = frozenset(
    (
        "a about above across after afterwards again against all almost alone along already also although "
        "always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere "
        "are around as at back be became because become becomes becoming been before beforehand behind being "
        "below beside besides between beyond bill both bottom but by call can cannot cant co con could "
        "couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere "
        "empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find "
        "fire first five for former formerly forty found four from front full further get give go had has "
        "hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how "
        "however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly least "
        "less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my "
        "myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now "
        "nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own "
        "part per perhaps please put rather re same see seem seemed seeming seems serious several she should "
        "show side since sincere six sixty so some somehow someone something sometime sometimes somewhere "
        "still such system take ten than that the their them themselves then thence there thereafter thereby "
        "therefore therein thereupon these they thick thin third this those though three through throughout "
        "thru thus to together too top toward towards twelve twenty two un under until up upon us very via "
        "was we well were what whatever when whence whenever where whereafter whereas whereby wherein "
        "whereupon wherever whether which while whither who whoever whole whom whose why will with within "
        "without would yet you your yours yourself yourselves"
    ).split()
)
ZH_STOP_WORDS = ("我们", "应该", "怎么办", "怎么", "如何", "什么", "哪些", "客户", "的", "了", "吗", "呢")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _topic_text(text: str) -> str:
    """NFKC, lower case, English stop words and Chinese question words removed."""
    words = re.findall(r"[\w']+|[^\w\s]", _normalise(text))
    text = " ".join(w for w in words if w not in ENGLISH_STOP_WORDS)
    for word in ZH_STOP_WORDS:
        text = text.replace(word, " ")
    return text


_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)  # MurmurHash3 fmix64


def _fmix64(keys: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (a stable, well-mixed hash of 64-bit keys; wraps mod 2**64)."""
    h = keys ^ (keys >> np.uint64(33))
    h = h * _M1
    h ^= h >> np.uint64(33)
    h = h * _M2
    h ^= h >> np.uint64(33)
    return h


def char_wb_counts(
    texts: Sequence[str], n_features: int, ngram_min: int = 1, ngram_max: int = 3
) -> np.ndarray:
    """Hashed counts of the character n-grams inside word boundaries (as scikit-learn's ``char_wb``
    analyzer makes them: each whitespace-separated word padded with one space on either side, n-grams
    never crossing a padded word), one row per text, ``n_features`` columns, float64.

    An n-gram (n <= 3) is packed into one 63-bit key (21 bits per code point; NUL is remapped so that
    keys of different lengths never collide) and hashed with MurmurHash3's fmix64: deterministic across
    processes and platforms, and vectorised over every n-gram of every text at once.
    """
    if not 1 <= ngram_min <= ngram_max <= 3:
        raise ValueError("ngram_min..ngram_max must lie within 1..3")
    rows = len(texts)
    padded: list[str] = []
    word_lengths: list[int] = []
    text_lengths = np.zeros(rows, dtype=np.int64)
    for i, text in enumerate(texts):
        words = text.split()
        padded.extend(f" {w} " for w in words)
        lengths = [len(w) + 2 for w in words]
        word_lengths.extend(lengths)
        text_lengths[i] = sum(lengths)
    counts = np.zeros(rows * n_features, dtype=np.float64)
    if not padded:
        return counts.reshape(rows, n_features)
    joined = "".join(padded)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    codes[codes == 0] = 0x110000  # beyond Unicode, fits 21 bits
    word = np.repeat(np.arange(len(word_lengths)), word_lengths)
    row = np.repeat(np.arange(rows), text_lengths)
    total = len(codes)
    modulus = np.uint64(n_features)
    for n in range(ngram_min, ngram_max + 1):
        m = total - n + 1
        if m <= 0:
            continue
        keys = codes[:m].copy()
        for j in range(1, n):
            keys |= codes[j : j + m] << np.uint64(21 * j)
        inside = word[:m] == word[n - 1 : n - 1 + m]  # all n code points in the same padded word
        column = (_fmix64(keys[inside]) % modulus).astype(np.int64)
        counts += np.bincount(row[:m][inside] * n_features + column, minlength=rows * n_features)
    return counts.reshape(rows, n_features)


@register_embedding_function
class HashingEmbeddingFunction(EmbeddingFunction[Documents]):
    """Character 1-3-gram hashing vectors (l2-normalised): offline, deterministic, multilingual.

    The features of scikit-learn's ``HashingVectorizer(analyzer="char_wb", alternate_sign=False)`` with
    a numpy hash (see ``char_wb_counts``), so that no scikit-learn import is needed.
    """

    def __init__(
        self, n_features: int = 2**13, ngram_min: int = 1, ngram_max: int = 3, stop_words: bool = True
    ) -> None:
        self.n_features, self.ngram_min, self.ngram_max = n_features, ngram_min, ngram_max
        self.stop_words = stop_words
        self._preprocess = _topic_text if stop_words else _normalise

    def __call__(self, input: Documents) -> Embeddings:
        texts = [self._preprocess(str(t)) for t in input]
        counts = char_wb_counts(texts, self.n_features, self.ngram_min, self.ngram_max)
        norms = np.linalg.norm(counts, axis=1, keepdims=True)
        matrix = (counts / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        return [row for row in matrix]

    @staticmethod
    def name() -> str:
        return "custfin-hashing"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {
            "n_features": self.n_features,
            "ngram_min": self.ngram_min,
            "ngram_max": self.ngram_max,
            "stop_words": self.stop_words,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashingEmbeddingFunction:
        return HashingEmbeddingFunction(
            int(config.get("n_features", 2**13)),
            int(config.get("ngram_min", 1)),
            int(config.get("ngram_max", 3)),
            bool(config.get("stop_words", True)),
        )


@register_embedding_function
class OpenAIEmbeddingFunction(EmbeddingFunction[Documents]):
    """Embeddings from an OpenAI-compatible ``/v1/embeddings`` endpoint (OpenAI, Ollama, vLLM, ...).

    The API key is read from ``OPENAI_API_KEY`` at call time and never stored in the config.
    """

    def __init__(self, model: str = "text-embedding-3-small", base_url: str | None = None) -> None:
        self.model, self.base_url = model, base_url

    def __call__(self, input: Documents) -> Embeddings:
        from openai import OpenAI

        client = OpenAI(
            base_url=self.base_url or None,
            api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",
            timeout=30,
            max_retries=1,
        )
        response = client.embeddings.create(model=self.model, input=list(input))
        return [np.asarray(d.embedding, dtype=np.float32) for d in response.data]

    @staticmethod
    def name() -> str:
        return "custfin-openai"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> OpenAIEmbeddingFunction:
        return OpenAIEmbeddingFunction(
            config.get("model") or "text-embedding-3-small", config.get("base_url")
        )


# ==================================================================================================
# The store
# ==================================================================================================
def _collection_name(ef: EmbeddingFunction) -> str:
    config = ef.get_config()
    tag = "-".join(str(v) for v in config.values() if v is not None and not str(v).startswith("http"))
    name = re.sub(r"[^a-zA-Z0-9_-]+", "-", f"playbooks-{ef.name()}-{tag}").strip("-_")[:60]
    return name.rstrip("-_")


class PlaybookStore:
    """Chroma-backed playbook library (implements ``tools.recommend.PlaybookStore``)."""

    def __init__(
        self,
        playbooks_dir: Path,
        chroma_dir: Path,
        ef: EmbeddingFunction | None = None,
    ) -> None:
        import chromadb

        self.playbooks_dir = Path(playbooks_dir)
        self.ef = ef or HashingEmbeddingFunction()
        self.library: PlaybookLibrary = load_library(self.playbooks_dir)
        self.playbooks: dict[str, Playbook] = self.library.playbooks
        self.errors: list[str] = list(self.library.errors)
        files = list(self.library.files)
        self.hash = content_hash(files, f"{INDEX_VERSION}|{self.ef.name()}|{self.ef.get_config()}")
        chroma_dir.mkdir(parents=True, exist_ok=True)
        self.client = chromadb.PersistentClient(
            path=str(chroma_dir), settings=chromadb.Settings(anonymized_telemetry=False)
        )
        self.collection_name = _collection_name(self.ef)
        self.rebuilt = False
        self._lock = threading.Lock()
        self.collection = self._open()

    # -- indexing --------------------------------------------------------------------------------
    def _open(self) -> Any:
        try:
            existing = self.client.get_collection(self.collection_name, embedding_function=self.ef)
        except Exception:  # not found (the exception type varies across Chroma versions)
            existing = None
        if existing is not None and (existing.metadata or {}).get("content_hash") == self.hash:
            return existing
        if existing is not None:
            self.client.delete_collection(self.collection_name)
        collection = self.client.create_collection(
            self.collection_name,
            embedding_function=self.ef,
            metadata={"content_hash": self.hash, "playbooks": len(self.playbooks)},
            configuration={"hnsw": {"space": "cosine"}},
        )
        ids, docs, metas = [], [], []
        for pb in self.playbooks.values():
            meta: dict[str, Any] = {
                "playbook_id": pb.id,
                "action_type": pb.action_type,
                "findings": "|" + "|".join(pb.findings) + "|",
            }
            meta.update({f"f_{f}": True for f in pb.findings})
            for suffix, text in pb.chunks():
                ids.append(f"{pb.id}#{suffix}")
                docs.append(text)
                metas.append(dict(meta, chunk=suffix))
        if ids:
            collection.add(ids=ids, documents=docs, metadatas=metas)
        self.rebuilt = True
        log.info("playbook index %s rebuilt: %d playbooks", self.collection_name, len(self.playbooks))
        return collection

    # -- retrieval -------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        findings: Sequence[str] = (),
        action_type: str | None = None,
        k: int = 3,
    ) -> list[PlaybookHit]:
        """Playbooks addressing any of ``findings`` (all when empty), of ``action_type`` if given,
        ranked by their best chunk's cosine similarity to ``query``."""
        candidates = [
            pb
            for pb in self.playbooks.values()
            if (not findings or set(findings) & set(pb.findings))
            and (action_type is None or pb.action_type == action_type)
        ]
        if not candidates:
            return []
        clauses: list[dict[str, Any]] = []
        if findings:
            keys = [{f"f_{f}": True} for f in dict.fromkeys(findings)]
            clauses.append(keys[0] if len(keys) == 1 else {"$or": keys})
        if action_type:
            clauses.append({"action_type": action_type})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        n_chunks = self.collection.count()
        with self._lock:
            res = self.collection.query(
                query_texts=[query or " "],
                n_results=max(1, n_chunks),
                where=where,
                include=["metadatas", "distances"],
            )
        best: dict[str, float] = {}
        for meta, dist in zip(res["metadatas"][0], res["distances"][0], strict=True):
            pid = str(meta["playbook_id"])
            best[pid] = max(best.get(pid, -1.0), 1.0 - float(dist))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [self.playbooks[pid].hit(score) for pid, score in ranked if pid in self.playbooks]

    def ids(self) -> list[str]:
        return sorted(self.playbooks)

    def economics(self) -> tuple[Economics, ...]:
        """The economics blocks of the indexed playbooks (``PlaybookLibrary.economics``)."""
        return self.library.economics()


@lru_cache(maxsize=8)
def _cached_store(
    playbooks_dir: str, chroma_dir: str, embeddings: str, model: str, base_url: str | None
) -> PlaybookStore:
    ef: EmbeddingFunction = (
        OpenAIEmbeddingFunction(model, base_url) if embeddings == "openai" else HashingEmbeddingFunction()
    )
    return PlaybookStore(Path(playbooks_dir), Path(chroma_dir), ef)


def get_store(settings: settings_mod.Settings | None = None) -> PlaybookStore:
    """The process-wide store for these settings (built or re-indexed on first use)."""
    settings = settings or settings_mod.load()
    return _cached_store(
        str(Path(settings.playbooks_dir).resolve()),
        str((Path(settings.data_dir) / "chroma").resolve()),
        settings.embeddings,
        settings.embedding_model,
        settings.openai_base_url,
    )
