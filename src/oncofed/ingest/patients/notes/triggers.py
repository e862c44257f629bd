"""Where ConText's trigger words start in a note: `context.trigger_starts`, found by Hyperscan (issue 23 speed).

    trigger_starts(text) -> list[int] | None   # the same list as `context.trigger_starts(text)`

`context.trigger_starts` runs one `re` search of the lowered note (`context._trigger_lowered()`), whose
first item opens with ~20 letters: `re` tries the pattern at nearly every character (~25 us a 500-character
note, ~4 % of the English reader's time on a note). Here Hyperscan finds, in one pass in C, every position
where one of the pattern's alternatives could start, and the same `re` pattern is matched there only:

- each trigger word `w` is the Hyperscan expression `\\bw` (every word opens with an ASCII letter or digit),
  "non-" is `\\bnon-`, and `\\bun\\w+ed\\b` is `\\bun`; each has a fixed length, so a reported end gives its
  start (no start-of-match tracking);
- a position where `re`'s pattern matches is one of them: `(?<![\\w-])` and `\\b` before a word character
  need a character that is no word character for `re` before it, which is none for Hyperscan either (it
  reads the Latin-1 bytes with ASCII classes, and an ASCII word character is one for `re` too);
- so the matches `finditer` finds are, in order, the first candidate at or after the previous match's end
  where the pattern matches (no alternative matches the empty string).

The text is given to Hyperscan as Latin-1 bytes (one byte a character: its offsets are the text's). Any
other text, a text `context.trigger_starts` does not search lowered, a trigger word Hyperscan cannot take
or no Hyperscan: `context.trigger_starts` itself. tests/test_notes_trigger_starts.py compares both.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

from oncofed.criteria import context
from oncofed.ingest.patients.notes.lowered import lowered

try:  # optional (pyproject: x86-64 only), as for the French front-end's rule gate
    import hyperscan
except ImportError:  # pragma: no cover - the fallback is `context.trigger_starts`
    hyperscan = None  # type: ignore[assignment]

_FIRST_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_LOCAL = threading.local()  # a Hyperscan scratch space is used by one scan at a time: one a thread


@functools.cache
def _database() -> tuple[Any, tuple[int, ...]] | None:
    """(Hyperscan database of the candidate expressions, their lengths by id), or None (then `re` alone)."""
    if hyperscan is None or context._trigger_lowered() is None:
        return None
    words = context._trigger_words()
    if not all(
        _FIRST_ASCII_WORD.match(w) and w.isascii() and context._SAFE_TRIGGER.fullmatch(w) for w in words
    ):
        return None
    literals = [*words, "non-", "un"]  # the pattern's three alternatives, as written in `context._trigger_re`
    expressions = [rb"\b" + re.escape(w).encode("ascii") for w in literals]
    database = hyperscan.Database()
    try:
        database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[0] * len(expressions),
        )
    except hyperscan.HyperscanError:  # pragma: no cover - a word Hyperscan cannot read: `re` alone
        return None
    return database, tuple(len(w) for w in literals)


def trigger_starts(text: str) -> list[int] | None:
    """`context.trigger_starts(text)` (the same list), Hyperscan choosing where its pattern is tried."""
    found = _database()
    if found is None or not context._trigger_re()._fast(text):
        return context.trigger_starts(text)
    low = lowered(text)
    try:
        data = low.encode("latin-1")
    except UnicodeEncodeError:  # a character beyond Latin-1: its bytes would shift the offsets
        return context.trigger_starts(text)
    database, lengths = found
    scratch = getattr(_LOCAL, "scratch", None)
    if scratch is None:
        scratch = _LOCAL.scratch = hyperscan.Scratch(database)
    candidates: set[int] = set()
    add = candidates.add

    def on_match(index: int, _start: int, end: int, _flags: int, _context: object) -> None:
        add(end - lengths[index])

    database.scan(data, match_event_handler=on_match, scratch=scratch)
    match = context._trigger_lowered().match  # type: ignore[union-attr]
    out: list[int] = []
    done = 0  # where the last match ended: `finditer` goes on from there
    for start in sorted(candidates):
        if start >= done and (m := match(low, start)) is not None:
            out.append(start)
            done = m.end()
    return out
