"""A hormone receptor's positivity threshold as the trial defines it.

ASCO/CAP 2020 calls an ER / PR result of 1-10 % of stained cells "ER-low": trials read it either way, so
the engine leaves such a result undecided against "ER negative" or "ER positive" (matching/biomarkers.py).
A line that says where positive begins ("ER and PR negative (a tumour is ER and/or PR positive if at
least 1 % of the cells stain)", "hormone receptor negative, defined as < 1 %", "ER-negative (ER <= 10 %)")
decides it: its ER / PR status atoms carry `attributes["positive_if"] = [operator, percent]` and a
percentage is read against that threshold. Only the line's own words count (a definition on another line
is left alone), and only for the percentage markers ER and PR. Pure text analysis (an engine: imports
`domain` and the criteria helpers only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain import Atom, Criterion

POSITIVE_IF = "positive_if"
_MARKERS = {"ER", "PR", "PGR"}
_NUMBER = r"\d+(?:[.,]\d+)?\s*(?:%|percent|per\s*cent)"
_LEAST = r"(?:>=|≥|=>|at\s+least|greater\s+than\s+or\s+equal\s+to|equal\s+to\s+or\s+(?:greater|more)\s+than)"
_MORE = r"(?:>|greater\s+than|more\s+than|above|over|exceeding)"
_LESS = r"(?:<|less\s+than|below|under|fewer\s+than)"
_MOST = r"(?:<=|≤|=<|at\s+most|no\s+more\s+than|not\s+more\s+than|less\s+than\s+or\s+equal\s+to|up\s+to)"
_OR_MORE = r"\s+or\s+(?:more|greater|higher|above)"
_OR_LESS = r"\s+or\s+(?:less|fewer|lower|below)"
# "positive if at least 1 %", "positive is defined as >= 1 %", "positivity: > 10 %", "negative disease,
# defined as ER and PR < 1 %": the status word, a few words, the defining verb, then the threshold
_DEFINES = (
    r"(?:[\s-]+[\w-]+){0,2}?,?(?:\s+(?:is\s+|are\s+|being\s+)?(?:defined|considered|regarded)\s+(?:as|if|when|by)"
    r"|\s+(?:if|when|means)|\s*[:=(])[^.;,()]{0,40}?"
)
# another marker between the status word and the number: its threshold, not the receptor's ("ER positive and
# HER2 negative (IHC 0-1+), Ki-67 >= 20 %")
_OTHER_MARKER = compile_i(
    r"\b(?:her-?2|ki-?67|pd-?l1|tps|cps|egfr|alk|ros1|brca\w*|psa|ca-?125|ar|androgen\s+receptors?|"
    r"sstr\d?|somatostatin\s+receptors?|folate\s+receptor\w*|fr-?alpha|trop-?2|nectin-?4|cldn\s*18(?:\.2)?|claudin)\b"
)
# the marker a definition is about, named just before its status word ("AR positivity defined as > 0 %",
# "androgen receptor (AR)-positive if >= 10 %"): another marker's, not the receptor's
_ABOUT = compile_i(r"(?P<m>\b[\w().+-]+(?:\s+[\w().+-]+){0,2})[\s-]*$")
_RECEPTOR = compile_i(r"\b(?:er|pr|pgr|hr|hormone|hormonal|o?estrogen|progesterone)\b")


def _about_other(text: str, start: int) -> bool:
    """Whether the words just before a status word name another marker than ER / PR."""
    m = _ABOUT.search(text[max(0, start - 40) : start])
    said = m.group("m") if m else ""
    return bool(_OTHER_MARKER.search(said)) and not _RECEPTOR.search(said)


_POSITIVE = compile_i(
    rf"\bpositiv(?:e|ity){_DEFINES}(?:(?P<least>{_LEAST})\s*(?P<n1>{_NUMBER})|(?P<more>{_MORE})\s*(?P<n2>{_NUMBER})"
    rf"|(?P<n3>{_NUMBER}){_OR_MORE})"
)
_NEGATIVE = compile_i(
    rf"\bnegativ(?:e|ity){_DEFINES}(?:(?P<most>{_MOST})\s*(?P<n1>{_NUMBER})|(?P<less>{_LESS})\s*(?P<n2>{_NUMBER})"
    rf"|(?P<n3>{_NUMBER}){_OR_LESS})"
)


def _percent(m: re.Match[str]) -> float:
    said = m.group("n1") or m.group("n2") or m.group("n3")
    return float(re.match(r"\d+(?:[.,]\d+)?", said).group(0).replace(",", "."))  # type: ignore[union-attr]


def cutoff(text: str) -> tuple[str, float] | None:
    """Where the line says ER / PR positivity begins: (">=", 1.0) for "positive if at least 1 %"."""
    for m in _POSITIVE.finditer(text):
        if not _OTHER_MARKER.search(m.group(0)) and not _about_other(text, m.start()):
            return (">" if m.group("more") else ">=", _percent(m))
    for m in _NEGATIVE.finditer(text):
        if not _OTHER_MARKER.search(m.group(0)) and not _about_other(text, m.start()):
            # negative below n: positive from n; up to n: positive above it
            return (">" if m.group("most") or m.group("n3") else ">=", _percent(m))
    return None


def _receptor_status(a: Atom) -> bool:
    value = a.value if isinstance(a.value, str) else ""
    return (
        a.kind == "biomarker"
        and str(a.code or "").upper() in _MARKERS
        and a.operator in ("==", "!=")
        and value.lower() in ("positive", "negative")
    )


def positivity_cutoffs(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, the ER / PR status atoms of a line that defines positivity given its threshold."""
    out = []
    for c in criteria:
        if ("%" in c.text or "percent" in c.text.lower()) and any(_receptor_status(a) for a in c.atoms):
            found = cutoff(c.text)
            if found:
                atoms = tuple(
                    replace(a, attributes={**a.attributes, POSITIVE_IF: [found[0], found[1]]})
                    if _receptor_status(a)
                    else a
                    for a in c.atoms
                )
                c = replace(c, atoms=atoms)
        out.append(c)
    return out
