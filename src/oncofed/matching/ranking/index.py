"""The one trial text index: one tokeniser, one document per trial, BM25 (bm25s) over it.

Search (`/trials`, `oncofed trials search`), match, pre-screening order and `oncofed eval rank` all
score trial text through `TextIndex`, so a trial gets the same BM25 score for the same words
wherever it is ranked. It is built from domain `Trial` objects (or their documents) and knows
nothing of the store: `services/trials/index.py` builds it once per registry version and keeps it.

The tokeniser: lower-case runs of 2+ word characters (bm25s' default pattern), English stop words
dropped (bm25s' list), Snowball English stems (PyStemmer). Profiled on 20,000 trials on 2 busy cores:
a per-token Python loop was the cost, so each document is split by one regex, and each distinct
surface token is stemmed once and mapped to its vocabulary id through a dict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.tokenization import Tokenized

from oncofed.domain import Trial

MAX_INDEXED_CHARS = 20_000  # eligibility text beyond this is not indexed (keeps 100k trials in memory)
_TOKEN = re.compile(r"\w\w+")  # = r"\b\w\w+\b" (greedy runs of word characters), without the \b checks
_STOP = frozenset(bm25s.stopwords.STOPWORDS_EN)


class Tokenizer:
    """Lower-case words of 2+ characters, English stop words dropped, Snowball-stemmed.

    `ids()` maps a text straight to vocabulary ids (growing the vocabulary); `__call__` gives stems."""

    def __init__(self, vocab: dict[str, int] | None = None) -> None:
        self.stemmer = Stemmer.Stemmer("english")
        self.stem_of: dict[str, str] = {}
        self.vocab: dict[str, int] = dict(vocab or {})
        self.id_of: dict[str, int] = {}  # surface token -> vocabulary id, -1 for a stop word

    def _stem(self, tok: str) -> str:
        stem = self.stem_of.get(tok)
        if stem is None:
            stem = self.stem_of[tok] = self.stemmer.stemWord(tok)
        return stem

    def __call__(self, text: str) -> list[str]:
        return [self._stem(t) for t in _TOKEN.findall(text.lower()) if t not in _STOP]

    def ids(self, text: str) -> list[int]:
        toks = _TOKEN.findall(text.lower())
        id_of = self.id_of
        for tok in set(toks).difference(id_of):
            id_of[tok] = -1 if tok in _STOP else self.vocab.setdefault(self._stem(tok), len(self.vocab))
        return [i for i in map(id_of.__getitem__, toks) if i >= 0]


def document_of(
    *,
    title: str = "",
    acronym: str = "",
    official_title: str = "",
    conditions: Sequence[str] = (),
    interventions: Sequence[str] = (),
    keywords: Sequence[str] = (),
    brief_summary: str = "",
    eligibility_text: str = "",
) -> str:
    """The text BM25 sees for a trial (the same fields, in the same order, everywhere)."""
    parts = [title, acronym, official_title, " ".join(conditions), " ".join(interventions)]
    parts += [" ".join(keywords), brief_summary, (eligibility_text or "")[:MAX_INDEXED_CHARS]]
    return "\n".join(p for p in parts if p)


def trial_document(trial: Trial) -> str:
    """`document_of` a domain trial."""
    return document_of(
        title=trial.title,
        acronym=trial.acronym or "",
        official_title=trial.official_title,
        conditions=trial.conditions,
        interventions=trial.interventions,
        keywords=trial.keywords,
        brief_summary=trial.brief_summary,
        eligibility_text=trial.eligibility_text,
    )


class TextIndex:
    """BM25 over one document per trial; `scores(query)` gives every trial's score, in index order."""

    def __init__(self, ids: Sequence[str], documents: Iterable[str]) -> None:
        self.ids = list(ids)
        self.tokenizer = Tokenizer()
        docs = [self.tokenizer.ids(d) for d in documents]
        if len(docs) != len(self.ids):
            raise ValueError(f"{len(self.ids)} ids but {len(docs)} documents")
        self.bm25: bm25s.BM25 | None = None
        if self.ids:
            self.bm25 = bm25s.BM25()
            self.bm25.index(Tokenized(ids=docs, vocab=self.tokenizer.vocab), show_progress=False)

    @classmethod
    def of_trials(cls, trials: Sequence[Trial]) -> TextIndex:
        return cls([t.id for t in trials], (trial_document(t) for t in trials))

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every trial for `query` (zeros when no query word is in the index)."""
        tokens = [t for t in self.tokenizer(query) if t in self.tokenizer.vocab] if query else []
        if self.bm25 is None or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Write the BM25 part into `folder` (the caller writes `ids` with its own metadata)."""
        if self.bm25 is not None:
            self.bm25.save(str(folder / "bm25"), show_progress=False)

    @classmethod
    def load(cls, folder: Path, ids: Sequence[str]) -> TextIndex:
        index = cls.__new__(cls)
        index.ids = list(ids)
        index.bm25 = None
        vocab: dict[str, int] = {}
        if (folder / "bm25").is_dir():
            index.bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
            vocab = dict(index.bm25.vocab_dict)
        index.tokenizer = Tokenizer(vocab)
        if (index.bm25 is None) != (len(index.ids) == 0):
            raise ValueError(f"inconsistent index files in {folder}")
        return index
