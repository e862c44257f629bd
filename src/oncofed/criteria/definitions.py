"""A conditional definition in parentheses states no requirement.

"ER and PR negative (a tumor is ER and/or PR positive if at least 1 % of the cells ... stain)": the
words in parentheses say what "positive" means, so that the line's requirement (negative) can be read;
read as atoms of their own they required the opposite status and every eligible patient failed them. A
biomarker atom inside a parenthesis that holds a conditional ("if", "when", "provided") is dropped when
the line names the same marker outside it; otherwise it becomes a statement left to the investigator
(`non_evaluable`, `unread_statement`), never a requirement. A definition that IS the requirement
("adequate function (defined as ANC >= 1.5)") has no conditional and is left alone. Pure text analysis
(an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.therapy_absence import unread_statement
from oncofed.domain import Atom, Criterion

WHY = "a definition in parentheses"
_CONDITIONAL = compile_i(r"\b(?:if|when|provided)\b")


def _clauses(text: str) -> list[tuple[int, int]]:
    """The "," / ";" clauses of the outermost parentheses: "(ER positive, or HER2 positive if treated with
    trastuzumab)": only the second defines (a condition of its own)."""
    out = []
    for lo, hi in _parentheses(text):
        start = lo
        for m in re.finditer(r"[,;]", text[lo:hi]):
            out.append((start, lo + m.start()))
            start = lo + m.end()
        out.append((start, hi))
    return out


def _parentheses(text: str) -> list[tuple[int, int]]:
    """The outermost (...) / [...] spans of a text."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def _inside(a: Atom, spans: list[tuple[int, int]]) -> bool:
    return bool(a.span) and any(lo < a.span[0] and a.span[1] <= hi for lo, hi in spans)  # type: ignore[index]


def conditional_definitions(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, each biomarker atom of a conditional definition in parentheses dropped (or made a
    statement when the marker is named nowhere else in the line)."""
    out = []
    for c in criteria:
        if c.index >= 0 and "(" in c.text and any(a.kind == "biomarker" for a in c.atoms):
            spans = [(lo, hi) for lo, hi in _clauses(c.text) if _CONDITIONAL.search(c.text, lo, hi)]
            defining = [a for a in c.atoms if a.kind == "biomarker" and spans and _inside(a, spans)]
            if defining:
                outside = {
                    str(a.code).upper() for a in c.atoms if a.kind == "biomarker" and a not in defining
                }
                atoms = []
                for a in c.atoms:
                    if a in defining and str(a.code).upper() in outside:
                        continue
                    if a in defining:
                        a = unread_statement(a, WHY)
                    atoms.append(a)
                c = replace(c, atoms=tuple(atoms))
        out.append(c)
    return out
