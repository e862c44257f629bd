"""Numbers, comparison operators and durations as written in eligibility text."""

from __future__ import annotations

import re

from oncofed.criteria.caseless import compile_i

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90, "single": 1,
}  # fmt: skip

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:[.,]\d+)?|\.\d+|" + "|".join(WORD_NUMBERS) + r")(?:\s*\(\s*\d+\s*\))?"

# Operators, longest first. Each maps to the contract's operator.
_OPS: list[tuple[str, str]] = [
    (r"greater\s+than\s+or\s+equal\s+to|more\s+than\s+or\s+equal\s+to|higher\s+than\s+or\s+equal\s+to", ">="),
    (r"less\s+than\s+or\s+equal\s+to|lower\s+than\s+or\s+equal\s+to|smaller\s+than\s+or\s+equal\s+to", "<="),
    (r"equal\s+to\s+or\s+greater\s+than|equal\s+to\s+or\s+more\s+than|equal\s+or\s+greater\s+than", ">="),
    (r"equal\s+to\s+or\s+less\s+than|equal\s+or\s+less\s+than|equal\s+to\s+or\s+lower\s+than", "<="),
    (r"no\s+(?:less|lower|fewer)\s+than|not\s+(?:less|lower|fewer)\s+than|at\s+least|a\s+minimum\s+of|minimum(?:\s+of)?", ">="),
    (r"no\s+(?:more|greater|higher)\s+than|not\s+(?:more|greater|higher)\s+than|at\s+most|a\s+maximum\s+of|maximum(?:\s+of)?|up\s+to|not\s+(?:to\s+)?exceed(?:ing)?|does\s+not\s+exceed|≤|=<|<\s*=|<\s*/\s*=|<\s*or\s*=|⩽|≦", "<="),
    (r"≥|=>|>\s*=|>\s*/\s*=|>\s*or\s*=|⩾|≧", ">="),  # "< or =", "> or =": the NCI spelling (verdicts34)
    (r"greater\s+than|more\s+than|higher\s+than|above|over|exceed(?:s|ing)?|in\s+excess\s+of|>", ">"),
    (r"less\s+than|lower\s+than|fewer\s+than|below|under|<", "<"),
]  # fmt: skip
OP = "(?:" + "|".join(p for p, _ in _OPS) + ")"
_OP_RES = [(compile_i(p), op) for p, op in _OPS]

UNITS_TIME = {"day": 1, "week": 7, "month": 30, "year": 365, "wk": 7, "mo": 30, "yr": 365, "d": 1, "hour": 0}
TIME_UNIT = r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?)"


def op_of(text: str) -> str | None:
    """The contract operator of an operator phrase ("at least" -> ">=")."""
    text = text.strip()
    for pattern, op in _OP_RES:
        if pattern.fullmatch(text):
            return op
    return None


def num_of(text: str) -> float | None:
    """A number from "1,500", "1.5", "1,5", "three (3)", "twelve"."""
    t = text.strip().lower()
    t = re.sub(r"\s*\(\s*\d+\s*\)$", "", t)
    if t in WORD_NUMBERS:
        return float(WORD_NUMBERS[t])
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
        return float(t.replace(",", ""))
    t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def days_of(value: float, unit: str) -> int | None:
    u = unit.lower().rstrip("s")
    for key, factor in UNITS_TIME.items():
        if u == key or u.startswith(key):
            return int(round(value * factor)) if factor else max(1, int(round(value / 24)))
    return None


WINDOW = compile_i(
    rf"\b(?:within|in|during)\s+(?:the\s+)?(?:(?:last|past|previous|prior|preceding)\s+)?(?P<n>{NUM})\s*(?P<u>{TIME_UNIT})\b"
    rf"|\b(?P<n2>{NUM})\s*(?P<u2>{TIME_UNIT})\s+(?:or\s+less\s+)?(?:prior\s+to|before|preceding|of)\b"
    rf"|\b(?:last|past|previous)\s+(?P<n3>{NUM})\s*(?P<u3>{TIME_UNIT})\b",
)


# Every branch of WINDOW holds a time unit that ends a word: a cheaper necessary test first (WINDOW
# tries its number alternatives at every word start)
_UNIT_WORD = compile_i(rf"{TIME_UNIT}\b")


def find_window(text: str) -> tuple[int, tuple[int, int]] | None:
    """(days, span) of the first time window ("within 4 weeks", "28 days prior to")."""
    if not _UNIT_WORD.search(text):
        return None
    m = WINDOW.search(text)
    if not m:
        return None
    n = m.group("n") or m.group("n2") or m.group("n3")
    u = m.group("u") or m.group("u2") or m.group("u3")
    value = num_of(n) if n else None
    if value is None or u is None:
        return None
    days = days_of(value, u)
    return (days, m.span()) if days is not None else None
