"""A formula written in a criterion states no requirement of the patient (verdicts33).

"Female CrCl = ((140 - age in years) x weight in kg x 0.85) / (72 x serum creatinine in mg/dL)" is the
female variant of the Cockcroft-Gault formula, split off the clearance line that uses it: read as a
criterion it required a woman and failed every man. A formula is a term defined by an arithmetic
expression: "<term> = <expression>", "formula: <expression>", "as follows: <term> = <expression>". The
expression is recognised by its grammar, not by its words: an operator next to a bracketed operand
("(140 - age) x weight", "x (wt in kg)", ")/(72 x ..."), or a number minus a word inside brackets
("(140-Age)"), or a product / quotient of a word and a number ("weight x 0.85", "divided by (sCr x 72)").
A unit ("1.5 x 10^9/L", "3 x ULN", "mg/dL") is no expression.

Whatever the formula names (a sex: "Female CrCl", "for males", "(0.85 if female)", "(females)"; an age; a
laboratory value) qualifies the formula, not the patient: those atoms are dropped. A line that is only a
formula becomes a `definition` (never applies, never excludes: `conditions.permission_atom`); a line that
states a requirement and then its formula keeps the requirement ("CrCl >= 40 mL/min (Cockcroft-Gault:
Female CrCl = ...)"). Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

import re

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# what may open a formula: "=" (not "<=", ">=", "=<", "=>"), "formula:", "equation:", "as follows:"
_OPEN = compile_i(
    r"(?<![<>≤≥=!])=(?![<>=])|\b(?:formula|equation)\s*(?:\([^()]{0,30}\)\s*)?[:=-]|\bas\s+follows\s*:"
    r"|\b(?:(?:fe)?males?|wom[ae]n|men)\s*:"  # "Male: (140 - age) x weight / ...; Female: ... x 0.85"
)
_OPERATOR = r"(?:[x×*/÷]|\bdivided\s+by\b|\bmultiplied\s+by\b|\btimes\b)"
_PRODUCT = r"(?:\s+x\s*|\s*[×*÷]\s*|\s+(?:divided|multiplied)\s+by\s+)"  # no "/": "mL/min/1.73", "1500/mcL" are units
_NOT_OPERAND = r"(?!10\b|10\s*[\^*e⁹³]|uln\b|unl\b|upper\b|lower\b|the\b|institutional\b|normal\b|lln\b)"
# an arithmetic expression: an operator beside a bracketed operand, a number minus a word in brackets, or a
# word times / over a number (and the other way round); "x 10^9/L", "x ULN" are units, not operands
_EXPRESSION = compile_i(
    rf"[)\]}}]\s*{_OPERATOR}\s*{_NOT_OPERAND}[(\[{{\w.]"
    rf"|{_OPERATOR}\s*[(\[{{]\s*{_NOT_OPERAND}(?:\d|[a-z])"
    r"|[(\[{]\s*\d+(?:\.\d+)?\s*[-−–]\s*[a-z]"
    rf"|\b[a-z]{{2,}}{_PRODUCT}{_NOT_OPERAND}\.?\d"
    rf"|\d{_PRODUCT}{_NOT_OPERAND}[a-z]{{3,}}"
)
# where a formula's clause ends: ";" or a sentence's end (". " then a capital), or the line's end
_END = re.compile(r";|\.\s+(?=[A-Z])")
# where the defined term's clause starts, looking back from the opening sign
_START = re.compile(r"[:;]\s*|\.\s+(?=[A-Z])")
# the kinds a formula names about whom it is computed for (a laboratory limit written after it stays)
_NAMED = {"sex", "age"}


def formula_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the formulas of a criterion: from the start of the defined term's clause to
    the end of the expression's clause; only where the text after the opening sign is an expression."""
    out: list[tuple[int, int]] = []
    for m in _OPEN.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        end_match = _END.search(text, m.end())
        end = end_match.start() if end_match else len(text)
        if not _EXPRESSION.search(text, m.end(), end):
            continue
        starts = [s.end() for s in _START.finditer(text, 0, m.start()) if s.end() <= m.start()]
        # "Female CrCl = ...": the term before "="; "formula: (140 - age) ...": the words before "formula"
        out.append((starts[-1] if starts else 0, end))
    return out


def formulas(atoms: list[Atom], text: str) -> tuple[list[Atom], bool]:
    """The atoms of a criterion without those a formula names, and whether the line is only a formula (every
    atom it had lay in one)."""
    if "=" not in text and ":" not in text or not atoms:
        return atoms, False
    spans = formula_spans(text)
    if not spans:
        return atoms, False

    def named(a: Atom) -> bool:
        return a.kind in _NAMED and bool(a.span) and any(lo <= a.span[0] < hi for lo, hi in spans)  # type: ignore[index]

    kept = [a for a in atoms if not named(a)]
    return kept, bool(atoms) and not kept
