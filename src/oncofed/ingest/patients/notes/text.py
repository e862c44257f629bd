"""Sentences and clauses of a clinical note, as character spans of the note's text.

A sentence ends at a line break, or at `.`, `!`, `?` followed by white space (so "0.9 mg/dL" and
"p.V600E" stay whole). A clause is the unit of negation scope: sentences are cut at ";", around a
parenthesis, and before ", and / but / while / whereas" that starts a new subject ("no cardiac
issues, and her hypertension was controlled": the "no" does not reach "hypertension").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from oncofed.criteria.caseless import Caseless
from oncofed.criteria.fast_regex import compile_fast
from oncofed.ingest.patients.notes.lowered import compile_i

_LINE = re.compile(r"[^\n]+")
# the cut is after the mark: the pattern starts with the mark (not a lookbehind) so `re` scans for it in C
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=\S)")
_CLAUSE_CUT = compile_fast(
    r";|\(|\)|,\s*(?:and|but|while|whereas|although|though)\s+(?=[A-Z]|(?:she|he|her|his|they|their|there|it|this|the patient)\b)"
    r"|\s+and\s+(?=(?:his|her|she|he|their|they)\s)|\s+but\s+|\bhowever\b"
)


_CUT_WORDS = (" and ", "but", "owever", " while ", "whereas", "though ")
# a sentence holding none of these cannot be cut (one search in C instead of a test per word)
_CUT_GATE = compile_fast("|".join(map(re.escape, (";", "(", ")", *_CUT_WORDS))))


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    part = text[start:end]
    stripped = part.strip()
    if not stripped:
        return None
    first = start + len(part) - len(part.lstrip())
    return first, first + len(stripped)


@functools.lru_cache(maxsize=256)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence, in order, trimmed of white space."""
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        pos = line.start()
        for cut in _SENT_END.finditer(text, line.start(), line.end()):
            if (span := _trimmed(text, pos, cut.start() + 1)) is not None:
                out.append(span)
            pos = cut.end()
        if (span := _trimmed(text, pos, line.end())) is not None:
            out.append(span)
    return tuple(out)


@functools.lru_cache(maxsize=256)
def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each clause, in order; every clause lies inside one sentence."""
    spans = sentences(text)
    if _CUT_GATE.search(text) is None:
        return spans  # no sentence has anything to cut at
    out: list[tuple[int, int]] = []
    for s, e in spans:
        pos = s
        if _CUT_GATE.search(text, s, e) is None:
            out.append((s, e))  # nothing to cut at (checked in C before running the pattern)
            continue
        for cut in _CLAUSE_CUT.finditer(text, s, e):
            if (span := _trimmed(text, pos, cut.start())) is not None:
                out.append(span)
            pos = cut.end()
        if (span := _trimmed(text, pos, e)) is not None:
            out.append(span)
    return tuple(out)


_AFTER_ALL = float("inf")  # (pos, _AFTER_ALL) sorts after every span starting at `pos`


def containing(spans: tuple[tuple[int, int], ...], pos: int) -> tuple[int, int] | None:
    """The span of `spans` (sorted, disjoint) that holds character `pos`, or None."""
    i = bisect.bisect_right(spans, (pos, _AFTER_ALL)) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return None


_TOKEN = re.compile(r"[^\W_]+|[^\w\s\-]")  # as `oncofed.criteria.vocab`: hyphens and spaces separate


def tokens(text: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """Lower-case tokens of `text` with their starts and ends: the vocabularies' own scan
    (`oncofed.criteria.vocab._scan`, cached and shared by every vocabulary, see docs/DEVELOPING.md)."""
    from oncofed.criteria.vocab import _scan

    words, starts, ends, _ = _scan(text)
    return words, starts, ends


class Cues:
    """Positions of cue phrases in a note, by category. Token matching as the criteria engine's
    `PhraseIndex` does (longest match, left to right, not right after "word-"), but a phrase is only
    tried where its first two tokens occur together: cue lists start with common words ("the trial",
    "no known", "is planned"), which made the general index try a third of all positions. Categories
    share one index: where cues overlap the longest wins ("by his parents" is a pseudo-cue, so its
    "parents" is no family cue)."""

    def __init__(self, categories: dict[str, list[str]]) -> None:
        self.names = tuple(categories)
        self.entries: dict[tuple[str, ...], str] = {}
        for name, phrases in categories.items():
            for phrase in phrases:
                key = tuple(m.group(0).lower() for m in _TOKEN.finditer(phrase))
                if key:
                    self.entries.setdefault(key, name)
        self.single = {k[0] for k in self.entries if len(k) == 1}
        self.pairs = {k[:2] for k in self.entries if len(k) >= 2}
        # a pair's first word -> its second words; a token opening a single-word cue or a pair (~10 of a
        # note's ~160 tokens: the pairs are tested there only, not as a tuple built and hashed at every token)
        self.seconds: dict[str, frozenset[str]] = {}
        for first, second in sorted(self.pairs):
            self.seconds[first] = self.seconds.get(first, frozenset()) | {second}
        self.openers = frozenset(self.single) | frozenset(self.seconds)
        self.prefixes = {k[:n] for k in self.entries for n in range(1, len(k) + 1)}
        self.max_len = max((len(k) for k in self.entries), default=0)

    def find(self, text: str) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list[tuple[int, int]]] = {name: [] for name in self.names}
        words, starts, ends = tokens(text)
        n = len(words)
        single, seconds, empty = self.single, self.seconds, frozenset[str]()
        # the tokens opening a single-word cue or a word pair of `pairs` (in order: `compress` in C, then
        # the openers' next word looked up; 11 -> 5 us a rewritten French note, speed28)
        candidates = [
            i
            for i in itertools.compress(range(n), map(self.openers.__contains__, words))
            if words[i] in single or (i + 1 < n and words[i + 1] in seconds.get(words[i], empty))
        ]
        free = 0
        for i in candidates:
            if i < free:
                continue
            start = starts[i]
            if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
                continue
            hit: tuple[int, str] | None = None
            for length in range(1, min(self.max_len, n - i) + 1):
                key = words[i : i + length]
                if key not in self.prefixes:
                    break
                if (name := self.entries.get(key)) is not None:
                    hit = (length, name)
            if hit:
                out[hit[1]].append((start, ends[i + hit[0] - 1]))
                free = i + hit[0]
        return out


def fast_i(pattern: str) -> Caseless:
    """`compile_i(pattern)`, its lower-case search compiled by `compile_fast` (the same matches; `re` then
    scans for the first character in C where a leading \\b or lookbehind made it try every position)."""
    found = compile_i(pattern)
    if found.lowered is not None:
        found.lowered = compile_fast(found.plain.pattern, found.plain.flags & ~re.IGNORECASE)
    return found


def any_between(positions: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """True when a (start, end) of the sorted `positions` starts in [lo, hi)."""
    i = bisect.bisect_left(positions, (lo, -1))
    return i < len(positions) and positions[i][0] < hi


def last_before(positions: list[tuple[int, int]], lo: int, hi: int) -> int:
    """The end of the last position starting in [lo, hi), else `lo`."""
    i = bisect.bisect_left(positions, (hi, -1)) - 1
    return positions[i][1] if i >= 0 and positions[i][0] >= lo else lo


def words_re(phrases: list[str] | tuple[str, ...]) -> Caseless:
    """A case-insensitive pattern matching any of `phrases` as whole words (longest first)."""
    parts = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in parts)
    return compile_i(rf"(?<![\w-])(?:{body})(?![\w])")
