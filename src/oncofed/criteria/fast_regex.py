r"""Regular expressions rewritten so that Python's `re` can skip to where they may match (issue 23 speed).

    compile_fast(pattern, flags) -> re.Pattern   # the same matches, groups and spans as re.compile

Why: `re` searches fast when a pattern's first item is one character, a character set or an
alternation of literals: it scans for those characters in C and tries the pattern only there (the
"charset prefix" of `re._compiler._compile_info`). A pattern opening with `\b`, `\d+` or a lookbehind
gets no prefix, and `re` runs the pattern at every position: ~20 ns a character for each of the ~50
French rewrite rules (`resources/vocab/fr/rules.yaml`), 0.4 ms a note. The French rules are kept
readable as written; their parse tree (re's own, `re._parser`) is rewritten into an equivalent one
whose first item is a character or a character set:

- `\bX`, X one word character (a literal or a set of word characters, or every alternative of a group
  starting with one): `X(?<!\wX)`. Before a word character `\b` means "no word character just before",
  and the lookbehind tests exactly that one character later. Both `\b` and lookbehinds see the
  string's real start, not the `pos` argument of `finditer`, so `pos`/`endpos` searches agree too.
- `(?<!L)X` and `(?<=L)X`, X one character and L of one fixed width (any: `(?<=\bune)`): `X(?<!LX)`,
  `X(?<=LX)`; an alternation of such lookbehinds before X (`(?:(?<=\d)|(?<=\bun))\s`): X, then the
  alternation of the lookbehinds each with X (each tests the same characters one position later).
- `X{m,n}` with m >= 1 and X one character: `XX{m-1,n-1}` (the same greedy or lazy order).

Anything else is compiled as written (`re.compile`), as is everything when the internals differ (they
are CPython's, stable since 3.11, where `sre_parse` became `re._parser`). No hand-written matcher: `re`
still does all the matching. tests/test_french_fast_regex.py checks that both compilations give the same
matches on the French dev notes and on random text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from typing import Any

from oncofed.criteria.caseless import lowerable, lowered

_parser: Any
_compiler: Any
C: Any
try:  # CPython's own parser and compiler of regular expressions (no type stubs: typed Any)
    _parser = importlib.import_module("re._parser")
    _compiler = importlib.import_module("re._compiler")
    C = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - another Python: compile as written
    _parser = _compiler = C = None

_WORD = re.compile(r"\w")
Node = tuple[Any, Any]
Guard = Callable[[Node], Node | None]  # the one-character first item -> an assertion to put after it


def _is_word_char(code: int) -> bool:
    return _WORD.match(chr(code)) is not None


def _all_word(item: Node) -> bool:
    r"""Every character `item` (a LITERAL or an IN) matches is a word character (\w)."""
    op, av = item
    if op is C.LITERAL:
        return _is_word_char(av)
    if op is not C.IN:
        return False
    for sub_op, sub_av in av:
        if sub_op is C.LITERAL:
            if not _is_word_char(sub_av):
                return False
        elif sub_op is C.RANGE:
            lo, hi = sub_av
            if hi - lo > 512 or not all(_is_word_char(c) for c in range(lo, hi + 1)):
                return False
        elif not (sub_op is C.CATEGORY and sub_av in (C.CATEGORY_DIGIT, C.CATEGORY_WORD)):
            return False
    return True


def _one_char(sub: Any) -> Node | None:
    """The item of `sub` if it is one LITERAL or IN (one character wide), else None."""
    if len(sub.data) == 1 and sub.data[0][0] in (C.LITERAL, C.IN):
        return sub.data[0]  # type: ignore[no-any-return]
    return None


def _fixed(sub: Any) -> bool:
    """Whether a lookbehind's pattern has one width (`re` requires it: then so has it with one more character)."""
    low, high = sub.getwidth()
    return bool(low == high)


