"""What a drug of a note was given for, when the note names a condition other than a cancer as its
indication: "psoriatic arthritis on methotrexate 15 mg/week", "methotrexate for an ectopic pregnancy",
"COPD treated with prednisone", "rituximab (for granulomatosis with polyangiitis)".

A drug given for such a condition is no anticancer therapy: its `treatment` fact keeps the drug (a
criterion naming the drug, or a class that is no anticancer therapy such as corticosteroids, still meets
it) with `attributes.indication` (the condition's code) and `attributes.anticancer` False, and it counts
as no line of systemic therapy, no prior anticancer therapy (`matching.facts.PatientView.systemic_treatments`).

The link is written next to the drug, in its sentence, nothing else between the two but a dose, a
schedule or a date: the condition then the drug ("<condition> on / treated with / managed with / : /
( <drug>"), or the drug then the condition ("<drug> ... for / to treat / against <condition>"). A cancer
named in between, or any other wording, leaves the drug an anticancer treatment (the reader's default:
a drug of the anticancer vocabulary in a cancer patient's note).
"""

from __future__ import annotations

import bisect
import re

from oncofed.ingest.patients.notes.mentions import Target
from oncofed.ingest.patients.notes.text import containing, sentences

# conditions of the history that are no cancer (`COMORBIDITY` codes of vocab/notes_patient.yaml and
# vocab/conditions.tsv); another malignancy's treatment is an anticancer therapy all the same
NOT_INDICATIONS = frozenset({"prior_malignancy", "organ_adenoma"})

# between a condition and its drug: "RA on", "RA treated with", "RA: ", "RA (on ..."; after a comma only a
# drug taken along ("History of RA, on methotrexate"), not "with lupus, treated with paclitaxel" (the cancer's)
_VERB = (
    r"(?:on|treated\s+with|treated\s+by|managed\s+with|controlled\s+with|maintained\s+on|receiving|taking|takes|"
    r"requiring|under|with|on\s+treatment\s+with)"
)
_ALONG = (
    r"(?:(?:currently|previously|now|still|long[- ]term|chronically)\s+)?(?:on|taking|takes|maintained\s+on)"
)
_CONDITION_THEN_DRUG = re.compile(
    r"\s*\)?(?:\s*[:(]\s*(?:" + _VERB + r"\s+)?|\s+" + _VERB + r"\s+|\s*,\s*" + _ALONG + r"\s+)"
    r"(?:(?:weekly|daily|low[- ]dose|oral|long[- ]term|chronic|maintenance)\s+)*",
    re.I,
)
# a dose, a schedule or a date written right after a drug ("15 mg/week", "weekly", "since 2023", "(03/2022)")
_DOSE_OR_DATE = (
    r"(?:\s*,?\s*\(?\s*(?:\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg|iu)(?:\s*/\s*(?:week|wk|day|d|m2|kg))?|weekly|daily|"
    r"once\s+(?:a\s+)?week(?:ly)?|per\s+week|a\s+week|po|sc|iv|im|orally|since\s+\d{4}|(?:in|en)\s+\d{4}|"
    r"\d{1,2}/\d{4}|from\s+\S+\s+to\s+\S+|x\s*\d+|\d+\s+(?:cycles?|doses?))\s*\)?)*"
)
# between a drug and its condition: "methotrexate 15 mg weekly for", "methotrexate (03/2022) given for"
_DRUG_THEN_CONDITION = re.compile(
    _DOSE_OR_DATE
    + r"\s*,?\s*\(?\s*(?:(?:(?:was|were|is|are)\s+)?(?:given|prescribed|started|used|taken)(?:\s+by\s+(?:her\s+|his\s+|the\s+)?[\w-]+)?\s*)?"
    + _DOSE_OR_DATE
    + r"\s*(?:for|to\s+treat|against|as\s+(?:a\s+)?treatment\s+(?:of|for)|indicated\s+for)\s+"
    r"(?:(?:her|his|the|a|an|known|severe|chronic|refractory|active|underlying|an?\s+episode\s+of)\s+)*",
    re.I,
)
_COORDINATED = re.compile(r"\s*(?:,|\+|/|and|then|or)\s*", re.I)


def indications(text: str, found: list[Target]) -> dict[int, str]:
    """{start of a drug mention: the code of the condition the note says it was given for}."""
    conditions = [
        t
        for t in found
        if t.label == "COMORBIDITY" and t.code not in NOT_INDICATIONS and not t.negated and t.scope is None
    ]
    if not conditions:
        return {}
    drugs = sorted((t for t in found if t.label in ("DRUG", "CLASS")), key=lambda t: t.start)
    if not drugs:
        return {}
    others = sorted(
        (t.start, t.end) for t in found if t.label not in ("COMORBIDITY", "DRUG", "CLASS", "MED", "MEDCLASS")
    )
    sents = sentences(text)
    out: dict[int, str] = {}
    previous: Target | None = None
    for d in drugs:
        sent = containing(sents, d.start)
        code = None
        for c in conditions:
            if sent is None or containing(sents, c.start) != sent or _between(others, c, d):
                continue
            if (
                c.end <= d.start
                and _CONDITION_THEN_DRUG.fullmatch(text, c.end, d.start)
                or d.end <= c.start
                and _DRUG_THEN_CONDITION.fullmatch(text, d.end, c.start)
            ):
                code = c.code
        if (
            code is None
            and previous is not None
            and previous.start in out
            and _COORDINATED.fullmatch(text, previous.end, d.start)
        ):
            code = out[previous.start]  # "RA on methotrexate and prednisone": both for the RA
        if code is not None:
            out[d.start] = code
        previous = d
    return out


def _between(spans: list[tuple[int, int]], a: Target, b: Target) -> bool:
    """Whether another mention (a cancer, a site, a status; `spans` sorted) lies between two mentions."""
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    i = bisect.bisect_left(spans, (lo, -1))
    return i < len(spans) and spans[i][1] <= hi
