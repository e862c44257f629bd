"""How much of a criterion its atoms read, and whether it is scoped to a cohort it was not given.

A "violated" outcome excludes a patient from a trial; it must rest on a criterion read COMPLETELY.
Two general guards, computed once per criterion from its text and its atoms' spans (the words each
atom came from, `Atom.span` and the spans its attributes name):

1. **Unread qualifier** (`unread_clause`). The atoms of "Previously treated with a MEK inhibitor and
   taken off treatment due to treatment related adverse events" read "MEK inhibitor" only: a patient
   who received trametinib satisfies the part that was read, not the criterion. A clause is *unread*
   when it follows a read part, is introduced by a word that changes what the read part means, holds
   content words, and no atom (nor an atom's window, condition or alternative span) covers it:
   - in an exclusion, a restricting clause: a relative clause ("who", "which", "that", "whose"), a
     cause ("due to", "because of", "secondary to", "resulting in", "requiring"), an exception
     ("unless", "except", "other than"), a condition ("if", "when", "while"), "with ..." and a time
     window ("within", "in the last ...", "during") no atom carries, or "and" followed by a verb
     ("and taken off treatment": a second condition, not a list of things that each exclude);
   - in an inclusion, a widening clause only ("unless", "except", "other than", "if", "when", or an
     "or ..." alternative no atom reads): "Melanoma with a BRAF mutation" is violated by a lung cancer
     whatever the unread "with ..." says, "ECOG 0-1, or 2 if due to bone pain" is not.
   Such a criterion is never "violated" (the outcome becomes "unknown", the evidence kept, the
   reason "only part of the criterion was read").
2. **Unrecognised scope** (`names_scope`). "Module 5 All: ovarian cancer ..." names the part of the
   trial it is for; when the structure reader gave it no cohort, it would apply to every patient. It
   never excludes, and a trial holding such a line cannot exclude a patient by cohort lines alone
   (see `matching.outcomes.resolve`: "possibly another cohort").

French lines keep their own words (criteria/french.py parses them with spans in the French text): the
clause words have their French forms ("et arrêté", "en raison de", "sauf", "nécessitant", "qui",
"dans les 28 derniers jours" ...). Pure text analysis (an engine: imports `domain` only).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from oncofed.criteria.brain_exception import allowed_status
from oncofed.domain import Atom, Criterion, Section

_VERB_AFTER_AND = (
    r"and\s+(?:(?:is|are|was|were|has|have|had|been|being|not|still|then|subsequently|currently|later)\s+)*"
    # "... within 14 days prior to the first dose and during the study": a preposition, no second condition
    r"(?!(?:during|including|excluding|regarding|concerning|throughout)\b)"
    r"(?:[a-z]+ed|[a-z]{3,}ing|taken|given|shown|known|seen|done|undergone|withdrawn|begun|found|"
    r"held|left|lost|kept|stopped|unable|intolerant)\b"
    # French lines keep their own words (criteria/french.py): "et arrêté", "et ayant", "et n'ayant pas"
    r"|et\s+(?:(?:a|ont|est|sont|été|n'a|n'ont|n'est|n'ayant|ayant|pas|ensuite|puis)\s+)*"
    r"(?:\w{2,}(?:é|ée|és|ées|ant)|interrompu\w?|suspendu\w?|contre-indiqu\w+)\b"
)
# clauses that qualify the whole statement ("... and taken off treatment", "..., unless ...")
_WHOLE_EXCLUSION = re.compile(
    r"\b(?:" + _VERB_AFTER_AND + r"|due\s+to|because\s+of|secondary\s+to|resulting\s+in|leading\s+to|"
    r"unless|except|other\s+than|if|when|while|"
    r"(?:en\s+raison|à\s+cause|à\s+l'exception)\s+d(?:e|u|es|['’])|secondaire\s+à|dûe?s?\s+à|entraînant|"
    r"conduisant\s+à|sauf|excepté|hormis|à\s+moins\s+qu(?:e|['’])|si|lorsqu(?:e|['’])|quand)(?:\b|(?<=['’]))",
    re.IGNORECASE,
)
_WHOLE_INCLUSION = re.compile(
    r"\b(?:unless|except|other\s+than|if|when|sauf|à\s+l'exception\s+d(?:e|u|es|['’])|excepté|hormis|"
    r"à\s+moins\s+qu(?:e|['’])|si|lorsqu(?:e|['’])|quand)(?:\b|(?<=['’]))",
    re.IGNORECASE,
)
# clauses that qualify the thing named just before them ("infection requiring IV antibiotics",
# "malignancy that is progressing", "surgery within 28 days")
_ATTACHED = re.compile(
    r"\b(?:who|whose|which|that|requiring|with|within|in\s+the\s+(?:last|past|previous|preceding)|during|"
    r"qui|dont|nécessitant|requérant|avec|dans\s+les\s+(?:\d+\s+)?derni\w*|au\s+cours\s+d(?:e|u|es|['’])|"
    r"pendant)(?:\b|(?<=['’]))",
    re.IGNORECASE,
)
# where an unread clause ends: the next clause word of any kind, ", or" / ", and" (the next item of a
# list), a semicolon or a full stop (a bare "or" does not end it: "with an approved or investigational
# anti-HER2 agent" is one clause)
_BOUNDARY = re.compile(
    _WHOLE_EXCLUSION.pattern + "|" + _ATTACHED.pattern + r"|,\s*(?:or|and|ou|et)\b|;|\.(?:\s|$)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"^\s*(?:within|in\s+the\s+(?:last|past|previous|preceding)|during|dans\s+les|au\s+cours|pendant)\b|"
    r"\b\d+\s*(?:days?|weeks?|months?|years?|jours?|semaines?|mois|ans?|années?)\b",
    re.IGNORECASE,
)
# what is shown of an unread clause: up to the end of its item of the criterion
_ITEM_END = re.compile(r",\s*(?:or|and|ou|et)\b|;|\.(?:\s|$)", re.IGNORECASE)
_APART = re.compile(r";|\.(?:\s|$)|\b(?:or|ou)\b", re.IGNORECASE)
_EXCEPTION = re.compile(
    r"^\s*(?:unless|except|other\s+than|sauf|à\s+l'exception|excepté|hormis|à\s+moins)", re.IGNORECASE
)
_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(
    [
        "the",
        "any",
        "all",
        "other",
        "such",
        "this",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "one",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "been",
        "being",
        "not",
        "from",
        "for",
        "and",
        "per",
        "patient",
        "patients",
        "subject",
        "subjects",
        "participant",
        "participants",
        "who",
        "which",
        "that",
        "with",
        "within",
        "during",
        "last",
        "past",
        "previous",
        "preceding",
        "unless",
        "except",
        "than",
        "due",
        "because",
        "secondary",
        "resulting",
        "leading",
        "requiring",
        "when",
        "while",
        "also",
        "either",
        "both",
        "each",
        "more",
        "less",
        "least",
        "most",
        "whom",
        "where",
        "there",
        "then",
        "les",
        "des",
        "une",
        "est",
        "sont",
        "pas",
        "qui",
        "dont",
        "avec",
        "dans",
        "pour",
        "par",
        "sur",
        "aux",
        "ces",
        "son",
        "ses",
        "leur",
        "leurs",
        "sauf",
        "moins",
        "que",
        "plus",
        "été",
        "être",
        "patiente",
        "patientes",
    ]
)
# "Module 5 All:", "Part B:", "Cohort 2 -", "Arm A)": a line that opens with the cohort it is for
_SCOPE = re.compile(
    r"^\W*(?:(?:dose[\s-]+)?(?:expansion|escalation)\s+)?(?:cohort|part|arm|module|sub-?study|basket|stratum)"
    r"\s*[A-Z0-9][\w.]{0,5}\b(?:\s+(?:part\s+)?[A-Z0-9][\w.]{0,5}\b)?(?:\s+all\b)?"
    # what kind of part it is ("Module 2 Part B1 Study expansion:", "Cohort 3 dose escalation:")
    r"(?:\s+(?:study\s+|dose[\s-]+)?(?:expansion|escalation)(?:\s+(?:cohort|phase|part))?)?"
    r"\s*(?:\([^)]{0,40}\))?\s*[:\-–)]",
    re.IGNORECASE,
)


def _atoms(c: Criterion) -> Iterator[Atom]:
    stack = [*c.atoms, *c.condition]
    while stack:
        a = stack.pop()
        yield a
        stack.extend(a.condition)


def _read_spans(c: Criterion) -> list[tuple[int, int]]:
    """Every stretch of the text an atom (or one of its attributes) came from."""
    out: list[tuple[int, int]] = []
    for a in _atoms(c):
        if a.kind == "non_evaluable":
            continue
        if a.span:
            out.append((a.span[0], a.span[1]))
        attrs = a.attributes or {}
        for key in ("window_span", "analyte_span", "value_span", "reason_span"):
            s = attrs.get(key)
            if s:
                out.append((int(s[0]), int(s[1])))
        for s in attrs.get("also_spans", ()) or ():
            out.append((int(s[0]), int(s[1])))
    return out


def _shown(text: str, start: int) -> str:
    """The unread clause opening at `start` as shown to the reader: to the end of its item."""
    end = _ITEM_END.search(text, start)
    words = " ".join(text[start : end.start() if end else len(text)].split())
    return words if len(words) <= 120 else words[:119].rsplit(" ", 1)[0] + "…"


def _has_content(text: str) -> bool:
    return any(w.lower() not in _STOP for w in _WORD.findall(text))


def _clauses(c: Criterion, marker: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each clause `marker` opens after the first read word, with content words and
    no read word in it (parenthesised examples are not read as clauses)."""
    spans = _read_spans(c)
    if not spans or not c.text:
        return
    text = _PAREN.sub(lambda m: " " * len(m.group()), c.text)
    first = min(s for s, _ in spans)
    for m in marker.finditer(text):
        if m.start() <= first:  # before anything was read: what leads to the atoms, not a qualifier
            continue
        nxt = _BOUNDARY.search(text, m.end())
        start, end = m.start(), (nxt.start() if nxt else len(text))
        if _has_content(text[start:end]) and not any(s < end and e > start for s, e in spans):
            yield start, end


