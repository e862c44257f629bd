"""Sentences of a note that nothing was read from although a clinician would look at them.

A sentence is listed when no fact and no not-history mention lies in it, it is not a trial or plan
description, and it carries a clinical signal (a number with a unit, a result word, a therapy or
tumour word: `unread_signals` of `vocab/notes_scopes.yaml`; vital signs alone are left out). The patient page shows them beside the
facts, so what the extractor did not understand is not silently lost.
"""

from __future__ import annotations

import bisect
import functools
import re

from oncofed.criteria.caseless import Caseless, compile_i
from oncofed.ingest.patients.notes.scopes import NoteScopes, rules
from oncofed.ingest.patients.notes.text import sentences, words_re

_NUMBER_UNIT = compile_i(r"\d\s*(?:%|mg|g/|mmol|µmol|umol|/mm|/u?l|x\s*10|iu|u/l|ng|pg|cm|mm\b)")


@functools.cache
def _signals() -> Caseless:
    words = sorted((re.escape(w.lower()) for w in rules()["unread_signals"]), key=len, reverse=True)
    return compile_i(r"(?<![a-z])(?:" + "|".join(words) + ")")


@functools.cache
def _vitals() -> Caseless:
    return words_re(rules()["unread_vitals"])


def unread_sentences(
    text: str, read_spans: list[tuple[int, int]], note_scopes: NoteScopes
) -> list[tuple[int, int]]:
    """(start, end) of each sentence worth a look that gave no fact."""
    covered = sorted(read_spans)
    todo = [
        (s, e)
        for s, e in sentences(text)
        if not any(a < e and b > s for a, b in covered) and note_scopes.scope_of(s) is None
    ]
    if not todo:
        return []
    # each pattern searched once over the note (lower-casing the note once), then placed in sentences
    signals = [m.start() for m in _signals().finditer(text)]
    numbers = [m.start() for m in _NUMBER_UNIT.finditer(text)]
    vitals = [m.start() for m in _vitals().finditer(text)]

    def inside(positions: list[int], s: int, e: int) -> bool:
        i = bisect.bisect_left(positions, s)
        return i < len(positions) and positions[i] < e

    return [
        (s, e)
        for s, e in todo
        if inside(signals, s, e) or (inside(numbers, s, e) and not inside(vitals, s, e))
    ]
