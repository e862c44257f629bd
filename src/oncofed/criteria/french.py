"""French clinical text -> the English wording the engines read, with every offset kept (issue 23).

    rewrite(text, scope) -> Rewritten        # scope "notes" or "criteria"; English lines untouched
    Rewritten.text                           # English wording of the French lines
    Rewritten.to_source(start, end)          # a span of `.text` -> the span of the original text
    parse_french(text, parse) -> criteria    # the parser's one call: French criteria, same atoms

Why a front-end and not a second pipeline: the English extractors (criteria atoms, note facts) encode
the project's reading rules (conditions, cohorts, scopes, ConText); a French copy of each would drift
from them. French wording is therefore normalised into the phrasing those rules read (vocabulary from
`resources/vocab/fr/*`, each file with its source), the English engine runs, and every span is mapped
back to the French text, so evidence quotes the clinician's own words.

What was kept from EDS-NLP (AP-HP, BSD-3-Clause; evaluated in docs/BENCHMARKS.md, "French"): its cue
lists for negation, hypothesis, family, history and reported speech (`resources/vocab/fr/rules.yaml`
says which). Not its pipeline: edsnlp 0.23 needs spaCy >= 3.8.7 and numpy 2, the project is pinned to
spaCy 3.7.5 / numpy 1.26 by medspaCy, and its qualifiers alone cost ~1.6 ms per note, the whole French
budget (500 notes/s).

Matching is accent- and case-insensitive (a note without accents reads the same: "metastases
hepatiques"), except rules and phrases written with capitals ("G/L" is not "g/L", "N" is the ULN);
a plural "s"/"x" is ignored. Rules (regular expressions) claim their spans first; the phrase lexicon
(longest match, token by token) fills the rest. Words nothing knows stay as written.
"""

from __future__ import annotations

import bisect
import functools
import importlib.metadata
import itertools
import json
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

try:  # Hyperscan: the rules' one-pass prefilter (wheels for x86-64 Linux/macOS); without it every rule
    import hyperscan  # whose `needs` are in the text runs, with the same output, ~0.1 ms a note slower
except ImportError:  # pragma: no cover - a platform without a wheel
    hyperscan = None  # type: ignore[assignment]

from oncofed.criteria import hs_cache
from oncofed.criteria.fast_regex import HS_UNSAFE, Searcher
from oncofed.criteria.language import FRENCH, TextLanguage, detect
from oncofed.criteria.vocab import _scan
from oncofed.resources import load_tsv, load_yaml

SCOPES = ("notes", "criteria")


def _fold_char(c: str) -> str:
    base = unicodedata.normalize("NFD", c)[0]
    return base if base.isascii() and len(c) == 1 else c


@functools.cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        c = chr(code)
        folded = _fold_char(c)
        if folded != c:
            table[code] = folded
    table.update({ord("’"): "'", ord("‘"): "'", ord("«"): '"', ord("»"): '"', 0xA0: " ", 0x202F: " "})
    return table


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(m: re.Match[str]) -> str:
    return m.group().translate(_fold_table())


@functools.cache
def _latin1_table() -> bytes | None:
    """`_fold_table` for the Latin-1 characters as a `bytes.translate` table (each folds to one Latin-1
    character), or None if one did not."""
    table = bytearray(range(256))
    for code, folded in _fold_table().items():
        if code < 256:
            if len(folded) != 1 or ord(folded) > 255:
                return None
            table[code] = ord(folded)
    return bytes(table)


def fold(text: str) -> str:
    """`text` without accents, same length (é -> e, œ kept), typographic quotes and spaces plain."""
    # A text of Latin-1 characters only (most French notes: "é", "è", "à", "ç", NBSP) is folded by
    # bytes.translate, in C (~1 us a note; tests/test_french_fold.py); other texts: the table only has
    # non-ASCII keys, so only the non-ASCII runs are translated (2.5x cheaper than the whole text)
    table = _latin1_table()
    if table is not None:
        try:
            return text.encode("latin-1").translate(table).decode("latin-1")
        except UnicodeEncodeError:
            pass  # a character outside Latin-1 (a ligature, a typographic quote): the runs below
    return _NON_ASCII.sub(_fold_run, text)


