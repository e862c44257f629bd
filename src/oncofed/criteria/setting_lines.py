"""The disease setting, the lines of therapy and treatment-naive wordings, read from a criterion's structure
(found by the generated audit `benchmarks/audit_setting.py`, never from a benchmark file):

1. a setting word after "non" ("non-metastatic breast cancer", French "non métastatique") is negated: the
   patient must NOT be metastatic;
2. an early setting ("early breast cancer", "early-stage disease", "localised / localized cancer") is a
   `disease_setting` atom of its own (`early`): unread it left the cancer alone to decide, so a metastatic
   patient met an inclusion of early disease and fell under an exclusion of it;
3. a line of therapy named by its rank ("second-line", "third-line or later", "deuxième ligne") counts the
   lines before it: offered ("candidates for second-line therapy") it is exactly rank - 1 prior lines,
   "or later / or beyond" at least rank - 1, a line received ("after / following / progression on first-line
   chemotherapy") at least rank;
4. naive of one class ("chemotherapy-naive", "chemo-naive", "no prior chemotherapy") forbids that class,
   never every therapy: the class's `prior_therapy` atom is negated and no `treatment_naive` atom stands
   (an endocrine-treated patient is chemotherapy-naive);
5. "untreated for / in <setting>" is treatment-naive in that setting (the setting is the therapy's, not a
   patient requirement: `criteria/logic.py` moves it onto the atom);
6. adjuvant therapy counted as a line when the relapse came soon after it ("adjuvant therapy counts as a line
   if relapse occurred within 12 months of its completion"): the clause defines how lines are counted
   (`attributes["adjuvant_months"]` of the line counts, read by `matching/atoms.prior_lines`), it is no
   requirement of an adjuvant therapy or of a relapse.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_NON_BEFORE = compile_i(r"\bnon[-\s]?$")
_NON_WORD = compile_i(r"\bnon-?(?:metastatic|resectable)\b")
_EARLY = compile_i(
    r"\b(?:early(?:[\s-]+stage)?|locali[sz]ed|locali[sz]ée?s?)\b"
    r"(?=\s+(?:[\w-]+\s+){0,3}?(?:cancers?|carcinomas?|disease|tumou?rs?|malignanc\w+|nsclc|crc|tnbc)\b)"
    r"(?!\s+(?:relapse|recurrence|progression|discontinuation|death)\b)"
    # post-nominal (French word order kept by the rewrite): "breast cancer localized", "cancer du sein localisé"
    r"|\b(?:cancers?|carcinomas?|disease|tumou?rs?)\s+locali[sz](?:ed|é|ée|és|ées)\b(?!\s+(?:to|in|at)\b)"
)
_EARLY_EVENT = compile_i(
    r"\s+(?:[\w-]+\s+){0,3}?(?:cancers?|carcinomas?|disease|tumou?rs?|malignanc\w+)?\s*"
    r"(?:shrinkage|response|recurren\w*|relapse|progression|death|discontinu\w*|flare)\b"
)
_EARLY_GATE = ("early", "locali")
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_RANK = compile_i(
    r"\b(?P<rank>first|1st|second|2nd|third|3rd|fourth|4th)[\s-]+lines?\b"
    r"(?P<later>\s+(?:or|and)\s+(?:later|beyond|greater|higher|subsequent(?:\s+lines?)?)|\s*\+)?"
)
_RECEIVED_BEFORE = compile_i(
    r"\b(?:after|following|progress\w*\s+(?:on|after|during|following)|failure\s+of|failed|prior|previous(?:ly)?|"
    r"received|receiving|response\s+to|responded\s+to|during|refractory\s+to|intoleran\w*\s+(?:of|to)|"
    r"relapsed?\s+(?:after|on))\s+(?:(?:at\s+least|a|an|the|one|their|standard)\s+)*$"
)
_ORDINAL_WORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_COORDINATED_BEFORE = compile_i(rf"\b{_ORDINAL_WORD}(?:[\s-]+lines?)?[\s-]*(?:,|or|and|and/or|to|/)\s*$")
_COORDINATED_AFTER = compile_i(rf"\s*(?:,|or|and|and/or|to|/)\s*{_ORDINAL_WORD}\b")
_CLASS_NAIVE = compile_i(r"\b(?P<what>chemo(?:therapy)?|endocrine|hormone|immunotherapy)[\s-]*na[iï]ve\b")
_NO_PRIOR_CLASS = compile_i(r"\bno\s+(?:prior|previous)\s+(?P<what>chemo(?:therapy)?)\b(?!\s*[-\s]?na)")
_UNTREATED_FOR = compile_i(
    r"\buntreated(?=\s+(?:for|in)\s+(?:the\s+)?(?:locally\s+)?(?:advanced|metasta|recurr))"
)


def _absent(kind: str, code: str, m: re.Match[str], attrs: dict[str, Any]) -> Atom:
    """A required absence read from the matched words ("nonmetastatic", "chemo-naive")."""
    return Atom(kind, "present", code=code, span=m.span(), text=m.group(0), negated=True, attributes=attrs)


def setting_and_lines(atoms: list[Atom], text: str) -> list[Atom]:
    """The five rules above, on one criterion text's atoms (before ConText and `logic.relate`)."""
    low = text.lower()
    if "non" in low:
        atoms = [_non_setting(a, text) for a in atoms]
        settings = [a.span for a in atoms if a.kind == "disease_setting" and a.span]
        for m in _NON_WORD.finditer(text):  # "nonmetastatic" in one word: no setting read inside it
            if not any(s < m.end() and m.start() < e for s, e in settings):
                code = "metastatic" if "meta" in m.group(0).lower() else "unresectable"
                atoms = [*atoms, _absent("disease_setting", code, m, {"non": True})]
    if any(w in low for w in _EARLY_GATE):
        atoms = [*atoms, *_early(text, atoms)]
    if "line" in low:
        ranked = _ranked_lines(text, atoms)
        spans = [
            a.span for a in ranked if a.span
        ]  # the ranked line reads "first-line": no first_line setting
        atoms = [
            a
            for a in atoms
            if not (a.kind == "disease_setting" and a.code == "first_line" and _overlaps(a, spans))
        ]
        atoms = [*atoms, *ranked]
    if "naive" in low or "naïve" in low or "no prior chemo" in low or "no previous chemo" in low:
        atoms = _class_naive(atoms, text)
    if "untreated" in low and not any(a.kind == "treatment_naive" for a in atoms):
        untreated = _UNTREATED_FOR.search(text)
        if untreated:
            naive = Atom("treatment_naive", "present", span=untreated.span(), text=untreated.group(0))
            atoms = [*atoms, naive]
    return atoms


