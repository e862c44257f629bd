"""Case-insensitive regular expressions that search ASCII text faster, with exactly `re`'s results.

Python's `re` runs a pattern compiled with IGNORECASE 2-7x slower than the same pattern without the
flag: it folds case at every character it tries and loses its literal and charset fast paths
(measured on the criteria of 499 trials: the time-unit test 62 ms vs 8.7 ms). Nearly every criterion
is ASCII, where `str.lower()` keeps every offset. `Caseless` therefore searches `text.lower()` with
the pattern compiled *without* IGNORECASE, only to learn *where* the first match starts, then runs
the original pattern anchored there (`Pattern.match(text, start)`). Callers get the very match that
`Pattern.search(text)` gives, groups in the text's own case; only `Match.pos` differs (it is the
match's start).

Why that is exact: the lowered search may be used only when every character test of the pattern
(literal, class item, range) gives, for every ASCII character x, the same answer under IGNORECASE on x
as without it on `x.lower()` (`_lowerable` checks this on the parsed pattern; categories such as
`\\w`, `\\d`, `\\s`, `\\b` do not depend on case). Then both searches take the same path at every
position, so they find the same first start. An upper-case letter in a pattern, a range like `[0-a]`
(under IGNORECASE it matches "b" because "B" is in it), or a non-ASCII letter that folds onto ASCII
("ſ" matches "s") fails the check, and such a pattern keeps the plain IGNORECASE search, as does any
non-ASCII text, except as follows. If the anchored re-run ever found nothing, the plain search is used
instead, so a wrong start could only cost time.

Non-ASCII text (French notes and criteria keep accents: "créatinine", "µmol/L", "à J8") takes the
lowered search too when it stays exact there (`lowerable(text)`, issue 23 speed): each of the text's
non-ASCII characters x

- lower-cases to one character (offsets kept), not ASCII, not Greek capital sigma (whose lower case
  depends on the next letter);
- matches no ASCII character under IGNORECASE (so "ſ", "ı", the Kelvin sign are out);
- is a word character, a digit, a space exactly when `x.lower()` is; is no digit (`\\d` would find
  "٣" where `[0-9]` does not); is no capital whose lower case has no case;

and the pattern tests only ASCII characters and characters without case ("≥", "×", "–"; categories such
as `\\w`, `\\b` are fine), with no back-reference (`Caseless.ascii_tests`). Then each test of the pattern
gives, on x under IGNORECASE, what it gives on `x.lower()` without the flag: an ASCII literal or range
matches neither; an uncased literal is compared as written by `re` under IGNORECASE, and only x itself
lower-cases to it; a category answers the same on both; so both searches take the same path at every
position, as for ASCII text. tests/test_criteria_caseless.py and tests/test_patients_notes_lowered.py
compare both searches on such texts.

The standard library has no switch for this (re.ASCII only gains ~20%), and the `regex` package
would change matching semantics elsewhere; hence this small wrapper.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
from collections.abc import Iterator
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_ASCII = [chr(i) for i in range(128)]
_FLAGS = re.IGNORECASE | re.ASCII | re.UNICODE


@functools.cache
def _literal_ok(code: int, flags: int) -> bool:
    rx = re.compile(f"\\U{code:08x}", flags & _FLAGS)
    return all((rx.fullmatch(x) is not None) == (ord(x.lower()) == code) for x in _ASCII)


_CATEGORIES = {
    sre_c.CATEGORY_DIGIT: r"\d",
    sre_c.CATEGORY_NOT_DIGIT: r"\D",
    sre_c.CATEGORY_SPACE: r"\s",
    sre_c.CATEGORY_NOT_SPACE: r"\S",
    sre_c.CATEGORY_WORD: r"\w",
    sre_c.CATEGORY_NOT_WORD: r"\W",
}


def class_source(items: Any) -> str | None:
    """The source of a parsed character class (`[...]`, `\\w`) written back with code points, or None when
    it holds an item other than literals, ranges and the six categories (also `hs_widen`'s)."""
    parts = []
    for op, av in items:
        if op is sre_c.NEGATE:
            parts.append("^")
        elif op is sre_c.LITERAL:
            parts.append(f"\\U{av:08x}")
        elif op is sre_c.RANGE:
            parts.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif op is sre_c.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            return None
    return "[" + "".join(parts) + "]"


@functools.cache
def _class_ok(items: tuple[tuple[Any, Any], ...], flags: int) -> bool:
    """A character class is judged as a whole: `[lL]` is fine although its "L" alone is not."""
    source = class_source(items)
    if source is None:
        return False
    folded = re.compile(source, flags & _FLAGS)
    plain = re.compile(source, flags & _FLAGS & ~re.IGNORECASE)
    return all((folded.fullmatch(x) is not None) == (plain.fullmatch(x.lower()) is not None) for x in _ASCII)


def _items_ok(items: Any, flags: int) -> bool:
    """Whether every character test in a parsed (sub)pattern behaves the same on lower-cased ASCII."""
    for op, av in items:
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL):
            if not _literal_ok(av, flags):
                return False
        elif op is sre_c.IN:
            if not _class_ok(tuple(av), flags):
                return False
        elif op is sre_c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & (re.IGNORECASE | re.ASCII | re.LOCALE) or not _items_ok(sub, flags):
                return False
        elif op is sre_c.BRANCH:
            if not all(_items_ok(branch, flags) for branch in av[1]):
                return False
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            if not _items_ok(av[2], flags):
                return False
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            if not _items_ok(av[1], flags):
                return False
        elif op is sre_c.ATOMIC_GROUP:
            if not _items_ok(av, flags):
                return False
        elif op is sre_c.GROUPREF_EXISTS:
            if not _items_ok(av[1], flags) or (av[2] is not None and not _items_ok(av[2], flags)):
                return False
        elif op not in (sre_c.AT, sre_c.ANY, sre_c.GROUPREF):
            return False  # an opcode this check does not know: keep the plain search
    return True


