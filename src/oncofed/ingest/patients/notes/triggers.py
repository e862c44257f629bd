"""Where ConText's trigger words and rule phrases are in a note, found by Hyperscan (issue 23 speed).

    trigger_starts(text) -> list[int] | None   # the same list as `context.trigger_starts(text)`
    rule_keys_within(text, spans) -> list[tuple[str, ...]] | None   # `modifiers_many`'s `keys`, a span each

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

`rule_keys_within` is ConText's pre-filter (`context.may_have_modifier`) for the sentences of a note (speed28,
see its docstring). Both are read from one scan of the note (`_scanned`): one Hyperscan database holds the
trigger expressions and the rule phrases, each reported event is dispatched by its id.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from collections.abc import Sequence
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
def _trigger_expressions() -> tuple[list[bytes], tuple[int, ...]] | None:
    """(Hyperscan expressions of the trigger candidates, their lengths), or None (then `re` alone)."""
    if context._trigger_lowered() is None:
        return None
    words = context._trigger_words()
    if not all(
        _FIRST_ASCII_WORD.match(w) and w.isascii() and context._SAFE_TRIGGER.fullmatch(w) for w in words
    ):
        return None
    literals = [*words, "non-", "un"]  # the pattern's three alternatives, as written in `context._trigger_re`
    return [rb"\b" + re.escape(w).encode("ascii") for w in literals], tuple(len(w) for w in literals)


@functools.cache
def _whitespace_class() -> bytes:
    """`re`'s `\\s` over Latin-1 characters as a Hyperscan byte class (Hyperscan's own `\\s` is ASCII white space
    only: no U+00A0, which French typography puts before ":", nor U+0085 or U+001C-U+001F)."""
    return b"[" + b"".join(b"\\x%02x" % i for i in range(256) if re.fullmatch(r"\s", chr(i))) + b"]"


@functools.cache
def _rule_expressions() -> tuple[list[bytes], tuple[str, ...]] | None:
    """(Hyperscan expressions of every ConText rule phrase `context.may_have_modifier` looks for, in its loose
    form (the rule's tokens joined by at most one white space character, `context._phrase_words`), the rule
    key of each), or None (then `context.rule_keys_in` and `may_have_modifier` alone)."""
    found = context._phrase_words()
    if found is None:
        return None
    expressions: list[bytes] = []
    keys: list[str] = []
    for key, rules in found[0].items():
        for loose, _strict, _direction in rules:
            # the tokens are `re.escape`d ASCII joined by `\s?` (an escaped token never holds `\s?`: a token's
            # "\" and "?" are escaped); Hyperscan reads an escaped punctuation character as that character
            if not loose.pattern.isascii():  # pragma: no cover - `_phrase_words` keeps ASCII tokens only
                return None
            expressions.append(loose.pattern.encode("ascii").replace(rb"\s?", _whitespace_class() + b"?"))
            keys.append(key)
    return expressions, tuple(keys)


@functools.cache
def _database() -> tuple[Any, tuple[int, ...] | None, tuple[str, ...] | None] | None:
    """(one Hyperscan database of the trigger expressions (ids 0..) then the rule phrases, the triggers'
    lengths, the rules' keys; either None where its part cannot be given to Hyperscan), or None."""
    if hyperscan is None:
        return None
    triggers, rules = _trigger_expressions(), _rule_expressions()
    expressions = [*(triggers[0] if triggers else []), *(rules[0] if rules else [])]
    if not expressions:
        return None
    database = hyperscan.Database()
    try:
        database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[0] * len(expressions),
        )
    except hyperscan.HyperscanError:  # pragma: no cover - an expression Hyperscan cannot read: `re` alone
        return None
    return database, triggers[1] if triggers else None, rules[1] if rules else None


@functools.lru_cache(maxsize=4)
def _scanned(text: str) -> tuple[list[int], list[int], list[int]] | None:
    """One Hyperscan scan of the lowered note: (the trigger candidates' starts, sorted; the ends of the rule
    phrases' matches, sorted, and the index of each one's rule), or None when the lowered note is not the
    note's characters lowered one by one in Latin-1 (one byte a character keeps Hyperscan's offsets)."""
    found = _database()
    if found is None:
        return None
    low = lowered(text)
    if len(low) != len(text):  # pragma: no cover - Latin-1 characters lower to one character
        return None
    try:
        data = low.encode("latin-1")
    except UnicodeEncodeError:  # a character beyond Latin-1: its bytes would shift the offsets
        return None
    database, lengths, _keys = found
    scratch = getattr(_LOCAL, "scratch", None)
    if scratch is None:
        scratch = _LOCAL.scratch = hyperscan.Scratch(database)
    candidates: set[int] = set()
    add = candidates.add
    events: list[tuple[int, int]] = []
    append = events.append
    first_rule = len(lengths) if lengths else 0

    def on_match(index: int, _start: int, end: int, _flags: int, _context: object) -> None:
        if index < first_rule:
            add(end - lengths[index])  # type: ignore[index]
        else:
            append((end, index - first_rule))

    database.scan(data, match_event_handler=on_match, scratch=scratch)
    events.sort()
    return sorted(candidates), [end for end, _ in events], [rule for _, rule in events]


def trigger_starts(text: str) -> list[int] | None:
    """`context.trigger_starts(text)` (the same list), Hyperscan choosing where its pattern is tried."""
    found = _database()
    scanned = (
        _scanned(text)
        if found is not None and found[1] is not None and context._trigger_re()._fast(text)
        else None
    )
    if scanned is None:
        return context.trigger_starts(text)
    low = lowered(text)
    match = context._trigger_lowered().match  # type: ignore[union-attr]
    out: list[int] = []
    done = 0  # where the last match ended: `finditer` goes on from there
    for start in scanned[0]:
        if start >= done and (m := match(low, start)) is not None:
            out.append(start)
            done = m.end()
    return out


def rule_keys_within(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, ...]] | None:
    """For each `(a, b)` of `spans`, the keys of the ConText rules (`context._phrase_words`) whose phrase may
    occur in `text[a:b]`: `context.may_have_modifier(text[a:b], targets, keys)` with them is its answer with
    every key (`modifiers_many`'s `keys`). None when this cannot be told (then `modifiers_many` asks
    `context.rule_keys_in`, as before).

    `may_have_modifier` lower-cases the sentence and searches each rule's phrase, loose and strict (the strict
    form adds letter boundaries: a strict match is a loose match too); a rule none of whose loose matches lies
    in the sentence cannot hit there. Every such match is a match in the lowered note that ends inside the
    sentence (the loose phrase has no lookaround: it reads only its own characters, and `low[a:b]` is
    `text[a:b].lower()` for the Latin-1 text `_scanned` accepts), and Hyperscan reports every position where a
    match of an expression ends. So one scan of the note lists, for all its sentences at once, the few rules
    worth trying in each (most sentences: none), where `rule_keys_in` looked for every key in the sentences
    joined and `may_have_modifier` then tried every rule of every key found there, sentence by sentence.
    tests/test_notes_rule_keys.py checks both premises and the answers on the dev notes and random texts."""
    found = _database()
    scanned = _scanned(text) if found is not None and found[2] is not None else None
    if scanned is None:
        return None
    keys: tuple[str, ...] = found[2]  # type: ignore[index,assignment]
    _, ends, rules = scanned
    out: list[tuple[str, ...]] = []
    for a, b in spans:
        lo, hi = bisect.bisect_right(ends, a), bisect.bisect_right(ends, b)  # the matches ending in (a, b]
        out.append(() if lo == hi else tuple(dict.fromkeys(keys[rules[k]] for k in range(lo, hi))))
    return out