def _overlaps(a: Atom, spans: list[tuple[int, int]]) -> bool:
    return bool(a.span) and any(s < a.span[1] and a.span[0] < e for s, e in spans)  # type: ignore[index]


def _non_setting(a: Atom, text: str) -> Atom:
    if a.kind != "disease_setting" or a.negated or not a.span:
        return a
    if _NON_BEFORE.search(text[max(0, a.span[0] - 5) : a.span[0]]):
        return replace(a, negated=True, attributes={**a.attributes, "non": True})
    return a


def _early(text: str, atoms: list[Atom]) -> list[Atom]:
    if any(a.kind == "disease_setting" and a.code == "early" for a in atoms):
        return []
    m = _EARLY.search(text)
    if m is None or _EARLY_EVENT.match(text, m.end()):
        return []  # "early tumour shrinkage", "localized disease recurrence": an event, not the setting
    return [Atom("disease_setting", "present", code="early", span=m.span(), text=m.group(0))]


def _ranked_lines(text: str, atoms: list[Atom]) -> list[Atom]:
    """A prior_lines atom per ranked line ("second-line"), unless the text already counts lines."""
    if any(a.kind == "prior_lines" for a in atoms):
        return []
    out: list[Atom] = []
    for m in _RANK.finditer(text):
        if _COORDINATED_BEFORE.search(text, max(0, m.start() - 30), m.start()) or _COORDINATED_AFTER.match(
            text, m.end()
        ):
            continue  # "first- or second-line", "second line or later lines": ranks as alternatives, not read
        rank = _ORDINALS[m.group("rank").lower()]
        received = bool(_RECEIVED_BEFORE.search(text[max(0, m.start() - 60) : m.start()]))
        if received:
            op, n = ">=", rank
        elif m.group("later"):
            op, n = ">=", rank - 1
        elif rank == 1:
            # "first-line" offered: left to the `first_line` setting. Read as "no prior line" it was wrong 8
            # times on held-out folds (never read: the wordings are not known), so it is not read here
            continue
        else:  # offered: "candidates for second-line therapy"
            op, n = "==", rank - 1
        out.append(Atom("prior_lines", op, n, span=m.span(), text=m.group(0), attributes={"rank": rank}))
    return out