def _lowerable(pattern: re.Pattern[str]) -> bool:
    if not pattern.flags & re.IGNORECASE or pattern.flags & re.LOCALE or not isinstance(pattern.pattern, str):
        return False
    try:
        return _items_ok(sre_parse.parse(pattern.pattern, pattern.flags), pattern.flags)
    except Exception:  # a parser detail of another Python version: be safe, not fast
        return False


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_FOLD = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
_CATEGORY_TESTS = (re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s"))


def _uncased(c: str) -> bool:
    """A character without case ("≥", "×", "–"): `re` compares it as written under IGNORECASE."""
    return c.lower() == c and c.upper() == c


@functools.lru_cache(maxsize=4096)
def _char_ok(x: str) -> bool:
    """Whether a non-ASCII character `x` of a text keeps the lowered search exact (module docstring)."""
    low = x.lower()
    if len(low) != 1 or low.isascii() or x == "\u03a3" or _ASCII_FOLD.match(x) is not None:
        return False
    if low != x and _uncased(low):  # a capital whose lower case has no case: none known, checked anyway
        return False
    if _CATEGORY_TESTS[1].match(x) is not None:
        return False
    return all((rx.match(x) is None) == (rx.match(low) is None) for rx in _CATEGORY_TESTS)


@functools.lru_cache(maxsize=64)
def lowerable(text: str) -> bool:
    """True when an IGNORECASE search of `text` and a plain search of `text.lower()` agree for every
    pattern that tests only ASCII characters (ASCII text; or every non-ASCII character is `_char_ok`)."""
    if text.isascii():
        return True
    return all(map(_char_ok, set("".join(_NON_ASCII.findall(text)))))


@functools.lru_cache(maxsize=16)
def lowered(text: str) -> str:
    """`text.lower()`, once per text (searched by many patterns in turn)."""
    return text.lower()


def _ascii_tests(items: Any) -> bool:
    """Whether a parsed (sub)pattern tests only ASCII or uncased characters and refers to no group."""
    for op, av in items:
        if op in (sre_c.LITERAL, sre_c.NOT_LITERAL):
            if av > 0x7F and not _uncased(chr(av)):
                return False
        elif op is sre_c.IN:
            for sub_op, sub_av in av:
                if (sub_op is sre_c.LITERAL and sub_av > 0x7F and not _uncased(chr(sub_av))) or (
                    sub_op is sre_c.RANGE and sub_av[1] > 0x7F
                ):
                    return False
        elif op is sre_c.SUBPATTERN:
            if not _ascii_tests(av[3]):
                return False
        elif op is sre_c.BRANCH:
            if not all(_ascii_tests(branch) for branch in av[1]):
                return False
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            if not _ascii_tests(av[2]):
                return False
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            if not _ascii_tests(av[1]):
                return False
        elif op is sre_c.ATOMIC_GROUP:
            if not _ascii_tests(av):
                return False
        elif op not in (sre_c.AT, sre_c.ANY):
            return False  # a back-reference, or an opcode this check does not know
    return True


def _ascii_pattern(pattern: re.Pattern[str]) -> bool:
    try:
        return _ascii_tests(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # a parser detail of another Python version: be safe, not fast
        return False


# `Caseless._start` asks Hyperscan first on a text at least this long (`hs_widen`: ~1 us a scan, where `re`'s
# lowered search of a whole note that finds nothing costs 5-35 us); shorter texts are searched as before
GATE_MIN_CHARS = 256
# after this many long texts, a pattern that Hyperscan proved absent from fewer than a quarter of them is no
# longer asked about (the sex, age, performance-status and metastasis words are in most notes: each scan there
# is wasted, since `re` must then run anyway); only the time can change, never an answer
GATE_TRIAL = 16
_UNSET: Any = object()


@functools.lru_cache(maxsize=16)
def _latin1_lowered(text: str) -> bytes | None:
    """`lowered(text)` as Latin-1 bytes (one byte a character, Hyperscan's offsets the text's), or None."""
    try:
        return lowered(text).encode("latin-1")
    except UnicodeEncodeError:
        return None


def _reported(_id: int, _start: int, end: int, _flags: int, found: list[int]) -> None:
    found.append(end)


class Caseless:
    """A compiled IGNORECASE pattern with `re.Pattern`'s methods (see the module docstring)."""

    __slots__ = ("plain", "lowered", "ascii_tests", "gate", "gate_last", "gate_asked", "gate_absent")

    def __init__(self, pattern: str | re.Pattern[str], flags: int = 0) -> None:
        plain = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags | re.IGNORECASE)
        self.plain: re.Pattern[str] = plain
        # the lowered search compiled by `fast_regex.compile_rare`: a pattern opening with `\b` or a
        # lookbehind before a few letters or digits is rewritten (the same matches) to open with them, which
        # `re` scans for in C instead of trying the pattern at every position
        self.lowered: re.Pattern[str] | None = (
            _compile_rare(plain.pattern, plain.flags & ~re.IGNORECASE) if _lowerable(plain) else None
        )
        # also exact on most non-ASCII text (module docstring): the pattern tests only ASCII characters
        self.ascii_tests = self.lowered is not None and _ascii_pattern(plain)
        # the lowered search widened for Hyperscan (`hs_widen.absence_gate`), made at its first long text
        self.gate: Any = _UNSET
        # (the last long text asked about, whether the gate proved the pattern absent from it): one slot,
        # written at once, so two threads never pair one text with another's answer
        self.gate_last: tuple[str, bool] = ("", False)
        # texts scanned, and found absent: a pattern present in most long texts stops asking (`GATE_TRIAL`)
        self.gate_asked = 0
        self.gate_absent = 0

    @property
    def pattern(self) -> str:
        return self.plain.pattern

    @property
    def flags(self) -> int:
        return self.plain.flags

    @property
    def groupindex(self) -> Any:
        return self.plain.groupindex

    def _fast(self, text: str) -> bool:
        """Whether the lowered search is exact on `text`."""
        return self.lowered is not None and (text.isascii() or (self.ascii_tests and lowerable(text)))

    def _start(self, text: str, pos: int, endpos: int) -> int | None:
        """Where the first match starts (lowered search); only called where `_fast(text)`."""
        assert self.lowered is not None
        if len(text) >= GATE_MIN_CHARS and self._absent_anywhere(text):
            return None
        m = self.lowered.search(lowered(text), pos, endpos)
        return None if m is None else m.start()

    def _absent_anywhere(self, text: str) -> bool:
        """True when Hyperscan proves that the lowered search matches nowhere in `lowered(text)`, whatever
        `pos` and `endpos` (`hs_widen`: the widened pattern matches every substring the pattern matches, in
        any context); False when it may match or cannot be asked (no Hyperscan, a text beyond Latin-1)."""
        last = self.gate_last
        if last[0] is text:
            return last[1]
        gate = self.gate
        if gate is _UNSET:
            assert self.lowered is not None
            gate = self.gate = _absence_gate(self.plain.pattern, self.plain.flags & ~re.IGNORECASE)
        absent = False
        if gate is not None:
            data = _latin1_lowered(text)
            if data is not None:
                found: list[int] = []
                gate.scan(data, match_event_handler=_reported, context=found)
                absent = not found
                self.gate_asked += 1
                self.gate_absent += absent
                if self.gate_asked >= GATE_TRIAL and self.gate_absent * 4 < self.gate_asked:
                    self.gate = None  # a wasted scan at most times it is asked: searched by `re` alone
        self.gate_last = (text, absent)
        return absent

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        # `_fast(text)`, inlined: the parser and the notes reader call `search` most
        if self.lowered is None or not (text.isascii() or (self.ascii_tests and lowerable(text))):
            return self.plain.search(text, pos, endpos)
        start = self._start(text, pos, endpos)
        if start is None:
            return None
        return self.plain.match(text, start, endpos) or self.plain.search(text, pos, endpos)

    def _absent(self, text: str, pos: int, endpos: int) -> bool:
        """True when the lowered search proves that nothing matches from `pos` on."""
        return self._fast(text) and self._start(text, pos, endpos) is None

    # an anchored attempt is tried once, where it is asked: the plain pattern at that one position costs
    # less than a lowered search of the rest of the text (`_absent`) to prove that nothing matches there
    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.plain.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.plain.fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if not self._fast(text):
            return self.plain.finditer(text, pos, endpos)
        start = self._start(text, pos, endpos)
        # nothing before `start` matches, so the matches from there are the matches from `pos`
        return iter(()) if start is None else self._matches(text, start, endpos)

    def _matches(self, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """`plain.finditer(text, pos, endpos)`, the matches found by the lowered search: it takes the same
        path as the plain one at every position (module docstring), so it finds the same spans one after
        the other, and each is read in the text's own case by the plain pattern anchored at its start (the
        plain pattern would otherwise scan every character between two matches with case folding)."""
        assert self.lowered is not None
        plain = self.plain
        for done, m in enumerate(self.lowered.finditer(lowered(text), pos, endpos)):
            found = plain.match(text, m.start(), endpos)
            if found is None or found.span() != m.span():  # not expected (see above): the plain scan decides
                yield from itertools.islice(plain.finditer(text, pos, endpos), done, None)
                return
            yield found

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return [] if self._absent(text, pos, endpos) else self.plain.findall(text, pos, endpos)

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        return text if self._absent(text, 0, sys.maxsize) else self.plain.sub(repl, text, count)

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        return self.plain.split(text, maxsplit)

    def __repr__(self) -> str:
        return f"Caseless({self.plain!r}, lowered={self.lowered is not None})"


def _compile_rare(pattern: str, flags: int) -> re.Pattern[str]:
    from oncofed.criteria.fast_regex import compile_rare  # (fast_regex imports this module)

    return compile_rare(pattern, flags)


def _absence_gate(pattern: str, flags: int) -> Any:
    from oncofed.criteria.hs_widen import absence_gate  # (imports Hyperscan: only once a long text is read)

    return absence_gate(pattern, flags)


def compile_i(pattern: str, flags: int = 0) -> Caseless:
    """`re.compile(pattern, flags | re.IGNORECASE)`, searched faster on ASCII and most accented text."""
    return Caseless(pattern, flags)
