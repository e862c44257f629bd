"""A limit of normal and a number, "whichever is lower / higher" (verdicts42): "LVEF below the institutional lower
limit of normal or below 50 %, whichever is lower", "ejection fraction < 45 % or below the LLN, whichever is higher".

The lab reader keeps one of the two limits: the lower limit of normal when it comes first (with the band of limits
in use, `lab_lists.LLN_BAND`: LVEF 50-55 %, so a patient at 52 % was "to check" where the rule says 50 %), the
number when it comes first (so "< 45 % or below the LLN, whichever is higher" read "< 45 %" and a patient at 47 %
was not below it, where every centre's limit makes 47 % below). The limit the rule means is the lower (higher) of
the number and the centre's limit: a band from min (max) of the number and the lowest limit in use to min (max) of
the number and the highest. A band that closes is a plain number; one that stays open is decided outside it only.

    whichever_limits(atoms, text) -> atoms

Only a lab atom whose analyte has a band of limits in use (resources/lln_bands.tsv), on a line that names the
lower limit of normal, the rule, and one number in the atom's unit. "whichever is longer / shorter" (windows in
days or half-lives) is `coverage.shorter_window`'s."""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.lab_lists import LLN_BAND, lower_limit
from oncofed.domain.criteria import Atom

_RULE = compile_i(
    r"\bwhichever\s+(?:is|was|be)\s+(?:the\s+)?(?P<which>lower|higher|greater|less|smaller|larger)\b"
)
_LLN = compile_i(
    r"\b(?:lower\s+limits?\s+of\s+(?:the\s+)?(?:institutional\s+)?normal|lln|limits?\s+of\s+normal)\b"
)
_UNIT_WORDS = {"%": r"(?:%|percent\b|per\s+cent\b)"}
_LOWER = {"lower", "less", "smaller"}
WHICHEVER = "whichever"  # atom attribute: ["lower" | "higher", the number written with the limit of normal]


def _numbers(text: str, unit: str) -> list[float]:
    words = _UNIT_WORDS.get(unit, re.escape(unit))
    return [float(m.group(1)) for m in re.finditer(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*{words}", text, re.I)]


def whichever_limits(atoms: list[Atom], text: str) -> list[Atom]:
    """`atoms` with a lab limit written "X or the lower limit of normal, whichever is lower / higher" read as the
    rule says (see the module docstring); any other atom as it was."""
    rule = _RULE.search(text)
    if rule is None or not _LLN.search(text):
        return atoms
    lower = rule.group("which").lower() in _LOWER
    out = []
    for a in atoms:
        limit = lower_limit(a.code) if a.kind == "lab" else None
        band = limit[1].get(LLN_BAND) if limit else None
        written = _numbers(text[: rule.start()], a.unit or "") if band else []
        if band is None or len(written) != 1 or a.operator not in ("<", "<=", ">", ">=") or a.condition:
            out.append(a)
            continue
        n = written[0]
        pick = min if lower else max
        low, high = pick(n, band[0]), pick(n, band[1])
        attrs = {k: v for k, v in a.attributes.items() if k not in (LLN_BAND, "lower_limit_of_normal")}
        if low != high:  # the record's own limit decides with the number (matching/atoms._lab_band)
            attrs |= {
                "lower_limit_of_normal": True,
                LLN_BAND: [low, high],
                WHICHEVER: ["lower" if lower else "higher", n],
            }
        out.append(replace(a, value=low, attributes=attrs))
    return out