# a threshold's side (1: a lower bound, -1: an upper bound) and whether it is strict
_BOUNDS = {">=": (1, False), ">": (1, True), "<=": (-1, False), "<": (-1, True)}


def _disjoint(x: tuple[float, int, bool], y: tuple[float, int, bool]) -> bool:
    """Whether no value meets both thresholds (value, side, strict): a lower bound above an upper one."""
    if x[1] == y[1]:
        return False
    (low, _, low_strict), (high, _, high_strict) = (x, y) if x[1] > 0 else (y, x)
    return low > high or (low == high and (low_strict or high_strict))


def contradiction(c: Criterion) -> str:
    """In an inclusion, the second of two plain thresholds on one measure that no value meets together ("" if
    none): "who are: age >= 60 years; or age < 60 with ..." read as "age >= 60 AND age < 60" fails every
    patient whose age is known; the alternatives were not read as such (verdicts37)."""
    if c.section is not Section.INCLUSION:
        return ""
    seen: dict[tuple[str, str, str], list[tuple[float, int, bool]]] = {}
    for a in c.atoms:
        bound = _BOUNDS.get(a.operator or "")
        if bound is None or a.negated or a.condition or (a.attributes or {}).get("group") is not None:
            continue
        if isinstance(a.value, bool) or not isinstance(a.value, int | float):
            continue
        key = (a.kind, str(a.code or "").lower(), str(a.unit or "").lower())
        this = (float(a.value), *bound)
        if any(_disjoint(this, other) for other in seen.get(key, [])):
            return _shown(c.text, a.span[0]) if a.span else a.kind
        seen.setdefault(key, []).append(this)
    return ""