def _lone_lookbehind(alternative: Any) -> bool:
    """Whether an alternative of a BRANCH is one lookbehind of a fixed width and nothing else."""
    if len(alternative.data) != 1:
        return False
    op, av = alternative.data[0]
    return op in (C.ASSERT, C.ASSERT_NOT) and av[0] == -1 and _fixed(av[1])


def _lookbehind(state: Any, op: Any, before: list[Node], item: Node) -> Node:
    return (op, (-1, _parser.SubPattern(state, [*before, item])))


def _expose(seq: list[Node], state: Any, guards: tuple[Guard, ...]) -> list[Node] | None:
    """`seq` rewritten to open with a one-character item (each guard's assertion right after it), or None."""
    if not seq:
        return None
    op, av = seq[0]
    rest = seq[1:]
    if op in (C.LITERAL, C.IN):
        after = [guard(seq[0]) for guard in guards]
        if any(node is None for node in after):
            return None
        return [seq[0], *after, *rest]  # type: ignore[list-item]
    if op is C.AT and av is C.AT_BOUNDARY:
        word = (C.IN, [(C.CATEGORY, C.CATEGORY_WORD)])

        def boundary(item: Node) -> Node | None:
            return _lookbehind(state, C.ASSERT_NOT, [word], item) if _all_word(item) else None

        return _expose(rest, state, (*guards, boundary))
    if op in (C.ASSERT, C.ASSERT_NOT) and av[0] == -1 and _fixed(av[1]):
        before = list(av[1].data)

        def behind(item: Node) -> Node:
            return _lookbehind(state, op, before, item)

        return _expose(rest, state, (*guards, behind))
    if op is C.BRANCH and all(_lone_lookbehind(alternative) for alternative in av[1]):
        # "(?:(?<=\d)|(?<=\bun))\s+à": each alternative one lookbehind; the alternation becomes the guard
        looks = [alternative.data[0] for alternative in av[1]]

        def either(item: Node) -> Node:
            branches = [
                _parser.SubPattern(state, [_lookbehind(state, o, list(a[1].data), item)]) for o, a in looks
            ]
            return (C.BRANCH, (None, branches))

        return _expose(rest, state, (*guards, either))
    if op is C.SUBPATTERN:
        group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None
        inner = _expose(list(sub.data), state, guards)
        if inner is None:
            return None
        return [(C.SUBPATTERN, (group, add_flags, del_flags, _parser.SubPattern(state, inner))), *rest]
    if op is C.BRANCH:
        alternatives = []
        for alternative in av[1]:
            inner = _expose(list(alternative.data), state, guards)
            if inner is None:
                return None
            alternatives.append(_parser.SubPattern(state, inner))
        return [(C.BRANCH, (av[0], alternatives)), *rest]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, sub = av
        item = _one_char(sub)
        if lo < 1 or item is None:
            return None
        remaining = (lo - 1, hi if hi == C.MAXREPEAT else hi - 1, sub)
        tail = [(op, remaining)] if remaining[1] == C.MAXREPEAT or remaining[1] > 0 else []
        return _expose([item, *tail, *rest], state, guards)
    return None


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, its first item made one character where that is exact (see above)."""
    if _parser is None or flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE):
        return re.compile(pattern, flags)
    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE):  # inline (?i): the rules never use it
            return re.compile(pattern, flags)
        data = _expose(list(parsed.data), parsed.state, ())
        if data is None:
            return re.compile(pattern, flags)
        return _compiler.compile(_parser.SubPattern(parsed.state, data), flags)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - the internals changed: the pattern as written is always right
        return re.compile(pattern, flags)


RARE_LETTERS = 3  # `compile_rare`: at most this many letters may open a match


def _first_chars(data: list[Node]) -> set[str] | None:
    """The characters the first item of an exposed tree (`_expose`) can match, or None when it is not
    a literal, a small set or digits (`\\d`), or an alternation or group of those."""
    if not data:
        return None
    op, av = data[0]
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.SUBPATTERN:
        return _first_chars(list(av[3].data))
    if op is C.BRANCH:
        found: set[str] = set()
        for alternative in av[1]:
            inner = _first_chars(list(alternative.data))
            if inner is None:
                return None
            found |= inner
        return found
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] <= 64:
                chars.update(map(chr, range(sub_av[0], sub_av[1] + 1)))
            elif sub_op is C.CATEGORY and sub_av is C.CATEGORY_DIGIT:
                chars.update("0123456789")
            else:
                return None
        return chars
    return None


def compile_rare(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`compile_fast(pattern, flags)` when its matches can open with at most RARE_LETTERS letters (digits and
    signs not counted: "\\b(?:his|him|her)\\b", "(?<![\\w-])(?:pre-?operative|neoadjuvant)", "\\d+ min"),
    else `re.compile` (the same matches either way). Why the choice: `re` then scans for those characters
    in C and tries the pattern only there, 2-20x faster on a note; where many letters open a match
    ("\\b(?:biops\\w*|histolog\\w*|patholog\\w*|...)"), most positions of a text are candidates and each
    pays the lookbehind that stands for the `\\b`, where the pattern as written fails at once inside a
    word (up to 2x slower, measured on the French dev notes' rewrite)."""
    if _parser is None or flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE):
        return re.compile(pattern, flags)
    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
            return re.compile(pattern, flags)
        data = _expose(list(parsed.data), parsed.state, ())
        first = None if data is None else _first_chars(data)
        if data is None or first is None or sum(c.isalpha() for c in first) > RARE_LETTERS:
            return re.compile(pattern, flags)
        return _compiler.compile(_parser.SubPattern(parsed.state, data), flags)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - the internals changed: the pattern as written is always right
        return re.compile(pattern, flags)


