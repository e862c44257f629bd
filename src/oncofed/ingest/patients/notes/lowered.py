"""Case-insensitive searches of the notes reader, fast on French notes too (issue 23 speed).

    compile_i(pattern) -> NoteCaseless      # `re.compile(pattern, re.I)`, the same matches
    lowerable(text) -> bool                 # `text.lower()` may stand for `text` (see below)

`oncofed.criteria.caseless.Caseless` searches ASCII text lower-cased without IGNORECASE (2-7x faster)
and falls back to the IGNORECASE search on any other text. A French note, rewritten in English wording,
keeps the accents of the words no vocabulary knows ("créatinine", "µmol/L", "à J8"), so every search of
the reader took the slow path: a third of the reader's time on a French note. The lowered search stays
exact on such a text when each of its non-ASCII characters x

- lower-cases to one character (offsets kept), not ASCII, not Greek capital sigma (whose lower case
  depends on the next letter);
- matches no ASCII character under IGNORECASE (so "ſ", "ı", the Kelvin sign are out);
- is a word character, a digit, a space exactly when `x.lower()` is; is no digit (`\\d` would find
  "٣" where `[0-9]` does not); is no capital whose lower case has no case;

and the pattern tests only ASCII characters and characters without case ("≥", "×", "–"; categories such
as `\\w`, `\\b` are fine), with no back-reference. Then each test of the pattern gives, on x under
IGNORECASE, what it gives on `x.lower()` without the flag: an ASCII literal or range matches neither; an
uncased literal is compared as written by `re` under IGNORECASE, and only x itself lower-cases to it; a
category answers the same on both; so both searches take the same path at every position, as `Caseless`
argues for ASCII text (whose characters `Caseless._lowerable` already checked). A pattern or a text
outside these rules keeps `Caseless`'s own search. tests/test_patients_notes_lowered.py compares both.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from typing import Any

from oncofed.criteria.caseless import Caseless

try:  # CPython's own parser of regular expressions (as `oncofed.criteria.caseless`)
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python: ASCII text only
    sre_c = sre_parse = None

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_FOLD = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
_CATEGORY_TESTS = (re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s"))


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
    """`text.lower()`, once per text (searched by every pattern of the reader)."""
    return text.lower()


def _uncased(c: str) -> bool:
    """A character without case ("≥", "×", "–"): `re` compares it as written under IGNORECASE."""
    return c.lower() == c and c.upper() == c


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
    if sre_parse is None:
        return False
    try:
        return _ascii_tests(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # a parser detail of another Python version: be safe, not fast
        return False


class NoteCaseless(Caseless):
    """`Caseless`, with the lowered search on non-ASCII text too where it is exact (module docstring)."""

    __slots__ = ("ascii_tests",)

    def __init__(self, pattern: str | re.Pattern[str], flags: int = 0) -> None:
        super().__init__(pattern, flags)
        self.ascii_tests = self.lowered is not None and _ascii_pattern(self.plain)

    def _fast(self, text: str) -> bool:
        return self.lowered is not None and (text.isascii() or (self.ascii_tests and lowerable(text)))

    def _start(self, text: str, pos: int, endpos: int) -> int | None:
        assert self.lowered is not None
        m = self.lowered.search(lowered(text), pos, endpos)
        return None if m is None else m.start()

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if not self._fast(text):
            return self.plain.search(text, pos, endpos)
        start = self._start(text, pos, endpos)
        if start is None:
            return None
        return self.plain.match(text, start, endpos) or self.plain.search(text, pos, endpos)

    def _absent(self, text: str, pos: int, endpos: int) -> bool:
        return self._fast(text) and self._start(text, pos, endpos) is None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if not self._fast(text):
            return self.plain.finditer(text, pos, endpos)
        start = self._start(text, pos, endpos)
        return iter(()) if start is None else self.plain.finditer(text, start, endpos)


def compile_i(pattern: str, flags: int = 0) -> NoteCaseless:
    """`re.compile(pattern, flags | re.IGNORECASE)`, searched faster on ASCII and most French notes."""
    return NoteCaseless(pattern, flags)