# "within 4 weeks or five half-lives of the drug, whichever is shorter": the window is the shorter of the days read
# and a number of half-lives the line does not give, so an exposure inside the days read may be outside it (never
# violated); one outside them is outside it (met, as read) (verdicts42)
_SHORTER = re.compile(
    r"\bwhichever\s+(?:is|was|comes?|occurs?)\s+(?:the\s+)?(?:shorter|shortest|sooner|earlier)\b",
    re.IGNORECASE,
)
_HALF_LIVES = re.compile(r"\bhalf[\s-]*li(?:fe|ves)\b|\bt\s*1/2\b|\bt½", re.IGNORECASE)


def shorter_window(c: Criterion) -> str:
    """ "whichever is shorter" between the window read and some half-lives ("" if the line has no such rule)."""
    m = _SHORTER.search(c.text)
    if m is None or not _HALF_LIVES.search(c.text) or all(a.window_days is None for a in _atoms(c)):
        return ""
    return _shown(c.text, m.start())


# an exempted cause after what was read: "major surgery unrelated to breast cancer", "neuropathy not associated with
# chemotherapy", "bleeding disorder unrelated to cancer", "any other infection (unrelated to lymphedema)", "INR > 1.5
# not due to a reversible cause": the record rarely says the cause, and an atom read inside the exemption ("breast
# cancer") is no requirement, so the line is never violated (verdicts42)
_EXEMPT = re.compile(
    r"\b(?:unrelated\s+to|not\s+(?:(?:directly|clearly)\s+)?(?:related|associated|due|attributable|secondary|"
    r"caused|linked)\s+(?:to|with|by))\b",
    re.IGNORECASE,
)