def _key_word(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _key(phrase: str) -> tuple[str, ...]:
    words, _, _, _ = _scan(fold(phrase))
    return tuple(_key_word(w) for w in words)


@dataclass(frozen=True)
class _Entry:
    english: str
    case: str | None  # the phrase as written when it must match its case ("PS", "RT"), else None
    compound: bool  # may match inside a hyphenated word (drug names: "FOLFOX-bévacizumab"); words may not
    case_words: str | None = None  # `case` with its white space runs as single spaces (compared so)


class Lexicon:
    """French phrase -> English phrase, longest match over tokens (folded, plural-insensitive)."""

    def __init__(self, pairs: list[tuple[str, str]], names: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        self.entries: dict[tuple[str, ...], list[_Entry]] = {}
        for (french, english), compound in [*((p, False) for p in pairs), *((p, True) for p in names)]:
            key = _key(french)
            if not key:
                continue
            # a short acronym written in capitals ("PS", "RT", "EP", "VIH") must be so written in the text
            compact = french.replace("-", "").replace(" ", "")
            case = fold(french) if compact.isupper() and compact.isalpha() and len(compact) <= 4 else None
            case_words = " ".join(case.split()) if case is not None else None
            self.entries.setdefault(key, []).append(_Entry(english, case, compound, case_words))
        # the keys as a trie of words: `find` walks it with one dict look-up a word (was: each key prefix
        # built as a tuple, probed in a set of prefixes, then in `entries`). Under None, a key's
        # (English when its first entry is taken wherever it is found, else None; its entries)
        self.trie: dict[str | None, Any] = {}
        for k, found in self.entries.items():
            node = self.trie
            for word in k:
                node = node.setdefault(word, {})
            first = found[0]
            node[None] = (first.english if first.case is None and first.compound else None, found)
        self.first = {k[0] for k in self.entries}
        # the words (folded, lower-case) whose `_key_word` starts a phrase: `find` tests the words
        # themselves and makes the key of the few that may start one
        self.first_words = {k for k in self.first if not (len(k) > 3 and k[-1] in "sx")} | {
            k + c for k in self.first if len(k) >= 3 for c in "sx"
        }
        self.max_len = max((len(k) for k in self.entries), default=0)

    def find(self, folded: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """(start, end, English) of the longest phrases in folded[lo:hi] outside the `taken` spans (sorted,
        not overlapping, as `_rule_matches` keeps them)."""
        words, starts, ends, word_set = _scan(folded)
        out: list[tuple[int, int, str]] = []
        first_words = self.first_words
        if first_words.isdisjoint(word_set):
            return out
        n = len(words)
        trie, max_len = self.trie, self.max_len
        taken_starts = [s for s, _ in taken]
        taken_ends = [e for _, e in taken]  # increasing too: the spans do not overlap
        free_from = 0
        # only tokens that start a phrase are tried (a set probe each, in C)
        for i in itertools.compress(range(n), map(first_words.__contains__, words)):
            a = starts[i]
            if a < lo or a >= hi or a < free_from:
                continue
            k = bisect.bisect_right(taken_starts, a) - 1
            if k >= 0 and a < taken_ends[k]:  # inside a rule's match
                continue
            best_length, best = 0, ""
            node: dict[str | None, Any] | None = trie
            j, last = i, min(n, i + max_len)  # words[i:j] walked
            while j < last:
                b = ends[j]
                if b > hi:
                    break
                w = words[j]
                node = node.get(w[:-1] if len(w) > 3 and w[-1] in "sx" else w)  # type: ignore[union-attr]
                if node is None:  # no phrase goes on with this word (`_key_word`, inlined)
                    break
                j += 1
                found = node.get(None)
                if found is not None:
                    english = found[0]  # the first entry, taken wherever the key is found
                    if english is None:
                        inside = (a > 1 and folded[a - 1] == "-" and folded[a - 2].isalnum()) or (
                            b + 1 < len(folded) and folded[b] == "-" and folded[b + 1].isalnum()
                        )  # "sous-cutané": "sous" is part of a word here
                        for entry in found[1]:
                            if inside and not entry.compound:
                                continue
                            if entry.case_words is None or " ".join(folded[a:b].split()) == entry.case_words:
                                english = entry.english
                                break
                    if english is not None:
                        best_length, best = j - i, english
                    if len(node) == 1:  # no longer key goes on from this one
                        break
            if not best_length:
                continue
            end = ends[i + best_length - 1]
            k = bisect.bisect_left(taken_starts, end) - 1  # the last rule match starting before `end`
            if k >= 0 and taken_ends[k] > a:  # overlaps a rule's match
                continue
            out.append((a, end, best))
            free_from = end
        return out


@dataclass(frozen=True)
class _Rule:
    index: int
    pattern: Searcher
    english: str | None  # a template (\1, \g<name>) or None for a function rule
    function: str | None
    case: bool
    needs: tuple[str, ...]  # substrings one of which the (folded, lower-cased unless `case`) text must hold
    template: tuple[tuple[str, int | str | None], ...] | None = None  # `english` parsed (`_parse_template`)
    source: str = ""  # the pattern as compiled (folded, `{SITES}` filled in)


_GROUP_REF = re.compile(r"\\(?:(\d+)|g<(\w+)>)")


def _parse_template(english: str) -> tuple[tuple[str, int | str | None], ...] | None:
    """`english` as (text, group) pieces: the text, then the group it refers to (a number, a name, or None
    at the end); None when it holds an escape other than \\N and \\g<name>. Python 3.11's `Match.expand`
    parses its template again at every call (`re._parser.parse_template`); the rules' are parsed once."""
    pieces: list[tuple[str, int | str | None]] = []
    pos = 0
    for m in _GROUP_REF.finditer(english):
        ref = m.group(1) or m.group(2)
        pieces.append((english[pos : m.start()], int(ref) if ref.isdigit() else ref))
        pos = m.end()
    pieces.append((english[pos:], None))
    if any("\\" in text for text, _ in pieces):
        return None
    return tuple(pieces)


def _expand(m: re.Match[str], template: tuple[tuple[str, int | str | None], ...]) -> str:
    """`m.expand(english)` for the parsed template (an unmatched group gives "", as in `expand`)."""
    return "".join(text + (m.group(ref) or "" if ref is not None else "") for text, ref in template)


@dataclass(frozen=True)
class Rewritten:
    """The English wording of a text and the map back to it. `edits`: (source start, source end,
    start, end) of each replaced piece, in order; elsewhere characters are the source's, shifted."""

    source: str
    text: str
    edits: tuple[tuple[int, int, int, int], ...]
    language: TextLanguage
    starts: tuple[int, ...] = ()  # the edits' start offsets in `text` (for bisection)
    folded: str = ""  # `fold(source)` when the rewrite computed it, else ""

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def _locate(self, pos: int, *, end: bool) -> int:
        starts = self.starts
        k = (bisect.bisect_left(starts, pos) if end else bisect.bisect_right(starts, pos)) - 1
        if k < 0:
            return pos
        s0, s1, d0, d1 = self.edits[k]
        if (end and pos <= d1) or (not end and pos < d1):
            return s1 if end else s0
        return pos - d1 + s1

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the span [start, end) of `.text` was written from."""
        a = self._locate(start, end=False)
        b = self._locate(end, end=True) if end > start else a
        return a, max(a, b)


@functools.cache
def _lexicon(scope: str) -> Lexicon:
    pairs: list[tuple[str, str]] = []
    for row in load_tsv("vocab/fr/terms.tsv"):
        if row["scope"] in ("both", scope):
            pairs.append((row["french"], row["english"]))
    english_names = _cancer_english()
    names = [(row["french"], english_names[row["oncotree"]]) for row in load_tsv("vocab/fr/cancers.tsv")]
    names += [(row["french"], row["inn"]) for row in load_tsv("vocab/fr/drugs.tsv")]
    for row in load_tsv("vocab/drugs.tsv"):  # INN written the French way: accents ("atézolizumab" is
        inn = row["drug"]  # folded to the INN) or a final "e" ("cisplatine", "létrozole")
        names.append((inn, inn))
        if inn[-1:].isalpha() and inn[-1] not in "aeiouy" and " " not in inn:
            names.append((inn + "e", inn))
    return Lexicon(pairs, names)


@functools.cache
def _cancer_english() -> dict[str, str]:
    """OncoTree code -> an English phrase the criteria vocabulary reads as that code."""
    out: dict[str, str] = {}
    for row in load_tsv("vocab/oncotree.tsv"):
        synonyms = [s for s in row["synonyms"].split("|") if s.strip()]
        out[row["code"]] = synonyms[0] if synonyms else row["name"].lower()
    return out


@functools.cache
def _rules(scope: str) -> tuple[_Rule, ...]:
    """The rules of `scope`, in file order. Each runs on its own (`re`), and only when the text holds one
    of its `needs` substrings and Hyperscan finds it may match (`_gated`): one `re` alternation of all
    rules tried ~60 branches at every character (1.1 ms a note); gated, most notes run ~8 rules."""
    data = load_yaml("vocab/fr/rules.yaml")
    sites = "|".join(sorted((re.escape(fold(k)) for k in data["site_adjectives"]), key=len, reverse=True))
    rules = []
    for k, spec in enumerate(data["rules"]):
        if spec.get("scope", "both") not in ("both", scope):
            continue
        case = bool(spec.get("case"))
        body = fold(spec["pattern"].replace("{SITES}", sites)).replace("(?m)", "")
        needs = tuple(fold(n) if case else fold(n).lower() for n in spec.get("needs", ()))
        # plain rules are written in lower case and matched on the lower-cased text (no IGNORECASE)
        pattern = Searcher(body, re.M)  # re.compile(body, re.M), searched faster (fast_regex.py)
        english = spec.get("english")
        template = _parse_template(english) if english and "\\" in english else None
        rules.append(_Rule(k, pattern, english, spec.get("function"), case, needs, template, body))
    return tuple(rules)


_HS_FLAGS = (
    0
    if hyperscan is None
    else (
        hyperscan.HS_FLAG_PREFILTER
        | hyperscan.HS_FLAG_SINGLEMATCH
        | hyperscan.HS_FLAG_UTF8
        | hyperscan.HS_FLAG_UCP
        | hyperscan.HS_FLAG_MULTILINE
    )
)


class _Prefilter:
    """Which rules of a scope may match a text, all found in one pass (issue 23 speed).

    Why: each rule searched on its own costs a scan of the note in C (`re`: ~8 us a rule and a note,
    ~17 rules a note pass their `needs`), and half of the rules that pass their needs match nothing.
    Hyperscan (Intel's multi-pattern regex engine, BSD-3-Clause) compiles all the rules of a scope into one
    automaton and scans the text once (~5 us). In prefilter mode (`HS_FLAG_PREFILTER`) the constructs it
    does not support (lookarounds, `\b` with Unicode properties) are widened: it reports every rule that
    can match the text, and maybe more; `re` still finds every match of the rules that run, so a rule
    it does not report is one `re` would have found nothing for. One database for the lower-cased text's
    rules, one for the folded text's case-sensitive ones; a rule Hyperscan cannot compile always runs.
    Texts with characters outside `fast_regex.HS_SAFE_CHARS`, or not encodable in UTF-8, are not prefiltered."""

    def __init__(self, scope: str) -> None:
        self.databases: dict[bool, Any] = {}
        unfiltered: set[int] = set()
        for case in (False, True):
            rules = [rule for rule in _rules(scope) if rule.case == case]
            if not rules:
                continue
            try:
                self.databases[case] = _hs_database([rule.source for rule in rules], [r.index for r in rules])
            except hyperscan.HyperscanError:  # a rule Hyperscan cannot read, even widened: found one by one
                kept = []
                for rule in rules:
                    try:
                        _hs_database([rule.source], [rule.index], cache=False)
                        kept.append(rule)
                    except hyperscan.HyperscanError:
                        unfiltered.add(rule.index)
                if kept:
                    self.databases[case] = _hs_database([r.source for r in kept], [r.index for r in kept])
        self.unfiltered = frozenset(unfiltered)  # rules Hyperscan cannot compile: always run
        self.scratch = threading.local()  # Hyperscan's scratch space: one per thread

    def may_match(self, folded: str, lower: str) -> set[int] | None:
        """The indexes of the rules that may match (`lower`, or `folded` for a case-sensitive rule), or
        None when the text is not prefiltered (see the class)."""
        if HS_UNSAFE.search(folded) or (not folded.isascii() and HS_UNSAFE.search(lower)):
            return None  # (ASCII lower-cases to ASCII, control characters to themselves)
        found = set(self.unfiltered)
        add = found.add

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            add(index)

        for case, database in self.databases.items():
            scratch = getattr(self.scratch, "case" if case else "lower", None)
            if scratch is None:
                scratch = hyperscan.Scratch(database)
                setattr(self.scratch, "case" if case else "lower", scratch)
            try:
                data = (folded if case else lower).encode()
            except UnicodeEncodeError:  # a lone surrogate
                return None
            database.scan(data, match_event_handler=on_match, scratch=scratch)
        return found


def _hs_database(sources: list[str], ids: list[int], cache: bool = True) -> Any:
    """The Hyperscan block-mode database of `sources` (prefilter flags, `_HS_FLAGS`). Compiling the rules
    of a scope takes ~1.5 s (Unicode classes), so a compiled database is kept in the user's cache folder
    (`$XDG_CACHE_HOME` or ~/.cache, `oncofed/hyperscan-<digest>.db`, the digest of the sources, ids,
    flags and Hyperscan version) and read back in ~1 ms (`hyperscan.loadb`); a cache that cannot be read
    or written (another machine's database, a read-only home) is compiled again."""
    expressions = [source.encode() for source in sources]
    path = None
    if cache:
        key = json.dumps([sources, ids, _HS_FLAGS, importlib.metadata.version("hyperscan")]).encode()
        path = hs_cache.path_for("hyperscan", key)
        kept = hs_cache.load(path)
        if kept is not None:
            return kept
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=_HS_FLAGS)
    hs_cache.save(path, database)
    return database


@functools.cache
def _prefilter(scope: str) -> _Prefilter:
    return _Prefilter(scope)


def _gated(folded: str, lower: str, scope: str) -> list[_Rule]:
    """The rules of `scope` to run on a text, in file order: those that may match it (`_Prefilter`) and
    whose text (`lower`, or `folded` for a case-sensitive rule) holds one of their `needs` (or that have
    none)."""
    may = None if hyperscan is None else _prefilter(scope).may_match(folded, lower)
    if may is None:
        rules = _rules(scope)
    else:  # the ~9 rules reported, in file order (not a test of each of the scope's ~60 rules)
        by_index = _rules_by_index(scope)
        rules = tuple(by_index[index] for index in sorted(may))
    out = []
    for rule in rules:
        needs = rule.needs
        if not needs:
            out.append(rule)
            continue
        subject = folded if rule.case else lower
        for need in needs:
            if need in subject:
                out.append(rule)
                break
    return out


@functools.cache
def _rules_by_index(scope: str) -> dict[int, _Rule]:
    return {rule.index: rule for rule in _rules(scope)}


def _rule_matches(folded: str, spans: list[tuple[int, int]], scope: str) -> list[tuple[int, int, str]]:
    """(start, end, English) of the rules' matches in the French spans: leftmost first, the longest at
    one place (the earlier rule on a tie), no overlap."""
    lower = folded.lower()
    if len(lower) != len(folded):  # a character whose lower case is longer: keep offsets
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
    found: list[tuple[int, int, int, str]] = []
    for rule in _gated(folded, lower, scope):  # the rules that may match, found in one pass
        subject = folded if rule.case else lower
        function = FUNCTIONS[rule.function] if rule.function else None
        for lo, hi in spans:
            for m in rule.pattern.finditer(subject, lo, hi):
                if m.end() == m.start():
                    continue
                if function is not None:
                    english = function(m, folded)
                else:
                    template = rule.english or ""
                    if rule.template is not None:
                        english = _expand(m, rule.template)
                    else:
                        english = m.expand(template) if "\\" in template else template
                if english is not None:
                    found.append((m.start(), -(m.end() - m.start()), rule.index, english))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    end = -1
    for start, negative_length, _, english in found:
        if start >= end:
            kept.append((start, start - negative_length, english))
            end = start - negative_length
    return kept


def rewrite(text: str, scope: str = "notes", language: TextLanguage | None = None) -> Rewritten:
    """The English wording of the French lines of `text` (English lines are left as they are)."""
    language = language or detect(text)
    spans = language.spans(FRENCH)
    if not spans:
        return Rewritten(text, text, (), language)
    folded = fold(text)
    claimed = _rule_matches(folded, spans, scope)
    taken = [(s, e) for s, e, _ in claimed]
    pieces = sorted(claimed + [p for lo, hi in spans for p in _lexicon(scope).find(folded, lo, hi, taken)])
    out: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    starts: list[int] = []
    add, edit, start = out.append, edits.append, starts.append
    pos = shift = 0  # shift: the rewritten text's length minus the source's, up to `pos`
    for s, e, english in pieces:
        if english == text[s:e]:
            continue
        add(text[pos:s])
        add(english)
        d0 = s + shift
        shift += len(english) - (e - s)
        edit((s, e, d0, e + shift))
        start(d0)
        pos = e
    add(text[pos:])
    return Rewritten(text, "".join(out), tuple(edits), language, tuple(starts), folded)


# ---- function rules: replacements computed from the match (data in rules.yaml / terms.tsv) ----


@functools.cache
def _sites() -> dict[str, str]:
    return {fold(k): v for k, v in load_yaml("vocab/fr/rules.yaml")["site_adjectives"].items()}


def _metastasis_sites_listed(m: re.Match[str], folded: str) -> str | None:
    """Criteria: the list's connective is kept ("métastases hépatiques, pulmonaires ou osseuses" ->
    "metastases to the liver, lung or bone": alternatives; "et" stays "and"; verdicts32)."""
    return _metastasis_sites(m, folded, keep_connective=True)


def _metastasis_sites(m: re.Match[str], folded: str, keep_connective: bool = False) -> str | None:
    """ "métastases hépatiques et osseuses" -> "metastases to the liver and bone"."""
    sites = _sites()
    words = re.findall(r"[a-z]+", m.group("sites").lower())
    names = [sites.get(_key_word(w)) or sites.get(w) for w in words if w not in ("et", "ou")]
    if not names or any(n is None for n in names):
        return None
    lead = (
        "metastasis"
        if m.group("head").rstrip().lower().endswith(("metastase", "lesion", "localisation"))
        else "metastases"
    )
    unique = list(dict.fromkeys(str(n) for n in names))
    if len(unique) == 1:
        return f"{unique[0]} {lead}"  # "liver metastases", a phrase of the notes and criteria vocabularies
    last = re.findall(r"\b(?:et|ou)\b", m.group("sites").lower())
    connective = "or" if keep_connective and last and last[-1] == "ou" else "and"
    return f"{lead} to the " + ", ".join(unique[:-1]) + f" {connective} " + unique[-1]


def _thousands(m: re.Match[str], folded: str) -> str:
    return re.sub(r"[ \u00a0\u202f.]", "", m.group(0))


def _decimal(m: re.Match[str], folded: str) -> str:
    return m.group(0).replace(",", ".")


def _uln(m: re.Match[str], folded: str) -> str:
    return f"{m.group('n').replace(',', '.')} x ULN"


_SCORE_SEP = re.compile(r"\s*(?:,|ou|-|a)\s*")


def _performance(m: re.Match[str], folded: str) -> str:
    """ "PS OMS 0, 1 ou 2" -> "WHO PS 0, 1 or 2"; "OMS 0-1" -> "WHO PS 0-1"."""
    value = m.group("v").lower()
    scores = _SCORE_SEP.split(value)
    if len(scores) == 2 and re.search(r"-|\ba\b", value):
        return f"WHO PS {scores[0]}-{scores[1]}"
    if len(scores) > 1:
        return "WHO PS " + ", ".join(scores[:-1]) + " or " + scores[-1]
    return f"WHO PS {value}"


_NOT_AGE_BEFORE = re.compile(
    r"(?:depuis|pendant|durant|il y a|a l'age de|a l'age d|en|sur|pour|apres|avant|dans les|>|<|≥|≤|=|plus de|moins de|de plus de|de moins de)\s*$"
)


def _years(m: re.Match[str], folded: str) -> str:
    """ "58 ans" -> "58-year-old" where it gives an age; "depuis 10 ans", "≥ 18 ans" -> "10 years"."""
    before = folded[max(0, m.start() - 14) : m.start()].lower()
    if _NOT_AGE_BEFORE.search(before) or folded[m.end() : m.end() + 3].lower().strip().startswith(
        ("d'", "de")
    ):
        return f"{m.group(1)} years"
    return f"{m.group(1)}-year-old"


_PROPOSAL = re.compile(
    r"propos|a discuter|indication|decision|essai|inclusion|debuter|debut|programm|prevu|discut"
)


def _tumour_board(m: re.Match[str], folded: str) -> str:
    """ "RCP du 12/03/2024 :" opening a line with a proposal is the plan's heading; else a mention."""
    line_start = folded.rfind("\n", 0, m.start()) + 1
    line_end = folded.find("\n", m.end())
    rest = folded[m.end() : len(folded) if line_end < 0 else line_end].lower()
    if not folded[line_start : m.start()].strip(" \t*#-") and _PROPOSAL.search(rest):
        return "Plan:"
    return "tumour board:"


_QUALIFIERS = {
    "non traitee": "untreated", "traitee et stable": "treated and stable", "traitee": "treated",
    "stable": "stable", "symptomatique": "symptomatic", "asymptomatique": "asymptomatic",
    "evolutive": "progressing", "active": "active",
}  # fmt: skip


def _brain_status(m: re.Match[str], folded: str) -> str:
    """ "métastases cérébrales traitées et stables" -> "treated and stable brain metastases"."""
    parts = re.split(r"\s+ou\s+", m.group("q").lower())
    words = []
    for part in parts:
        key = re.sub(r"(?<=e)s\b|s(?=\s)", "", " ".join(part.split()))
        words.append(_QUALIFIERS.get(key) or _QUALIFIERS.get(key.rstrip("s")) or part)
    head = "metastasis" if m.group("head").strip().lower().endswith("metastase") else "metastases"
    return f"{' or '.join(words)} brain {head}"


_STRENGTHS = {"puissant": "strong", "fort": "strong", "modere": "moderate", "faible": "weak",
              "cliniquement significatif": "clinically significant"}  # fmt: skip
_STRENGTH_WORD = re.compile(r"puissant|fort|modere|faible|cliniquement\s+significatif")


def _strengths(words: str | None) -> str:
    """ "puissants ou moderes" -> "strong or moderate" (the French adjectives after the noun, in order)."""
    found = [_STRENGTHS[re.sub(r"\s+", " ", w)] for w in _STRENGTH_WORD.findall(words or "")]
    joined = (
        " and " if re.search(r"\bet\b", words or "") and not re.search(r"\bou\b", words or "") else " or "
    )
    return joined.join(dict.fromkeys(found)) + " " if found else ""


def _cyp_class(m: re.Match[str], folded: str) -> str:
    """ "inhibiteurs puissants ou moderes du CYP3A4" -> "strong or moderate inhibitors of CYP3A4"; "inhibiteurs ou
    inducteurs puissants du CYP3A" -> "strong inhibitors or inducers of CYP3A"; "medicaments inhibant fortement le
    CYP3A4" -> "drugs that strongly inhibit CYP3A4" (criteria/enzyme_classes.py reads the English)."""
    cyp = "CYP3A" + re.sub(r"[^0-9/]", "", m.group("cyp").lower().split("3a", 1)[1])  # "3A4", "3A4/5", "3A"
    if m.group("v"):
        adverb = {"fortement": "strongly ", "puissamment": "strongly ", "moderement": "moderately "}
        how = adverb.get((m.group("adv") or m.group("adv2") or "").strip(), "")
        verb = "inhibit" if m.group("v").startswith("inhib") else "induce"
        return f"that {how}{verb} {cyp}"
    nouns = {"inhibiteur": "inhibitor", "inducteur": "inducer"}

    def noun(word: str) -> str:
        return nouns[word.rstrip("s")] + ("s" if word.endswith("s") else "")

    first, second = noun(m.group("n1")), noun(m.group("n2")) if m.group("n2") else ""
    a1, a2 = _strengths(m.group("a1")), _strengths(m.group("a2"))
    if second and a1 and a2:
        return f"{a1}{first} or {a2}{second} of {cyp}"
    if second:
        return f"{a1 or a2}{first} or {second} of {cyp}"
    return f"{a1}{first} of {cyp}"


_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth"}


def _ordinal_line(m: re.Match[str], folded: str) -> str | None:
    word = _ORDINALS.get(m.group(1))
    return f"{word}-line" if word else None


FUNCTIONS: dict[str, Callable[[re.Match[str], str], str | None]] = {
    "metastasis_sites": _metastasis_sites,
    "metastasis_sites_listed": _metastasis_sites_listed,
    "thousands": _thousands,
    "decimal": _decimal,
    "uln": _uln,
    "performance": _performance,
    "years": _years,
    "tumour_board": _tumour_board,
    "brain_status": _brain_status,
    "ordinal_line": _ordinal_line,
    "cyp_class": _cyp_class,
}


# ---- the criteria parser's French front-end ----


def parse_french(text: str, parse: Callable[[str], list[Any]]) -> list[Any]:
    """`parse(text)`, or for a text with French lines: `parse` of its English wording with every
    criterion's span, text and atom spans mapped back to the French text (same atoms otherwise)."""
    language = detect(text)
    if language.language != FRENCH and not language.mixed:
        return parse(text)
    rw = rewrite(text, "criteria", language)
    if not rw.changed:
        return parse(text)
    return [_restore_criterion(rw, c) for c in parse(rw.text)]


def _restore_criterion(rw: Rewritten, c: Any) -> Any:
    if not c.span:
        return c
    start, end = c.span
    src = rw.to_source(start, end)
    french = rw.source[src[0] : src[1]]

    def atom(a: Any) -> Any:
        fields: dict[str, Any] = {"condition": tuple(atom(x) for x in a.condition)} if a.condition else {}
        if a.span:
            s, e = rw.to_source(start + a.span[0], start + a.span[1])
            s, e = max(0, s - src[0]), max(0, e - src[0])
            fields.update(span=(s, e), text=french[s:e])
        if a.attributes and ({"also_spans", "context", "reason_span"} & a.attributes.keys()):
            attrs = dict(a.attributes)
            if "reason_span" in attrs:  # criteria/polarity.py
                attrs["reason_span"] = _rel(rw, start, src[0], attrs["reason_span"])
            if "also_spans" in attrs:
                attrs["also_spans"] = [_rel(rw, start, src[0], sp) for sp in attrs["also_spans"]]
            if "context" in attrs:
                attrs["context"] = [[t[0], *_rel(rw, start, src[0], t[1:3])] for t in attrs["context"]]
            fields["attributes"] = attrs
        return replace(a, **fields)

    return replace(
        c,
        span=src,
        text=french,
        atoms=tuple(atom(a) for a in c.atoms),
        condition=tuple(atom(a) for a in c.condition),
    )


def _rel(rw: Rewritten, start: int, src_start: int, span: Any) -> list[int]:
    s, e = rw.to_source(start + int(span[0]), start + int(span[1]))
    return [max(0, s - src_start), max(0, e - src_start)]
