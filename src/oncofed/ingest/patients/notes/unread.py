"""Sentences of a note that nothing was read from although a clinician would look at them.

A sentence is listed when no fact and no not-history mention lies in it, it is not a trial or plan
description, and it carries a clinical signal (a number with a unit, a result word, a therapy or
tumour word: `unread_signals` of `vocab/notes_scopes.yaml`; vital signs alone are left out). The patient page shows them beside the
facts, so what the extractor did not understand is not silently lost.
"""

from __future__ import annotations

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
    out = []
    covered = sorted(read_spans)
    for s, e in sentences(text):
        if any(a < e and b > s for a, b in covered):
            continue
        if note_scopes.scope_of(s) is not None:
            continue
        if _signals().search(text, s, e) or (
            _NUMBER_UNIT.search(text, s, e) and not _vitals().search(text, s, e)
        ):
            out.append((s, e))
    return out