def exempted_cause(c: Criterion) -> str:
    """The exemption of a cause in a line with something read ("" if none)."""
    m = _EXEMPT.search(c.text)
    spans = [s for s, _ in _read_spans(c)] if m else []
    if m is None or not spans:  # read before it (what it qualifies) or inside it ("not related to pregnancy")
        return ""
    bracketed = c.text.rfind("(", 0, m.start()) > c.text.rfind(")", 0, m.start())
    if bracketed and sum(a.kind != "non_evaluable" for a in c.atoms) > 1:
        return ""  # "No known hepatitis B virus (not due to immunization), hepatitis C virus, HIV": the HBV's only
    return _shown(c.text, m.start())


def unread_clause(c: Criterion) -> str:
    """The first clause of `c` qualifying its whole statement that no atom reads ("" if none). See the
    module docstring; an exception carried by an atom (`exceptions`, `status`) is read. Thresholds that
    contradict each other (`contradiction`) are read as such a clause: never violated."""
    exclusion = c.section is Section.EXCLUSION
    if (
        found := contradiction(c)
        or shorter_window(c)
        or exempted_cause(c)
        or allowed_status(_atoms(c), exclusion)
    ):
        return found
    carried = any({"exceptions", "status"} & set(a.attributes or ()) for a in _atoms(c))
    marker = _WHOLE_EXCLUSION if c.section is Section.EXCLUSION else _WHOLE_INCLUSION
    for start, end in _clauses(c, marker):
        if carried and _EXCEPTION.match(c.text[start:end]):
            continue
        return _shown(c.text, start)
    return ""


