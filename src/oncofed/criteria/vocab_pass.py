"""Several phrase indexes (`vocab.PhraseIndex`) scanned in one pass over a text's tokens (issue 23 speed).

    PhraseIndexes(indexes).find(text) -> list[list[Mention]]   # [index.find(text) for index in indexes]
    PhraseIndexes(indexes).prefetch(text)                       # each index's `find(text)` then answers it
    mention_indexes() -> tuple[PhraseIndex, ...]                # the shared indexes a note's mentions read

A note's reader asks seven vocabularies for the note's mentions (its own wording, cancers, drugs, drug
classes, medications and their classes, genes: `notes.mentions`). Each `PhraseIndex.find` first finds, in C,
the tokens that can open one of its phrases (a `compress` of the note's ~160 tokens by its set of first
words: ~3.5 us an index, about half of what an index costs a note). Here the tokens are tested once against
every index's first words together, and each token found is handed to the indexes it can open a phrase of
(in the text's order: each index's candidates are the ones its own `compress` lists), whose walk is then
`PhraseIndex.walk`, unchanged: the same mentions (tests/test_criteria_vocab_pass.py). `prefetch` keeps each
index's answer for that text object so that the `find_*` functions the reader calls return it (a copy)
without a scan of their own; any other text is scanned as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from oncofed.criteria import vocab
from oncofed.criteria.vocab import Mention, PhraseIndex


class PhraseIndexes:
    """`indexes` scanned together (see the module docstring)."""

    def __init__(self, indexes: Sequence[PhraseIndex]) -> None:
        self.indexes = tuple(indexes)
        opening: dict[str, list[int]] = {}  # a first word -> the indexes (positions) it opens a phrase of
        for k, index in enumerate(self.indexes):
            for word in index.first:
                opening.setdefault(word, []).append(k)
        self.opening = {word: tuple(ks) for word, ks in opening.items()}
        self.first = frozenset(opening)
        self.last: str | None = None  # the text last prefetched

    def find(self, text: str) -> list[list[Mention]]:
        words, _, _, word_set = vocab._scan(text)
        candidates: list[list[int]] = [[] for _ in self.indexes]
        if not self.first.isdisjoint(word_set):
            opening = self.opening
            for i in itertools.compress(range(len(words)), map(self.first.__contains__, words)):
                for k in opening[words[i]]:
                    candidates[k].append(i)
        return [
            index.walk(text, found) if found else []
            for index, found in zip(self.indexes, candidates, strict=True)
        ]

    def prefetch(self, text: str) -> None:
        """Scan `text` once for every index; each index's `find(text)` (this text object) then answers it."""
        if self.last is text:
            return
        for index, found in zip(self.indexes, self.find(text), strict=True):
            index.prefetched = (text, tuple(found))
        self.last = text


def mention_indexes() -> tuple[PhraseIndex, ...]:
    """The indexes of `find_cancer_types`, `find_drugs`, `find_drug_classes`, `find_medications`,
    `find_medication_classes` and `find_genes` (the shared vocabularies of a note's mentions)."""
    medications = vocab._medications()
    return (
        vocab._cancer_index(),
        vocab._drug_index(),
        vocab._class_index(),
        medications[1],
        medications[2],
        vocab._gene_index(),
    )
