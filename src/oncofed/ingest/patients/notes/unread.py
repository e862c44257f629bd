"""Sentences of a note that nothing was read from although a clinician would look at them.

A sentence is listed when no fact and no not-history mention lies in it, it is not a trial or plan
description, and it carries a clinical signal (a number with a unit, a result word, a therapy or
tumour word: `unread_signals` of `vocab/notes_scopes.yaml`; vital signs alone are left out). The patient page shows them beside the
facts, so what the extractor did not understand is not silently lost.
"""

from __future__ import annotations

import bisect
import functools
import itertools

from oncofed.ingest.patients.notes.lowered import compile_i
from oncofed.ingest.patients.notes.scopes import NoteScopes, rules
from oncofed.ingest.patients.notes.text import sentences, tokens

_NUMBER_UNIT = compile_i(r"\d\s*(?:%|mg|g/|mmol|µmol|umol|/mm|/u?l|x\s*10|iu|u/l|ng|pg|cm|mm\b)")


@functools.cache
def _word_lists() -> tuple[tuple[str, ...], frozenset[str]]:
    """(signal word prefixes, vital-sign words): single words, as tokens of the note are tested."""
    r = rules()
    signals = tuple(w.lower() for w in r["unread_signals"] if " " not in w and "/" not in w)
    return signals, frozenset(w.lower() for w in r["unread_vitals"] if " " not in w)


def unread_sentences(
    text: str, read_spans: list[tuple[int, int]], note_scopes: NoteScopes
) -> list[tuple[int, int]]:
    """(start, end) of each sentence worth a look that gave no fact."""
    spans = sentences(text)
    starts = [s for s, _ in spans]
    covered: set[int] = set()
    for a, b in read_spans:  # every sentence a fact's span touches
        i = max(0, bisect.bisect_right(starts, a) - 1)
        while i < len(spans) and spans[i][0] < b:
            if spans[i][1] > a:
                covered.add(i)
            i += 1
    todo = [(s, e) for i, (s, e) in enumerate(spans) if i not in covered and note_scopes.scope_of(s) is None]
    if not todo:
        return []
    # one pass over the tokens of the sentences left (prefix tests in C), then placed in sentences
    prefixes, vital_words = _word_lists()
    all_words, all_starts, _ = tokens(text)
    words: list[str] = []
    token_starts: list[int] = []
    for s, e in todo:  # the tokens starting in a sentence left: the only positions `inside` is asked about
        i, j = bisect.bisect_left(all_starts, s), bisect.bisect_left(all_starts, e)
        words += all_words[i:j]
        token_starts += all_starts[i:j]
    signals = list(itertools.compress(token_starts, map(str.startswith, words, itertools.repeat(prefixes))))
    vitals = list(itertools.compress(token_starts, map(vital_words.__contains__, words)))
    numbers = [m.start() for m in _NUMBER_UNIT.finditer(text)]
    return [
        (s, e)
        for s, e in todo
        if _inside(signals, s, e) or (_inside(numbers, s, e) and not _inside(vitals, s, e))
    ]


def _inside(positions: list[int], s: int, e: int) -> bool:
    """Whether a sorted position falls in [s, e). A module function, not a closure: compiled by mypyc, a
    nested function is an object and an environment that refer to each other, a cycle left to the cyclic
    collector at every note (2 objects a note, its young collections ~27 ms: docs/FRENCH.md)."""
    i = bisect.bisect_left(positions, s)
    return i < len(positions) and positions[i] < e