# ---- literal openings: candidates found by `str.find`, the pattern matched only there ----

MAX_OPENINGS = 12  # more literal openings than this: searched as compiled


def _openings(items: list[Node], limit: int = MAX_OPENINGS) -> tuple[set[str], bool]:
    """(strings, whole): every match of `items` starts with one of `strings` (zero-width assertions are
    skipped: the match still checks them); `whole` when each string is a whole match (a fixed text).
    Past `limit` strings the ones so far are returned (`whole` False)."""
    current = {""}
    for op, av in items:
        if op is C.AT or (op in (C.ASSERT, C.ASSERT_NOT)):
            continue  # zero width: consumes nothing
        if op is C.LITERAL:
            current = {s + chr(av) for s in current}
        elif op is C.IN and len(av) <= 3 and all(sub_op is C.LITERAL for sub_op, _ in av):
            current = {s + chr(c) for s in current for _, c in av}
        elif op is C.SUBPATTERN and not av[1] and not av[2]:
            inner, whole = _openings(list(av[3].data), limit)
            current = {s + t for s in current for t in inner}
            if not whole:
                return current, False
        elif op is C.BRANCH:
            union: set[str] = set()
            every = True
            for alternative in av[1]:
                inner, whole = _openings(list(alternative.data), limit)
                union |= inner
                every = every and whole
            current = {s + t for s in current for t in union}
            if not every:
                return current, False
        else:
            return current, False
        if len(current) > limit:
            return current, False
    return current, True


