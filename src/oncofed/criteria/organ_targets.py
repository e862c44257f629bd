"""A surgery named by the organ it removes is a surgery of that organ (verdicts40).

"Malabsorption syndrome, ... or resection of the stomach or small bowel" (the template of about twenty trials
of oral drugs), "gastric bypass surgery", "extensive small bowel resection", "prior gastrointestinal surgery":
read as "any surgery", every patient with a mastectomy or a colectomy was kept out (or, under "No history of ...",
failed the inclusion). The organ is the surgery's target (`attributes["target"]`, kind `organ`), read against the
record by `matching/therapy_site.py` as verdicts36's metastasis targets are: a recorded surgery naming the
organ meets it, one naming another organ ("mastectomy", "sigmoid colectomy" for the small bowel) does not (a
presumption: it never excludes), one naming none ("surgery") leaves the line unknown.

A target is given only when every mention of the surgery in the line names its organ ("prior surgery or
resection of the small bowel" keeps "any surgery").
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# organ words -> organ code, longest first ("small bowel" before "bowel")
_ORGANS: tuple[tuple[str, str], ...] = (
    (r"small[\s-]+(?:bowel|intestines?|intestinal)|ileum|ileal|jejun\w*|duoden\w*", "small_bowel"),
    (r"gastro-?intestinal|GI|digestive(?:\s+tract)?", "gastrointestinal"),
    (r"stomach|gastric(?:\s+bypass)?|bariatric|gastrectomy", "stomach"),
    (r"large[\s-]+(?:bowel|intestines?)|colon|colonic|colorectal|bowel|intestines?|intestinal", "bowel"),
    (r"(?:o)?esophag\w*|(?:o)?esophageal", "oesophagus"),
)
_ORGAN = "|".join(p for p, _ in _ORGANS)
_ORGAN_RES = [(re.compile(rf"(?:{p})", re.I), code) for p, code in _ORGANS]
_SURGERY_WORD = r"(?:surgery|surgeries|resections?|operations?|removal|bypass)"
# "gastric bypass surgery", "extensive small bowel resection", "GI surgery": the organ before the word
_JOIN = r"\s*(?:,|/|\band/or\b|\bor\b|\band\b)\s*"
_BEFORE = compile_i(
    rf"\b(?P<o>(?:{_ORGAN})(?:{_JOIN}(?:{_ORGAN}))*)\s+(?:(?:bypass|major|extensive|prior|previous)\s+)?$"
)
_SPLIT = compile_i(_JOIN)
# "resection of the stomach or small bowel", "surgery on the bowel"
_AFTER = compile_i(
    rf"^\s+(?:of|on|to)\s+(?:the\s+)?(?P<o>{_ORGAN})(?:\s*(?:,|or|and|and/or|/)\s*(?:the\s+)?(?P<p>{_ORGAN}))?\b"
)


def _organ(words: str) -> str | None:
    return next((code for rx, code in _ORGAN_RES if rx.fullmatch(words.strip())), None)


def _organs_of(text: str, span: tuple[int, int]) -> list[str]:
    found = []
    before = _BEFORE.search(text[max(0, span[0] - 40) : span[0]])
    if before:  # "gastric or duodenal surgery": each organ of the list
        found += [w for w in _SPLIT.split(before.group("o")) if w and w.strip()]
    after = _AFTER.match(text[span[1] : span[1] + 60])
    if after:
        found += [w for w in (after.group("o"), after.group("p")) if w]
    return [o for o in (_organ(w) for w in found) if o]


def organ_targets(atoms: list[Atom], text: str) -> list[Atom]:
    """Surgery atoms whose every mention names an organ get the organs as `attributes["target"]`."""
    out = []
    for a in atoms:
        if a.kind == "prior_therapy" and a.code == "surgery" and a.span and not a.attributes.get("target"):
            spans = [a.span, *(tuple(s) for s in a.attributes.get("also_spans", ()))]
            organs = [_organs_of(text, (int(s[0]), int(s[1]))) for s in spans]
            if all(organs):
                codes = sorted({o for per in organs for o in per})
                a = replace(
                    a, attributes={**a.attributes, "target": [{"kind": "organ", "code": c} for c in codes]}
                )
        out.append(a)
    return out
