"""Vocabulary look-ups shared by the criteria parser and the patient-profile extractor.

The vocabularies are data files under `oncofed/resources/vocab/` (each states its source at the top):

- `oncotree.tsv`: OncoTree codes, names, parents and synonyms;
- `drugs.tsv`, `drug_classes.tsv`: drugs (lower-case INN) with classes, and class phrases;
- `genes.tsv`: HGNC symbols and the contract's markers (HER2, ER, PR, PD-L1, MSI, MMR, TMB, HRD);
- `labs.tsv`: how text names the analytes of `resources/labs.tsv` (units: `oncofed.criteria.units`);
- `context_rules.json`: ConText rules added to medspaCy's defaults (`oncofed.criteria.context`).

Public API (stable; other engines reuse it):

    find_cancer_types(text) -> list[Mention]      # code = OncoTree code
    find_drugs(text) -> list[Mention]             # code = INN, attributes["classes"]
    find_drug_classes(text) -> list[Mention]      # code = class name
    find_genes(text) -> list[Mention]             # code = HGNC symbol / marker
    find_lab_analytes(text) -> list[Mention]      # code = analyte id of resources/labs.tsv
    oncotree_name(code), oncotree_parent(code), oncotree_ancestors(code), oncotree_descendants(code)
    is_oncotree_subtype(code, ancestor) -> bool   # subtree matching (LUAD under NSCLC)
    normalize_cancer_type(text) -> str | None     # best OncoTree code of a free-text diagnosis
    drug_classes(inn) -> tuple[str, ...]
    normalize_drug(text) -> str | None            # INN of a drug name, brand or code

A `Mention` is (start, end, text, code, attributes) with character offsets into the given text.
Short all-letter acronyms (<= 4 characters: "HCC", "MET", "ER", "AI") do not match when written
all in lower case (lab analytes excepted: "ast", "alt", "anc"), so English words ("met", "all", "ai") are not taken for them.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from oncofed.criteria import oncotree
from oncofed.criteria.cancer_site import composed_cancers, organ_named_after
from oncofed.criteria.caseless import lowerable, lowered
from oncofed.criteria.fast_regex import Needs, compile_fast
from oncofed.criteria.frozen import made
from oncofed.resources import load_tsv

VOCAB = "vocab/"


@dataclass(unsafe_hash=True)
class Mention:
    # not `frozen=True`: a frozen dataclass's `__init__` is written by `dataclasses` in Python (one
    # `object.__setattr__` a field), which mypyc keeps; this one is compiled (`oncofed.compiled`) to set the
    # fields directly, ~30x cheaper. Never changed after `__init__` (as if frozen; `unsafe_hash`: the same
    # hash and equality as a frozen dataclass). See `oncofed.criteria.frozen`.
    start: int
    end: int
    text: str
    code: str
    attributes: dict[str, Any] = field(default_factory=dict)

    def __init__(
        self, start: int, end: int, text: str, code: str, attributes: dict[str, Any] | None = None
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.code = code
        self.attributes = {} if attributes is None else attributes


def _is_acronym(phrase: str) -> bool:
    return len(phrase) <= 4 and phrase.replace("-", "").isalpha()


_TOKEN = re.compile(r"[^\W_]+|[^\w\s\-]")
_SPLIT = re.compile(f"({_TOKEN.pattern})")  # `_TOKEN`, captured: `re.split` keeps the tokens
_ASCII_SPLIT = re.compile(r"([a-z0-9]+|[^a-z0-9_\s\-])")  # `_SPLIT` on lower-case ASCII text


def _latin1_class(matches: re.Pattern[str]) -> str:
    """The Latin-1 characters `matches` matches, as a character class written out ("[0-9A-Za-z...]")."""
    ranges: list[list[int]] = []
    for code in (i for i in range(256) if matches.fullmatch(chr(i))):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return (
        "["
        + "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in ranges)
        + "]"
    )


# `_SPLIT` on Latin-1 text (a French note rewritten in English wording keeps its accents: 95 of the 102 dev
# notes): each of `_TOKEN`'s classes written out as the Latin-1 characters it matches. The same answer at each
# character of such a text, so the same split; `re` tests a written-out class with a 256-bit table, where
# `[^\W_]` asks Unicode's tables a character at a time (36 -> 25 us a rewritten note, speed28)
_WORD_CHARS = _latin1_class(re.compile(r"[^\W_]"))
_SIGN_CHARS = _latin1_class(re.compile(r"[^\w\s\-]"))
_LATIN1_SPLIT = re.compile(f"({_WORD_CHARS}+|{_SIGN_CHARS})")


@functools.lru_cache(maxsize=4096)
def _scan(text: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], frozenset[str]]:
    """Lower-case tokens of `text` (`_TOKEN`'s matches), their starts and ends, and their set; hyphens
    and spaces separate tokens and are dropped. Every vocabulary scans the same criterion, so this is
    computed once.

    `re.split` with a capturing group returns separators and tokens alternately; their running
    lengths give every offset, all in C (about 2x cheaper than a tuple per match). ASCII text (nearly
    all criteria) is split lower-cased, as lower-casing ASCII is per character and keeps offsets;
    so is accented text that `caseless.lowerable` accepts (French notes: each non-ASCII character
    lower-cases to one character of the same class, so `_SPLIT` cuts the lowered text at the same
    places, and each token lower-cased is the lowered text's piece); other text is split as written
    and each token lower-cased (lower-casing may change a length).
    """
    if text.isascii():
        parts = _ASCII_SPLIT.split(text.lower())  # [sep, token, sep, token, ..., sep]
        words = tuple(parts[1::2])
    elif lowerable(text):
        low = lowered(text)
        try:
            low.encode("latin-1")  # a copy in C for text held one byte a character: the cheapest test
            parts = _LATIN1_SPLIT.split(low)
        except UnicodeEncodeError:
            parts = _SPLIT.split(low)
        words = tuple(parts[1::2])
    else:
        parts = _SPLIT.split(text)
        words = tuple(map(str.lower, parts[1::2]))
    bounds = list(itertools.accumulate(map(len, parts)))
    return words, tuple(bounds[0:-1:2]), tuple(bounds[1::2]), frozenset(words)


def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """(lower-case token, start, end) of `text`."""
    words, starts, ends, _ = _scan(text)
    return tuple(zip(words, starts, ends, strict=True))


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in _tokens(phrase))


class PhraseIndex:
    """Longest-match phrase lookup over token n-grams (a dict probe per token and length).

    Hand-written rather than spaCy's PhraseMatcher because it needs no Doc: criteria are scanned by
    a dozen vocabularies each, and building spaCy Docs for that would cost more than the matching.
    """

    def __init__(
        self, entries: dict[str, str], lowercase_acronyms: bool = False, cased_acronyms: int = 0
    ) -> None:
        # entries: lower-case phrase -> code; spaces and hyphens are interchangeable
        self.entries: dict[tuple[str, ...], str] = {}
        self.acronyms: set[tuple[str, ...]] = set()
        # keys of at most `cased_acronyms` letters that match only written as acronyms (`_as_acronym`)
        self.cased: set[tuple[str, ...]] = set()
        for phrase, code in entries.items():
            key = _key(phrase)
            if key:
                self.entries.setdefault(key, code)
                if _is_acronym(phrase):
                    self.acronyms.add(key)
                if "".join(key).isalpha() and len("".join(key)) <= cased_acronyms:
                    self.cased.add(key)
        self.max_len = max((len(k) for k in self.entries), default=0)
        self.first = {k[0] for k in self.entries}
        self.prefixes = {k[:n] for k in self.entries for n in range(1, len(k) + 1)}
        self.lowercase_acronyms = lowercase_acronyms
        # the keys as a trie of words, walked by `find` with one dict look-up a word (it built each
        # prefix as a tuple and probed it in `prefixes`, then in `entries`: ~5 % of a French note read
        # once, nine indexes scanning each note). Under None, a key's (code, whether it is an acronym
        # that must not be written in lower case, whether it is in `cased`)
        self.trie: dict[str | None, Any] = {}
        for key, code in self.entries.items():
            node = self.trie
            for word in key:
                node = node.setdefault(word, {})
            node[None] = (code, key in self.acronyms and not lowercase_acronyms, key in self.cased, key)
        # (the text, its mentions) found by a pass of several indexes at once (`vocab_pass.PhraseIndexes`)
        self.prefetched: tuple[str, tuple[Mention, ...]] | None = None

    def find(self, text: str) -> list[Mention]:
        prefetched = self.prefetched
        if prefetched is not None and prefetched[0] is text:  # `vocab_pass.PhraseIndexes.prefetch`
            return list(prefetched[1])
        words, starts, ends, word_set = _scan(text)
        first = self.first
        if first.isdisjoint(word_set):
            return []
        # only positions whose token can start a phrase are tried (found in C: `compress`)
        return self.walk(text, itertools.compress(range(len(words)), map(first.__contains__, words)))

    def walk(self, text: str, candidates: Iterable[int]) -> list[Mention]:
        """`find`'s mentions, its phrases tried at `candidates` (increasing token indices of `_scan(text)`:
        every token of `first`'s words, or `find` answers otherwise)."""
        words, starts, ends, _ = _scan(text)
        kept: list[Mention] = []
        n = len(words)
        trie, max_len = self.trie, self.max_len
        free = 0  # tokens before this one belong to a mention already kept
        for i in candidates:
            if i < free:
                continue
            start = starts[i]
            if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
                continue  # inside a hyphenated word ("anti-HER2" is not a HER2 mention)
            hit: tuple[int, int, str, str] | None = None  # (length, end, surface, code) of the longest match
            node: dict[str | None, Any] | None = trie
            j, last = i, min(n, i + max_len)  # words[i:j] walked
            while j < last:
                node = node.get(words[j])  # type: ignore[union-attr]
                if node is None:  # no key goes on with this word
                    break
                j += 1
                found = node.get(None)
                if found is None:
                    continue
                code, lower_case_refused, cased, key = found
                end = ends[j - 1]
                surface = text[start:end]
                if lower_case_refused and surface.islower():
                    continue
                if cased and (
                    not _as_acronym(surface)
                    or (key in _WORD_ACRONYMS and _in_capitals(text, start, end, self.entries))
                ):
                    continue
                hit = (j - i, end, surface, code)  # keep extending: longest match wins
            if hit:
                kept.append(
                    made(
                        Mention,
                        {"start": start, "end": hit[1], "text": hit[2], "code": hit[3], "attributes": {}},
                    )
                )
                free = i + hit[0]
        return kept


def _as_acronym(surface: str) -> bool:
    """Whether a short acronym is written as one ("B-ALL", "AML", "mCRPC", "ccRCC", "pNET"), not as an
    English word: no word of two letters or more in lower case or capitalised ("B All", "all", "Aml")."""
    return not any(len(w) > 1 and (w.islower() or w.istitle()) for w in _WORD_RUN.findall(surface))


_WORD_RUN = re.compile(r"[^\W\d_]+")
# acronyms that are also English words: in a line written in capitals ("ALL PATIENTS MUST ...") the word
# is the English one
_WORD_ACRONYMS = frozenset({("all",)})


def _in_capitals(text: str, start: int, end: int, entries: dict[tuple[str, ...], str]) -> bool:
    """Whether the words next to text[start:end] are written in capitals too (a line in capitals), not
    other acronyms: "ALL PATIENTS MUST SIGN", "INCLUSION FOR ALL" (but "Ph+ ALL", "AML or ALL", "AML, ALL"),
    or the word is emphasised ("(ALL patients)", "if ALL of the following")."""
    before = _WORD_RUN.findall(text[max(0, start - 30) : start])[-1:]
    after = _WORD_RUN.findall(text[end : end + 30])[:1]
    if after and after[0].lower() in _EMPHASIS_NEXT:  # "(ALL patients)", "if ALL of the following"
        return True
    return any(len(w) >= 3 and w.isupper() and (w.lower(),) not in entries for w in (*before, *after))


# words after "ALL" that make it the English word written in capitals for emphasis
_EMPHASIS_NEXT = frozenset(
    [
        "of",
        "the",
        "these",
        "those",
        "other",
        "following",
        "patients",
        "participants",
        "subjects",
        "women",
        "men",
        "cohorts",
        "arms",
        "parts",
        "criteria",
        "must",
        "are",
        "is",
        "should",
        "study",
        "prior",
        "previous",
    ]
)


def _norm(phrase: str) -> str:
    return re.sub(r"[\s\-]+", " ", phrase.lower()).strip()


def _split(value: str | None) -> list[str]:
    return [v.strip().lower() for v in (value or "").split("|") if v.strip()]


# --- OncoTree ----------------------------------------------------------------------------------


def _oncotree() -> dict[str, dict[str, str]]:
    return oncotree.shared_rows()  # the one OncoTree reader: `oncofed.criteria.oncotree`


@functools.cache
def _cancer_index() -> PhraseIndex:
    entries: dict[str, str] = {}
    for code, row in _oncotree().items():
        if code == "TISSUE":
            continue
        names = [] if row["parent"] == "TISSUE" else [row["name"].lower()]  # "Liver", "Lung": tissue words
        for phrase in [*_split(row["synonyms"]), *names]:
            entries.setdefault(phrase, code)
    # every cancer-type entry of five letters or fewer is an acronym ("b-all", "aml", "nsclc"): "Part B All"
    # names a cohort, not B-lymphoblastic leukaemia
    return PhraseIndex(entries, cased_acronyms=5)


oncotree_codes = oncotree.shared_codes
oncotree_name = oncotree.shared_name
oncotree_parent = oncotree.shared_parent


def oncotree_ancestors(code: str) -> list[str]:
    out: list[str] = []
    parent = oncotree_parent(code)
    while parent and parent not in out:
        out.append(parent)
        parent = oncotree_parent(parent)
    return out


def oncotree_descendants(code: str) -> list[str]:
    return [c for c in oncotree_codes() if code in oncotree_ancestors(c)]


def is_oncotree_subtype(code: str, ancestor: str) -> bool:
    """True when `code` is `ancestor` or lies in its subtree."""
    return code == ancestor or ancestor in oncotree_ancestors(code)


def find_cancer_types(text: str, composed: bool = True) -> list[Mention]:
    """Cancer mentions; `composed`: also a histology the vocabulary lacks named with its organ ("uterine
    carcinosarcoma": the organ's tissue code), for criteria lines (a note's reader has its own histology
    readings, more specific than the organ: notes/mentions.py)."""
    found = _cancer_index().find(text)
    if " and " in text or " or " in text or "/" in text:
        found = _coordinated(text, found)
    if composed and _CHAIN_GATE.search(text):
        found = _chained(text, found)  # "prostate or lung or breast cancer": every conjunct (verdicts38)
    found = [_in_organ_named(text, m) for m in found]
    if composed and _COMPOSED_GATE.search(text):
        more = composed_cancers(text, [(m.start, m.end) for m in found])
        if more:
            found = sorted(
                [*found, *(Mention(s, e, text[s:e], code) for s, e, code in more)], key=lambda m: m.start
            )
    return found


_COMPOSED_GATE = re.compile(r"carcinom|sarcom|blastom|cancer", re.I)


def _in_organ_named(text: str, m: Mention) -> Mention:
    """A histology named with another organ than the one the vocabulary files it under ("endometrioid
    carcinoma of the ovary"): the organ named (`criteria/cancer_site.py`)."""
    organ = organ_named_after(text, m.end)
    if organ is None or organ in oncotree.lineage(m.code):
        return m
    return Mention(m.start, m.end, m.text, organ, dict(m.attributes))


# "invasive ductal and lobular carcinoma", "ductal/lobular carcinoma": two cancers sharing their words
_COORDINATED = re.compile(
    r"\b(?P<pre>(?:[A-Za-z-]+\s+){0,2}?)(?P<a>[A-Za-z-]{3,})\s*(?:,?\s*(?:and/or|and|or)\s+|/)\s*"
    r"(?P<b>[A-Za-z-]{3,})\s+(?P<noun>(?:adeno)?carcinomas?|cancers?|tumou?rs?|neoplasms?)\b"
)


# Where `_COORDINATED` can match: a match consumes only letters, hyphens, white space, commas and slashes,
# so it lies inside one run of `_RUN` (word characters too, so that the character after a run is never a
# word character and `\b` means at the run's end what it means in the whole text), and that run holds
# one of its nouns (case-sensitive, as in the pattern). Scanning only those runs gives exactly the
# matches of `_COORDINATED.finditer(text)`, without trying the pattern at every word of the text.
_RUN = re.compile(r"[\w\s,/-]+")
_NOUNS = ("carcinoma", "cancer", "tumor", "tumour", "neoplasm")


_NOUN = re.compile("|".join(_NOUNS))  # no noun ends with another's opening: every occurrence is found


_NOT_RUN = re.compile(r"[^\w\s,/-]")  # a character no run of `_RUN` holds
_CONJUNCTION = re.compile(r"(?:and|or)\s|/")  # what `_COORDINATED`'s separator holds, in each alternative


def _coordinated_matches(text: str) -> Iterator[re.Match[str]]:
    if not any(n in text for n in _NOUNS):
        return
    # the runs holding a noun, in order, each found from its noun: it starts after the last character before
    # the noun that no run holds (searched in C in the reversed text) and `_RUN` matches it whole from there
    # (listing every run of the note to find a few cost ~2/3 of the cancer-type look-up)
    reversed_text = text[::-1]
    done = -1
    for noun in _NOUN.finditer(text):
        if noun.start() < done:
            continue  # its run was scanned
        outside = _NOT_RUN.search(reversed_text, len(text) - noun.start())
        a = 0 if outside is None else len(text) - outside.start()
        b = _RUN.match(text, a).end()  # type: ignore[union-attr]  # text[a] is a run's character
        # every match holds its conjunction ("and"/"or" then white space, or "/"): a run without one has none
        # (looked for in C; `_COORDINATED` tried at each word of such a run cost ~8 us a rewritten French note)
        if _CONJUNCTION.search(text, a, b) is not None:
            yield from _COORDINATED.finditer(text, a, b)
        done = b


# a chain of three or more conjuncts sharing one noun, each conjunct but the last ("prostate or lung or breast
# cancer", "breast, lung, and/or colon cancer"): `_COORDINATED` reads the last two, the words before them were
# taken for shared words (criteria lines only; a note's reader has its own). Not "tumors": "metastatic brain,
# spinal, or meningeal tumors" are metastases, not primary cancers
_CONJUNCT = r"(?!(?:and|or|the|of|with|for|in)\b)[A-Za-z-]{3,}"
_SEP = r"(?:\s*,?\s*(?:and/or|and|or)\s+|\s*/\s*|\s*,\s*)"
_CHAIN = re.compile(
    rf"\b(?P<a>{_CONJUNCT}){_SEP}(?=(?:{_CONJUNCT}{_SEP})+{_CONJUNCT}\s+(?P<noun>(?:adeno)?carcinomas?|cancers?)\b)"
)
_CHAIN_GATE = re.compile(r"\b(?:or|and)\s+\w+\s+(?:or|and)\b|,\s*\w+\s*,?\s*(?:or|and)\b")


def _chained(text: str, found: list[Mention]) -> list[Mention]:
    """Each conjunct of a chain sharing one noun, read as "<conjunct> <noun>" when the index knows it whole."""
    added: list[Mention] = []
    index = _cancer_index()
    for m in _CHAIN.finditer(text):
        start, end = m.span("a")
        if any(f.start <= start < f.end for f in [*found, *added]):
            continue
        words = f"{m.group('a')} {m.group('noun')}"
        hits = [h for h in index.find(words) if h.start == 0 and h.end == len(words)]
        if hits:
            added.append(Mention(start, end, text[start:end], hits[0].code, dict(hits[0].attributes)))
    return sorted([*found, *added], key=lambda x: x.start) if added else found


def _coordinated(text: str, found: list[Mention]) -> list[Mention]:
    """Mentions of coordinated cancer names the index cannot see whole: each conjunct is tried as
    "<shared words> <conjunct> <noun>" ("invasive ductal carcinoma", "invasive lobular carcinoma")."""
    added: list[Mention] = []
    index = _cancer_index()
    for m in _coordinated_matches(text):
        pre, noun = m.group("pre"), m.group("noun")
        for side in ("a", "b"):
            start, end = m.span(side)
            if any(f.start <= start < f.end for f in found):
                continue
            for k in range(len(pre.split()) + 1):
                words = " ".join([*pre.split()[k:], m.group(side), noun])
                hits = [h for h in index.find(words) if h.start == 0 and h.end == len(words)]
                if hits:
                    added.append(Mention(start, end, text[start:end], hits[0].code, dict(hits[0].attributes)))
                    break
    return sorted([*found, *added], key=lambda x: x.start) if added else found


def normalize_cancer_type(text: str) -> str | None:
    """The OncoTree code of a free-text diagnosis (the longest mention), or None."""
    if text.strip().upper() in _oncotree():
        return text.strip().upper()
    mentions = find_cancer_types(text)
    if not mentions:
        return None
    return max(mentions, key=lambda m: m.end - m.start).code


# --- drugs -------------------------------------------------------------------------------------


@functools.cache
def _drugs() -> dict[str, tuple[str, ...]]:
    return {row["drug"]: tuple(_split_keep_case(row["classes"])) for row in load_tsv(VOCAB + "drugs.tsv")}


def _split_keep_case(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@functools.cache
def _drug_index() -> PhraseIndex:
    entries: dict[str, str] = {}
    for row in load_tsv(VOCAB + "drugs.tsv"):
        for phrase in [row["drug"], *_split(row["synonyms"])]:
            entries.setdefault(phrase.lower(), row["drug"])
    return PhraseIndex(entries)


@functools.cache
def _class_index() -> PhraseIndex:
    entries: dict[str, str] = {}
    for row in load_tsv(VOCAB + "drug_classes.tsv"):
        for phrase in _split(row["phrases"]):
            entries.setdefault(phrase, row["class"])
    return PhraseIndex(entries)


# WHO INN stems of antibody-drug conjugates name their payload ("-vedotin": MMAE, an auristatin); an
# ADC the vocabulary does not list is still read, with its classes (INN "Pharmacological and Chemical
# Stems", https://www.who.int/teams/health-product-and-policy-standards/inn)
ADC_PAYLOADS = {
    "vedotin": "auristatin", "mafodotin": "auristatin", "emtansine": "maytansinoid", "mertansine": "maytansinoid",
    "ravtansine": "maytansinoid", "soravtansine": "maytansinoid", "deruxtecan": "topoisomerase inhibitor",
    "govitecan": "topoisomerase inhibitor", "tirumotecan": "topoisomerase inhibitor", "ozogamicin": "calicheamicin",
    "tesirine": "pyrrolobenzodiazepine", "talirine": "pyrrolobenzodiazepine",
}  # fmt: skip
_ADC = re.compile(rf"\b[a-z]{{3,}}mab\s+(?P<payload>{'|'.join(ADC_PAYLOADS)})\b", re.IGNORECASE)
_ADC_NEEDS = Needs.of(ADC_PAYLOADS, caseless=True)  # every match names a payload
# investigational code names ("TAK-788", "MK-3475", "AZD9291"); prefixes that name no drug are skipped
# compiled by `compile_fast` (the same matches): the pattern opens with a lookbehind, so `re` tried it at every
# character of a note (~3x the time of the rewritten one, which `re` tries only at capital letters)
_CODE_NAME = compile_fast(r"(?<![\w/-])(?P<p>[A-Z]{2,5})-?(?P<n>\d{3,6})(?P<s>[A-Z]?)(?![\w/-])")
_NOT_DRUG_PREFIXES = frozenset(
    [
        "CA",
        "CD",
        "IL",
        "HLA",
        "ICD",
        "CTCAE",
        "CEP",
        "COVID",
        "SARS",
        "ISO",
        "NYHA",
        "NCT",
        "EORTC",
        "RECIST",
        "HPV",
        "EBV",
        "HHV",
        "BMI",
        "ECOG",
        "WHO",
        "HER",
        "FIGO",
        "AJCC",
        "UICC",
        "SNOMED",
        "LOINC",
        "HGVS",
        "PD",
        "GFR",
        "MRI",
        "PET",
        "CT",
        "LDH",
        "PSA",
        "CEA",
        "AFP",
        "HCG",
        "ULN",
        "AST",
        "ALT",
        "INR",
        "APTT",
        "QTC",
        "QTCF",
        "LVEF",
        "FEV",
        "DLCO",
    ]
)


def drug_classes(inn: str) -> tuple[str, ...]:
    found = _drugs().get(inn, ())
    payload = inn.rsplit(" ", 1)[-1].lower() if " " in inn else ""
    if payload in ADC_PAYLOADS:
        extra = ("antibody-drug conjugate", ADC_PAYLOADS[payload])
        found = (*found, *(c for c in extra if c not in found))
    return found


def find_drugs(text: str) -> list[Mention]:
    found = [
        made(Mention, {"start": m.start, "end": m.end, "text": m.text, "code": m.code,
                       "attributes": {"classes": list(drug_classes(m.code))}})
        for m in _drug_index().find(text)
    ]  # fmt: skip
    # the text lower-cased once (cached: every reader asks for it); `_ADC` tries every position of the text
    if "mab " in lowered(text) and not _ADC_NEEDS.absent(text):
        for m in _ADC.finditer(text):
            if not any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found):
                name = " ".join(m.group(0).lower().split())
                found.append(
                    Mention(m.start(), m.end(), m.group(0), name, {"classes": list(drug_classes(name))})
                )
    return sorted(found, key=lambda x: x.start)


def find_drug_codes(text: str) -> list[Mention]:
    """Investigational code names ("TAK-788", "MK 3475"): code "TAK-788", prefix in upper case."""
    if not any(ch.isdigit() for ch in text):
        return []
    out = []
    for m in _CODE_NAME.finditer(text):
        if m.group("p") in _NOT_DRUG_PREFIXES or 1900 <= int(m.group("n")) <= 2099:
            continue  # "BC-2021": a year
        code = f"{m.group('p')}-{m.group('n')}{m.group('s')}"
        out.append(Mention(m.start(), m.end(), m.group(0), code, {"classes": []}))
    return out


def find_drug_classes(text: str) -> list[Mention]:
    found = _class_index().find(text)
    if not any(m.code == "biologic therapy" for m in found):
        return found
    # "drugs or biologics" names medicinal products of any kind ("investigational drugs or biologics within 1
    # month", "concurrent use of drugs or biologics with pro-arrhythmic potential"), not a class of therapy
    return [m for m in found if m.code != "biologic therapy" or not _ANY_PRODUCT.search(text[: m.start])]


_ANY_PRODUCT = re.compile(r"\bdrugs?\s+(?:and/or|or|and)\s+$", re.IGNORECASE)


def normalize_drug(text: str) -> str | None:
    mentions = find_drugs(text)
    return mentions[0].code if mentions else None


# --- concomitant (non-anticancer) drugs: vocab/concomitant_drugs.tsv -----------------------------


@functools.cache
def _medications() -> tuple[dict[str, tuple[str, ...]], PhraseIndex, PhraseIndex]:
    """(drug -> classes, index of drug names, index of class phrases)."""
    classes: dict[str, tuple[str, ...]] = {}
    drugs: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in load_tsv(VOCAB + "concomitant_drugs.tsv"):
        if row["kind"] == "drug":
            classes[row["name"]] = tuple(_split_keep_case(row["classes"]))
            for phrase in [row["name"], *_split(row["phrases"])]:
                drugs.setdefault(phrase.lower(), row["name"])
        else:
            classes.setdefault(row["name"], ())
            for phrase in _split(row["phrases"]):
                names.setdefault(phrase, row["name"])
    return classes, PhraseIndex(drugs), PhraseIndex(names)


def find_medications(text: str) -> list[Mention]:
    """Concomitant drugs named in `text` (code: lower-case INN, attributes["classes"])."""
    table, index, _ = _medications()
    return [
        made(Mention, {"start": m.start, "end": m.end, "text": m.text, "code": m.code,
                       "attributes": {"classes": list(table.get(m.code, ()))}})
        for m in index.find(text)
    ]  # fmt: skip


def find_medication_classes(text: str) -> list[Mention]:
    """Classes of concomitant drugs named in `text` ("enzyme-inducing anti-epileptic drugs")."""
    return _medications()[2].find(text)


def medication_classes(name: str) -> tuple[str, ...]:
    """Classes of a concomitant drug (empty for a class name or an unknown drug)."""
    return _medications()[0].get(name, ())


def is_medication(name: str | None) -> bool:
    """Whether `name` is a concomitant drug or one of their classes (not an anticancer therapy)."""
    if not name:
        return False
    table = _medications()[0]
    return name in table or any(part in table for part in name.split("/"))


# --- genes and biomarkers ----------------------------------------------------------------------


@functools.cache
def _gene_index() -> PhraseIndex:
    entries: dict[str, str] = {}
    for row in load_tsv(VOCAB + "genes.tsv"):
        for phrase in _split(row["synonyms"]):
            entries.setdefault(phrase, row["symbol"])
    return PhraseIndex(entries)


def find_genes(text: str) -> list[Mention]:
    return _gene_index().find(text)


# --- laboratory analytes -----------------------------------------------------------------------


@functools.cache
def _lab_index() -> PhraseIndex:
    entries: dict[str, str] = {}
    for row in load_tsv(VOCAB + "labs.tsv"):
        for phrase in _split(row["synonyms"]):
            entries.setdefault(phrase, row["analyte"])
    return PhraseIndex(entries, lowercase_acronyms=True)


def find_lab_analytes(text: str) -> list[Mention]:
    return _lab_index().find(text)


@functools.cache
def lab_reference() -> dict[str, dict[str, str]]:
    """Rows of resources/labs.tsv by analyte (canonical unit, ULN, LLN, LOINC)."""
    return {row["analyte"]: row for row in load_tsv("labs.tsv")}
