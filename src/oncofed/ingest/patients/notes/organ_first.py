"""A cancer a note names organ first, by the organ's noun: "left kidney clear cell carcinoma", "right ovary
serous carcinoma", "thyroid papillary carcinoma", "pancreas adenocarcinoma", "cervix squamous cell carcinoma".

    organ_first(text, known) -> [(start, end, "CANCER", code)]

The vocabularies name these "clear cell carcinoma of the kidney" or "renal clear cell carcinoma"; the organ's
noun written before the histology is read as "<organ adjective> <histology>" ("renal clear cell carcinoma"), else
as "<histology> of the <organ>" (the OncoTree lookup of the patient importers: a subtype where the vocabulary has
one, else the organ's tissue). Only where no cancer the
vocabulary read overlaps (`known`): "lung squamous cell carcinoma" stays the vocabulary's own reading.
"""

from __future__ import annotations

import re

from oncofed.ingest.patients.notes.lowered import lowered

_ORGANS = (
    r"kidney|ovary|thyroid|pancreas|rectum|oesophagus|esophagus|cervix|stomach|colon|bladder|lung|breast|liver|"
    r"prostate|endometrium|uterus|fallopian\s+tube|tongue|larynx|nasopharynx|oropharynx|gallbladder|anus|vulva|"
    r"vagina|testis|parotid"
)
# the organ's adjective, tried first: "renal clear cell carcinoma" is a subtype where "... of the kidney" is a tissue
_ADJECTIVE = {
    "kidney": "renal", "ovary": "ovarian", "pancreas": "pancreatic", "rectum": "rectal", "oesophagus": "oesophageal",
    "esophagus": "esophageal", "cervix": "cervical", "stomach": "gastric", "liver": "hepatic",
    "endometrium": "endometrial", "uterus": "uterine",
}  # fmt: skip
_MODIFIERS = (
    r"clear|squamous|small|large|serous|papillary|follicular|medullary|anaplastic|mucinous|endometrioid|ductal|"
    r"lobular|invasive|infiltrating|high[\s-]grade|low[\s-]grade|cell|urothelial|transitional|signet[\s-]ring|"
    r"neuroendocrine|poorly|moderately|well|differentiated|undifferentiated|acinar|chromophobe"
)
ADJECTIVE, MODIFIERS = _ADJECTIVE, _MODIFIERS  # read by notes/subsite.py too
_ORGAN_FIRST = re.compile(
    rf"\b(?P<organ>{_ORGANS})\s+(?P<histology>(?:(?:{_MODIFIERS})[\s-]+){{0,4}}(?:adeno)?carcinoma)\b", re.I
)


def organ_first(text: str, known: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(start, end, "CANCER", code) of each organ-first cancer no vocabulary mention (`known`) overlaps."""
    low = lowered(text)
    at = low.find("carcinoma")
    if at < 0:
        return []
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): positions differ, search it all
        low, at = "", 0
    from oncofed.ingest.patients.common import oncotree_lookup

    out: list[tuple[int, int, str, str]] = []
    done = 0  # the end of the last match: a window starts after it
    while at >= 0:  # the pattern ends at a "carcinoma": searched in a window before each one only
        m = _ORGAN_FIRST.search(text, max(done, at - 90), at + 9 if low else len(text))
        at = low.find("carcinoma", at + 9) if low else -1
        if m is None:
            continue
        done = m.end()
        if any(s < m.end() and m.start() < e for s, e in known):
            continue
        organ = " ".join(m.group("organ").lower().split())
        histology = " ".join(m.group("histology").lower().split())
        code = oncotree_lookup(f"{_ADJECTIVE.get(organ, organ)} {histology}")[0]
        code = code or oncotree_lookup(f"{histology} of the {organ}")[0]
        if code:
            out.append((m.start(), m.end(), "CANCER", code))
    return out
