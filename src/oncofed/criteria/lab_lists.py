"""A list of laboratory analytes that shares the one threshold written after it (verdicts38).

Organ-function lines name their analytes as a list and write one threshold at its end: "AST/ALT <= 2.5 x ULN",
"Serum AST, ALT, and alkaline phosphatase  2 times upper limit of normal", "Aspartate aminotransferase (AST) (serum
glutamic oxaloacetic transaminase [SGOT]) / alanine aminotransferase (ALT) (SGPT) =< 2.5 x ULN". The reader lost the
first analytes of such a list in three ways, all of them grammar rather than wording:

- an analyte restated in brackets more than once ("(AST) (SGOT)", "(AST) (serum glutamic ... [SGOT])"): only the
  first restatement was merged, so the list was cut at the second one;
- list connectives written together (", and", "and/or", ", or") or a closing bracket before them ("(AST, ALT )"):
  the link to the next analyte was not seen;
- a test the reader has no threshold for (alkaline phosphatase, GGT, LDH, PT/PTT) standing between the last analyte
  and a threshold whose sign the registry lost ("AST, ALT, and alkaline phosphatase  2 x ULN").

`merged_restatements` drops a mention that restates the previous one (same analyte, only brackets, a slash and
the words of the bracket between them, or only closing brackets) and carries the kept mention's end to it; `SHARES_NEXT` is the gap between
two analytes of one list; `OTHER_LAB_ITEMS` is the tail of such a list made of tests without a threshold reading,
allowed before a bare threshold (criteria/implied_sign.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from oncofed.criteria import vocab
from oncofed.criteria.caseless import Caseless, compile_i
from oncofed.criteria.implied_sign import no_range_after
from oncofed.criteria.units import ULN
from oncofed.domain.criteria import Atom
from oncofed.resources import load_tsv

# between an analyte and its restatement: closing brackets, then an opening bracket or a slash, then at most a few
# words with no digit and no connective (the rest of a bracketed name: "(serum glutamate pyruvate transaminase [")
_WORD = r"(?!(?:and|or|with|without|if|in|for|unless|than|must|is|are|be)\b)[^\W\d][\w-]*"
_RESTATES = compile_i(rf"[\s)\]]*(?:[(\[/]\s*(?:{_WORD}\s*){{0,5}}[(\[]?\s*)?")
# tests that organ-function lists name beside the analytes of resources/labs.tsv, with no threshold reading of
# their own (a list item, never an atom)
_OTHER = (
    r"(?:(?:serum\s+|total\s+)?alkaline\s+phosphatases?|alp|alkp|ap|(?:gamma[\s-]?)?gt|ggt|ldh|lactate\s+dehydrogenase"
    r"|bun|urea|uric\s+acid|lipase|amylase|pt|ptt|aptt|inr|prothrombin\s+time|(?:activated\s+)?partial\s+"
    r"thromboplastin\s+time)(?:\s*\([^()\d]{1,20}\))?"
)
_CLOSING = compile_i(r"(?:\s*[)\]])+")
# the list's link between two analytes: closing or whole brackets, then one or more connectives, with tests of
# `_OTHER` among them ("ALT, AST, alkaline phosphatase, total bilirubin 2.5x ULN")
SHARES_NEXT = compile_i(
    r"(?:[\s)\]]|\([^()\d]{0,40}\)|\[[^\[\]\d]{0,40}\])*"
    rf"(?:\s*(?:/|,|&|\band\b|\bor\b)\s*(?:{_OTHER}\b)?)+\s*(?:the\s+|serum\s+|total\s+|direct\s+)?"
    rf"(?:(?:{_WORD}\s*){{1,5}}[(\[]\s*)?"  # a name the vocabulary lacks, restated by the analyte in brackets
)
OTHER_LAB_ITEMS = rf"(?:[\s)\]]*(?:\s*(?:/|,|&|\band\b|\bor\b))+\s*{_OTHER}\b)*"


def merged_restatements(text: str, mentions: list[vocab.Mention]) -> list[vocab.Mention]:
    """The mentions with each restatement of the previous analyte merged into it ("Aspartate aminotransferase
    (AST) (SGOT)" is one mention, ending after "SGOT")."""
    out: list[vocab.Mention] = []
    for m in mentions:
        if out and out[-1].code == m.code and _RESTATES.fullmatch(text, out[-1].end, m.start):
            gap = text[out[-1].end : m.start]
            opened = gap.count("(") + gap.count("[") - gap.count(")") - gap.count("]")
            closing = _CLOSING.match(text, m.end)  # the restatement's own brackets close with it
            end = m.end
            if closing is not None and opened > 0:
                end += len(closing.group()) if len(closing.group().replace(" ", "")) <= opened else 0
            out[-1] = replace(out[-1], end=end)
            continue
        out.append(m)
    return out


def shares_next(window: str) -> bool:
    """Whether the text between two analytes links them in one list."""
    return SHARES_NEXT.fullmatch(window) is not None


_OTHER_ITEMS = compile_i(rf"^{OTHER_LAB_ITEMS}")
# the sense written after a multiple of the ULN: "creatinine 1.5 times ULN or less" (a unit's is read by the caller)
_OR_SENSE = compile_i(
    r"\s*(?:\([^()]{0,30}\)\s*)?(?:or|and)\s+(?P<dir>less|lower|below|under|smaller|more|greater|higher|above|over)\b"
    r"(?!\s+than)"
)


def bare_limit(window: str, at: int, bare_re: Caseless) -> tuple[re.Match[str] | None, int, str | None]:
    """The limit with no sign right after an analyte (`window` starts at `at` in the line), or after a tail of
    tests without a threshold reading ("AST, ALT, and alkaline phosphatase  2 x ULN": a multiple of the ULN only):
    (match on the window from the returned offset, that offset, the sense written after a ULN multiple or None).
    A range or a sense written after the number gives no match, except "or less" / "or more" after a multiple of
    the ULN, which is that multiple's sense ("<=" / ">=")."""
    bare = bare_re.match(window)
    if bare is None and (others := _OTHER_ITEMS.match(window)) is not None and others.end() > 0:
        bare = bare_re.match(window[others.end() :])
        if bare is None or not bare.group("uln"):
            return None, at, None
        window, at = window[others.end() :], at + others.end()
    if bare is None:
        return None, at, None
    if bare.group("uln") and (sense := _OR_SENSE.match(window, bare.end())) is not None:
        return bare, at, "<=" if sense.group("dir").lower() in _DOWN else ">="
    return (bare, at, None) if no_range_after(window, bare.end()) else (None, at, None)


_DOWN = {"less", "lower", "below", "under", "smaller"}


def shared_fits(code: str | None, last: str | None, raw_unit: str | None, unit: str | None) -> bool:
    """Whether a threshold written after a list, read for its last analyte `last`, can be an earlier analyte's
    (`code`): a multiple of the ULN; a unit that converts to the analyte's own ("creatinine or creatinine clearance
    >= 60 mL/min" is the clearance's); a number without a unit only between analytes measured in the same unit
    ("SGOT or SGPT < 92.5", never "total bilirubin, ALT < 3 x normal": 3 mg/dL of bilirubin)."""
    if raw_unit == "x ULN":
        return True
    ref = vocab.lab_reference()
    canon = (ref.get(code or "", {}).get("unit") or "").replace(" ", "").lower()
    if raw_unit is None:
        return bool(canon) and canon == (ref.get(last or "", {}).get("unit") or "").replace(" ", "").lower()
    return bool(canon) and (unit or "").replace(" ", "").lower() == canon


_JOINED = compile_i(r"[\s)\]]*(?:(?:,|/|&|\band\b|\bor\b)\s*)+(?:(?:both|either|the|serum|total)\s+)*")


def joined_labs(cond: list[Atom], text: str) -> list[Atom]:
    """The lab atoms of a "for patients with <lab>" clause: the first, and those joined to it by a connective. A
    lab after the condition's threshold with no connective between begins the line's own list (a flattened line:
    "OR direct bilirubin <= ULN for subjects with total bilirubin > 1.5 ULN aspartate aminotransferase ...")."""
    labs = sorted((a for a in cond if a.kind == "lab" and a.span), key=lambda a: a.span[0] if a.span else 0)
    if len(labs) < 2:
        return cond
    dropped: set[int] = set()
    prev = labs[0]
    for a in labs[1:]:
        if (
            a.span
            and prev.span
            and a.span[0] >= prev.span[1]
            and not _JOINED.fullmatch(text, prev.span[1], a.span[0])
        ):
            dropped.update(id(x) for x in labs if x.span and a.span and x.span[0] >= a.span[0])
            break
        prev = a
    return [a for a in cond if id(a) not in dropped]


@cache
def _sides() -> dict[str, str]:
    return {row["analyte"]: row["side"] for row in load_tsv("normal_sides.tsv")}


def normal_limits(code: str | None) -> list[tuple[str, float, str | None, dict[str, Any]]]:
    """What "within (institutional) normal limits / range of normal", "normal", "WNL" ask of an analyte, by the
    side table resources/normal_sides.tsv: (operator, value, unit, attributes) for each limit. "LVEF within
    institutional range of normal" is LVEF >= its LLN (it was read <= 1 x ULN); "platelets within normal limits" is
    both limits; an analyte the table does not list, or a limit labs.tsv lacks, gives nothing (unknown)."""
    side = _sides().get(code or "")
    ref = vocab.lab_reference().get(code or "", {})
    out: list[tuple[str, float, str | None, dict[str, Any]]] = []
    if side in ("lower", "both") and (lower := lower_limit(code)):
        out.append((">=", lower[0], ref.get("unit") or None, lower[1]))
    if side in ("upper", "both") and (side == "upper" or ref.get("uln")):
        out.append(("<=", 1.0, ULN, {}))
    return out


LLN_BAND = (
    "lln_band"  # atom attribute: [lowest, highest] lower limit of normal in use (resources/lln_bands.tsv)
)


@cache
def _bands() -> dict[str, tuple[float, float]]:
    return {row["analyte"]: (float(row["low"]), float(row["high"])) for row in load_tsv("lln_bands.tsv")}


def lower_limit(code: str | None) -> tuple[float, dict[str, Any]] | None:
    """The lower limit of normal a criterion means without giving its number ("LVEF within institutional range of
    normal", "haemoglobin >= LLN"): (value, attributes). Where centres use different limits (lln_bands.tsv: LVEF
    50-55 %) the value is the lowest and the attributes carry the band, so that the matching decides only outside
    it (a patient at 52 % meets a 50 % limit and fails a 55 % one: unknown); else labs.tsv's LLN; None without one."""
    band = _bands().get(code or "")
    if band is not None:
        return band[0], {"lower_limit_of_normal": True, LLN_BAND: [band[0], band[1]]}
    lln = vocab.lab_reference().get(code or "", {}).get("lln", "")
    return (float(lln), {"lower_limit_of_normal": True}) if lln else None