def unread_qualifiers(c: Criterion) -> list[tuple[Atom, str]]:
    """In an exclusion, each atom every mention of which is directly followed by a clause that
    qualifies it and that no atom reads ("active infection *requiring intravenous antibiotics*"), with
    that clause: the atom alone does not show the criterion holds. "Directly": nothing but a few words
    between them, no ";", full stop or "or" (in "are pregnant or have been pregnant in the last month"
    the window qualifies the second mention, not the one read); a time window the atom carries
    (`window_days`) is read."""
    if c.section is not Section.EXCLUSION:
        return []
    mentions: list[tuple[Atom, tuple[int, int]]] = []
    for a in c.atoms:
        if a.span and a.kind != "non_evaluable" and not a.negated:
            mentions.append((a, a.span))
            mentions += [
                (a, (int(x[0]), int(x[1]))) for x in (a.attributes or {}).get("also_spans", ()) or ()
            ]
    qualified: dict[int, list[str]] = {}
    seen: set[tuple[int, tuple[int, int]]] = set()
    for start, end in _clauses(c, _ATTACHED):
        before = [(a, sp) for a, sp in mentions if sp[1] <= start]
        if not before:
            continue
        atom, span = max(before, key=lambda x: x[1][1])
        clause = c.text[start:end]
        if _APART.search(c.text[span[1] : start]) or start - span[1] > 40:
            continue
        if atom.window_days is not None and _TIME.search(clause):
            continue
        seen.add((id(atom), span))
        qualified.setdefault(id(atom), []).append(_shown(c.text, start))
    out = []
    for a in c.atoms:
        spans = [sp for x, sp in mentions if x is a]
        if id(a) in qualified and all((id(a), sp) in seen for sp in spans):
            out.append((a, qualified[id(a)][0]))
    return out


# a line for one part said in an aside or an opening "for ... only" ("HER2-negative breast cancer (part 2 only)",
# "(Cohort B only)", "For Part 2 only: ...", session 16): "only" says the part is the line's scope
_PART = r"(?:cohorts?|parts?|arms?|modules?|phases?|strat(?:um|a)|groups?)\s*[A-Z0-9][\w.]{0,5}"
_PARTS = rf"{_PART}(?:\s*(?:,|and|or|/|&)\s*(?:{_PART}|[A-Z0-9][\w.]{{0,5}}))*"
_SCOPE_ONLY = re.compile(
    rf"\(\s*(?:for\s+|in\s+)?(?:(?:patients|participants|subjects)\s+(?:in|of)\s+)?(?:the\s+)?(?P<a>{_PARTS})\s+only\s*\)"
    rf"|^\W*(?:for|in)\s+(?:(?:patients|participants|subjects)\s+(?:in|of)\s+)?(?:the\s+)?(?P<b>{_PARTS})\s+only\b",
    re.IGNORECASE,
)


def names_scope(c: Criterion) -> str:
    """The cohort label a line opens with ("Module 5 All") or says it is only for ("(part 2 only)"), when the
    structure reader gave the line no cohort ("" otherwise): a line for one part of the trial read as
    applying to every patient."""
    if c.cohort is not None or c.index < 0:
        return ""
    m = _SCOPE.match(c.text)
    if m:
        return " ".join(m.group().strip(" :-–)").split())
    only = _SCOPE_ONLY.search(c.text)
    return " ".join((only.group("a") or only.group("b")).split()) if only else ""


@dataclass(frozen=True)
class Coverage:
    """What `unread_clause`, `unread_qualifiers` and `names_scope` say of one criterion."""

    unread: str
    qualifiers: tuple[tuple[Atom, str], ...]
    scope: str


_SEEN: dict[int, tuple[weakref.ref[Criterion], Coverage]] = {}


def coverage(c: Criterion) -> Coverage:
    """The three guards of `c`, computed once per criterion object (plans are compiled for every
    patient a criterion is evaluated for: the text is read once, not each time)."""
    key = id(c)
    hit = _SEEN.get(key)
    if hit is not None and hit[0]() is c:
        return hit[1]
    out = Coverage(unread_clause(c), tuple(unread_qualifiers(c)), names_scope(c))

    def forget(ref: weakref.ref[Criterion], key: int = key) -> None:
        if (entry := _SEEN.get(key)) is not None and entry[0] is ref:
            del _SEEN[key]

    _SEEN[key] = (weakref.ref(c, forget), out)
    return out