def _class_naive(atoms: list[Atom], text: str) -> list[Atom]:
    spans = [m.span() for m in _CLASS_NAIVE.finditer(text)] + [
        m.span() for m in _NO_PRIOR_CLASS.finditer(text)
    ]
    if not spans:
        return atoms

    def inside(a: Atom) -> bool:
        return bool(a.span) and any(s <= a.span[0] < e or a.span[0] <= s < a.span[1] for s, e in spans)  # type: ignore[index]

    out = [a for a in atoms if not (a.kind == "treatment_naive" and inside(a))]
    negated = [
        replace(a, negated=True) if a.kind == "prior_therapy" and inside(a) and not a.negated else a
        for a in out
    ]
    named = {a.code for a in negated if a.kind == "prior_therapy" and inside(a)}
    for m in _CLASS_NAIVE.finditer(text):  # "chemo-naive": the class named by its short word
        what = m.group("what").lower()
        code = (
            "chemotherapy"
            if what.startswith("chemo")
            else "endocrine therapy"
            if what in ("endocrine", "hormone")
            else "immunotherapy"
        )
        if code not in named:
            negated.append(_absent("prior_therapy", code, m, {"class": code, "naive": True}))
            named.add(code)
    return negated


_COUNTS_AS_LINE = compile_i(
    r"\bcount(?:s|ed)?\s+as\s+(?:a|one|1|an?\s+additional)\s+(?:prior\s+)?(?:line|regimen)\b"
)
_WITHIN_MONTHS = compile_i(
    r"\b(?:within|<|≤|less\s+than|fewer\s+than|under|in\s+the)\s+(?:the\s+)?(?P<n>\d{1,2}|six|twelve)\s+months?\b"
)
_CLAUSE_END = compile_i(r"[.;)]|$")


def adjuvant_counted(atoms: list[Atom], text: str) -> list[Atom]:
    """Rule 6, after ConText and windows (`logic.relate`): the clause's atoms and windows dropped, its months
    kept on the line counts."""
    low = text.lower()
    if "adjuvant" not in low or "line" not in low or not any(a.kind == "prior_lines" for a in atoms):
        return atoms
    counts = _COUNTS_AS_LINE.search(text)
    if counts is None:
        return atoms
    # the clause: from the sentence or parenthesis that holds "adjuvant" before the cue, to its end
    start = max(
        text.rfind("(", 0, counts.start()),
        text.rfind(";", 0, counts.start()),
        text.rfind(". ", 0, counts.start()),
    )
    start = start + 1 if start >= 0 else 0
    if "adjuvant" not in text[start : counts.end()].lower():
        return atoms
    end_m = _CLAUSE_END.search(text, counts.end())
    end = end_m.start() if end_m else len(text)
    months = _WITHIN_MONTHS.search(text, start, end)
    if months is None:
        return atoms
    raw = months.group("n").lower()
    n = {"six": 6, "twelve": 12}.get(raw) or int(raw)
    out = []
    for a in atoms:
        inside = a.span is not None and start <= a.span[0] and a.span[1] <= end
        window = a.attributes.get("window_span") if a.attributes else None
        if window and start <= int(window[0]) and int(window[1]) <= end:  # "within 12 months": the clause's
            attrs = {k: v for k, v in a.attributes.items() if k != "window_span"}
            a = replace(a, window_days=None, attributes=attrs)
        if a.kind == "prior_lines" and not inside:
            # the clause is read as the counting rule (`value_span`: criteria/coverage.py's guard sees it read)
            attrs = {**a.attributes, "adjuvant_months": n, "value_span": [start, end]}
            out.append(replace(a, attributes=attrs))
        elif not inside:
            out.append(a)
    return out