def literal_openings(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Strings of two or more characters one of which every match of `pattern` starts with (at most
    MAX_OPENINGS of them), or None when the pattern has no such opening or may match an empty string."""
    if _parser is None or flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE):
        return None
    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE) or parsed.getwidth()[0] == 0:
            return None
        openings, _ = _openings(list(parsed.data))
    except Exception:  # noqa: BLE001 - the internals changed: search as compiled
        return None
    if not openings or len(openings) > MAX_OPENINGS or min(map(len, openings)) < 2:
        return None
    # an opening that starts with another is found where the other is ("metastase" where "meta" is)
    return tuple(sorted(o for o in openings if not any(o != p and o.startswith(p) for p in openings)))


def opens_lines(pattern: str, flags: int = 0) -> bool:
    """Whether every match of `pattern` starts at a line start (`^` first, MULTILINE) and is never empty."""
    if _parser is None or not flags & re.MULTILINE or flags & (re.LOCALE | re.VERBOSE):
        return False
    try:
        parsed = _parser.parse(pattern, flags)
        first = parsed.data[0] if len(parsed.data) else None
        # `^` is parsed as AT_BEGINNING; the compiler makes it AT_BEGINNING_LINE under MULTILINE
        return first in ((C.AT, C.AT_BEGINNING), (C.AT, C.AT_BEGINNING_LINE)) and parsed.getwidth()[0] > 0
    except Exception:  # noqa: BLE001 - the internals changed: search as compiled
        return False


class Searcher:
    """`pattern.finditer(string, pos, endpos)`, faster for a pattern with a few literal openings or one
    that starts at line starts.

    `re` finds where a pattern may start by its first character only (`compile_fast`): an alternation
    of words ("pas|absence|jamais") opens with a set of letters that a French text is full of, and the
    pattern is tried at each. When every match opens with one of a few fixed strings
    (`literal_openings`), `str.find` (a fast substring search in C) lists where they occur and the
    pattern is matched only there: the same matches, leftmost first, each search resuming at the
    previous match's end (a match is never empty), and `\\b`, lookbehinds and `^` see the whole
    string in `match` as in `finditer`. A pattern opening with `^` (MULTILINE) gets no prefix either and
    is tried at every position: it is matched at the line starts only (after each newline found by
    `str.find`). tests/test_french_fast_regex.py compares both."""

    __slots__ = ("pattern", "openings", "lines")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = compile_fast(pattern, flags)
        openings = literal_openings(pattern, flags)
        # one opening: `re` itself searches for a literal prefix as fast, without a Python loop
        self.openings = openings if openings and len(openings) > 1 else None
        self.lines = self.openings is None and opens_lines(pattern, flags)

    def finditer(self, string: str, pos: int, endpos: int) -> Iterable[re.Match[str]]:
        openings = self.openings
        places: list[int] = []
        find = string.find
        if openings is not None:
            for opening in openings:
                at = find(opening, pos, endpos)
                while at >= 0:
                    places.append(at)
                    at = find(opening, at + 1, endpos)
            places.sort()
        elif self.lines:  # the line starts in [pos, endpos)
            if pos < endpos and (pos == 0 or string[pos - 1] == "\n"):
                places.append(pos)
            at = find("\n", pos, endpos - 1)
            while at >= 0:
                places.append(at + 1)
                at = find("\n", at + 1, endpos - 1)
        else:
            return self.pattern.finditer(string, pos, endpos)
        if not places:
            return []
        match = self.pattern.match
        out = []
        for at in places:
            if at < pos:  # inside the previous match (or a second opening at the same place)
                continue
            m = match(string, at, endpos)
            if m is not None:
                out.append(m)
                pos = m.end()
        return out


# ---- Hyperscan beside `re` (issue 23 speed): the characters on which both read classes alike ----

# Characters on which Python's `re` (str patterns) and Hyperscan (UTF-8 mode, Unicode properties) agree
# for `\w`, `\d` and `\s` (tests/test_french_one_pass.py checks each): a text made of them only may be
# searched by Hyperscan for what `re` would find; another (control characters, other scripts) may not.
HS_SAFE_CHARS = (
    "\t\n\r\x20-\x7e\u00a0-\u024f\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac\u2264\u2265\u00d7"
)
HS_UNSAFE = re.compile(f"[^{HS_SAFE_CHARS}]")


# ---- needs: a note that holds none of a pattern's openings has no match anywhere (issue 23 speed) ----

MAX_NEEDS = 40  # more openings than this: the pattern is searched as compiled


def needs(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Strings one of which every match of `pattern` starts with, or None when the pattern has no such
    openings (an opening with a class, a repeat or a `\\d`; more than MAX_NEEDS of them; an empty match).
    Under IGNORECASE they are lower-case ASCII, to be found in the text lower-cased (a literal "PD" is "pd"
    there). `Needs` reads them."""
    if _parser is None or flags & (re.LOCALE | re.VERBOSE):
        return None
    try:
        parsed = _parser.parse(pattern, flags & ~re.IGNORECASE)
        if parsed.state.flags & (re.IGNORECASE | re.LOCALE) or parsed.getwidth()[0] == 0:
            return None  # inline (?i): not read here
        openings, _ = _openings(list(parsed.data), MAX_NEEDS)
    except Exception:  # noqa: BLE001 - the internals changed: search as compiled
        return None
    caseless = bool(flags & re.IGNORECASE)
    found = {o.lower() for o in openings} if caseless else set(openings)
    if not found or len(found) > MAX_NEEDS or "" in found or (caseless and not all(map(str.isascii, found))):
        return None
    # an opening that holds another is found where the other is ("metastase" where "meta" is)
    return tuple(sorted(o for o in found if not any(o != p and p in o for p in found)))


class Needs:
    """Whether a pattern may match anywhere in a note: `absent(text)` is True when `text` holds none of the
    strings one of which every match opens with (`needs`), so that no search of the note, of any window of
    it (`pos`, `endpos`) nor of any part of it can match. The notes reader asks a pattern of a few words
    ("topical|cream|ointment ...") once for every drug of a note, in windows of ~20 characters; most notes
    hold none of the words, and one `in` test per word over the note (in C), remembered for the note,
    spares every search.

    A case-insensitive pattern (`re.IGNORECASE`) is read in the text lower-cased (`caseless.lowered`) where
    that is exact (`caseless.lowerable`: an ASCII letter is matched by no other character than its two
    cases); in another text `absent` is False (the pattern is searched as written). The last note's answer
    is kept as one (text, answer) tuple: one assignment, safe when notes are read from several threads."""

    __slots__ = ("strings", "caseless", "_last")

    def __init__(
        self, pattern: re.Pattern[str] | Any, given: tuple[tuple[str, ...], bool] | None = None
    ) -> None:
        """`given`: (strings, caseless) as `of` checked them, instead of those read from `pattern`."""
        if given is None:
            compiled: re.Pattern[str] = getattr(pattern, "plain", pattern)  # a `Caseless`: its pattern
            self.strings: tuple[str, ...] | None = needs(compiled.pattern, compiled.flags)
            self.caseless = bool(compiled.flags & re.IGNORECASE)
        else:
            self.strings, self.caseless = given
        self._last: tuple[str, bool] = ("", False)

    @classmethod
    def of(cls, strings: Iterable[str], caseless: bool) -> Needs:
        """Needs given by hand: strings one of which every match holds (`needs` reads only openings: "mab
        vedotin" holds "vedotin", written after a drug name no opening can list); lower-case ASCII when
        `caseless`. The caller's claim: its test checks it against the pattern. (Built through `__init__`,
        not `object.__new__`: compiled by mypyc, the class is native and refuses the latter.)"""
        found = tuple(sorted(strings))
        if caseless and not all(s.isascii() and s == s.lower() for s in found):
            raise ValueError(f"caseless needs are lower-case ASCII: {found}")
        return cls(None, (found, caseless))

    def absent(self, text: str) -> bool:
        last = self._last
        if last[0] is text:
            return last[1]
        answer = self._absent(text)
        self._last = (text, answer)
        return answer

    def _absent(self, text: str) -> bool:
        if self.strings is None:
            return False
        if self.caseless:
            if not lowerable(text):
                return False
            text = lowered(text)
        return not any(s in text for s in self.strings)
