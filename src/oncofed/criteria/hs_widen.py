"""A `re` pattern widened into a Hyperscan expression over Latin-1 bytes that matches at least as much
(issue 23 speed, sixteenth pass: `Caseless`'s absence gate).

    widened(pattern, flags) -> bytes | None    # None: no such expression is made for this pattern
    absence_gate(pattern, flags) -> Any | None # a Hyperscan database of `widened(...)`, or None

Why: a case-insensitive pattern of the readers searched on a whole note (`Caseless._start`: sites, lines,
performance status, age, sex, ...) costs `re` a scan of the note even where it finds nothing, and most such
searches find nothing (the lines of prior therapy, the lesions at a site, the progression to a site: 98-100 %
of their whole-note searches on the French dev notes). Hyperscan scans the note for the same pattern several
times faster; where it reports nothing, `re` cannot find anything either, so the search is not run.

Why that is exact: the expression is made from `re`'s own parse of the pattern (`re._parser`), item by item:

- a literal or a character class becomes the class of the Latin-1 characters that `re` itself matches with it
  (each of the 256 tested by `re` with the same flags: no reading of `\\w`, `\\d`, `\\s` by Hyperscan's rules);
  `.` the Latin-1 characters but a newline (all of them under DOTALL);
- alternation, groups, atomic groups and repeats (greedy, lazy or possessive: all as greedy) keep their
  structure, groups without capture;
- every zero-width assertion (`\\b`, `^`, `$`, lookarounds) is dropped: it only ever forbids a match.

So every substring of a Latin-1 text that the pattern matches, whatever its context (a lookbehind's,
a `\\b`'s, an `endpos`'s), the expression matches too, and Hyperscan (which reports every end of every match
of an expression in block mode) reports it. A pattern with a back-reference, a conditional group, an inline
flag group, a character beyond Latin-1 or a class matching no Latin-1 character has no expression (the
search runs as before), nor has one whose expression can match the empty string (Hyperscan refuses it: such a
pattern matches everywhere anyway). The text is given as Latin-1 bytes, one byte a character (a text with a
character beyond Latin-1 is not gated). tests/test_criteria_caseless_gate.py compares gated and plain
searches of every reader pattern on the dev notes and random texts, and fails if an assertion is kept
or a class is read by Hyperscan's rules.

Hand-written because neither `re` nor Hyperscan's Python binding turns a pattern into a wider one.
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from oncofed.criteria import hs_cache
from oncofed.criteria.caseless import class_source

try:  # optional (pyproject: x86-64 only), as for the French front-end's rule gate
    import hyperscan
except ImportError:  # pragma: no cover - without it every search runs as before
    hyperscan = None  # type: ignore[assignment]

_LATIN1 = [chr(i) for i in range(256)]
_CLASS_FLAGS = re.ASCII | re.UNICODE  # the flags a character test depends on (IGNORECASE is never set here)


class Unwidenable(Exception):
    """The pattern holds an item with no widened expression."""


def _byte_class(members: list[int]) -> bytes:
    """A Hyperscan class of the given Latin-1 codes (sorted), ranges written as ranges."""
    if not members:
        raise Unwidenable("a class matching no Latin-1 character")
    if len(members) == 1:
        return b"\\x%02x" % members[0]
    parts = []
    start = prev = members[0]
    for code in [*members[1:], -2]:
        if code != prev + 1:
            parts.append(b"\\x%02x" % start if start == prev else b"\\x%02x-\\x%02x" % (start, prev))
            start = code
        prev = code
    return b"[" + b"".join(parts) + b"]"


@functools.cache
def _class(items: tuple[tuple[Any, Any], ...], flags: int) -> bytes:
    """The Latin-1 characters `re` matches with a parsed class (`[...]`, `\\w`), as a Hyperscan class."""
    source = class_source(items)
    if source is None:
        raise Unwidenable("a class item")
    test = re.compile(source, flags & _CLASS_FLAGS)
    return _byte_class([i for i, c in enumerate(_LATIN1) if test.fullmatch(c) is not None])


def _items(items: Any, flags: int) -> bytes:
    out: list[bytes] = []
    for op, av in items:
        if op is sre_c.LITERAL:
            if av > 0xFF:
                raise Unwidenable("a character beyond Latin-1")
            out.append(b"\\x%02x" % av)
        elif op is sre_c.NOT_LITERAL:
            out.append(_byte_class([i for i in range(256) if i != av]))
        elif op is sre_c.ANY:
            out.append(_byte_class([i for i in range(256) if flags & re.DOTALL or i != 0x0A]))
        elif op is sre_c.IN:
            out.append(_class(tuple(av), flags))
        elif op is sre_c.BRANCH:
            out.append(b"(?:" + b"|".join(_items(branch, flags) for branch in av[1]) + b")")
        elif op is sre_c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise Unwidenable("an inline flag group")
            out.append(b"(?:" + _items(sub, flags) + b")")
        elif op is sre_c.ATOMIC_GROUP:  # backtracking limited: the greedy group matches at least as much
            out.append(b"(?:" + _items(av, flags) + b")")
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            low, high, sub = av
            body = _items(sub, flags)
            if body:
                upper = b"" if high == sre_c.MAXREPEAT else b"%d" % high
                out.append(b"(?:" + body + b"){%d," % low + upper + b"}")
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            continue  # zero width: dropping it only allows more matches
        else:
            raise Unwidenable(f"item {op}")  # back-reference, conditional group, an opcode unknown here
    return b"".join(out)


@functools.lru_cache(maxsize=1024)
def widened(pattern: str, flags: int) -> bytes | None:
    """The widened Hyperscan expression of `re.compile(pattern, flags)` (no IGNORECASE), or None."""
    if flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        return _items(sre_parse.parse(pattern, flags), flags)
    except Unwidenable:
        return None
    except Exception:  # a parser detail of another Python version: be safe, not fast
        return None


@functools.lru_cache(maxsize=1024)
def absence_gate(pattern: str, flags: int) -> Any | None:
    """A Hyperscan block-mode database of the widened pattern (one report at most), or None.

    Compiling one takes 1-600 ms (~2 s for the ~80 patterns a note may ask about), so it is kept in the
    user's cache folder as the French rules' databases are (`$XDG_CACHE_HOME` or ~/.cache,
    `oncofed/hs-gate-<digest>.db`, the digest of the expression and Hyperscan's version) and read back in
    well under a millisecond; a file that cannot be read or written is compiled again."""
    expression = widened(pattern, flags)
    if hyperscan is None or not expression:
        return None
    path = hs_cache.path_for(
        "hs-gate", b"%s\0%s" % (expression, importlib.metadata.version("hyperscan").encode())
    )
    kept = hs_cache.load(path)
    if kept is not None:
        return _with_scratch(kept)
    database = hyperscan.Database()
    try:
        database.compile(expressions=[expression], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_SINGLEMATCH])
    except hyperscan.HyperscanError:  # matches the empty string, or too large: no gate
        return None
    hs_cache.save(path, database)
    return database


def _with_scratch(database: Any) -> Any:
    """A database read back by `hyperscan.loadb` has no scratch space of its own (a compiled one has):
    `Caseless` scans without passing one, so it is given one here."""
    database.scratch = hyperscan.Scratch(database)
    return database
