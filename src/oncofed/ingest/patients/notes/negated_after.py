"""A negation written AFTER the finding it denies, and a list of findings it reaches (verdicts35).

English notes also deny a finding after naming it: "Brain metastases ruled out on MRI", "pleural effusion
absent", "leptomeningeal disease was excluded", "liver and bone metastases not seen", "Arrhythmia hx: none",
"metastatic disease: none", "Allergies: none known". ConText's rules (written for criteria) read these as present, so a negated
finding became a confident positive one (a brain metastasis, hence stage IV). Found by
`benchmarks.audit_note_variants2` (the note's own "no X" rewritten "X ruled out", "X: none").

The grammar, not a vocabulary of findings:
- the cue follows the mention directly, with at most an auxiliary ("was / were / has been") and words that keep
  the mention as the head of its noun phrase ("disease", "hx", "history", "involvement", "lesions", "ever",
  "so far"): "Diabetes meds: none" or "chemo toxicity: none" keep the finding (another head: the meds, the
  toxicity), and "could not be ruled out", "not excluded", "excluded from the field" deny nothing;
- a list of mentions joined by "," "and" "or" "/" before the cue is denied as a whole ("liver and bone
  metastases ruled out", "HTN, diabetes: none" is NOT a list under one label: a comma before a colon
  ends the label, so only "diabetes" is denied).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# words after the finding that keep it as the head ("metastatic disease", "arrhythmia hx", "other chemo ever")
_HEAD_TAIL = r"(?:[\s-]+(?:disease|dz|hx|history|involvement|lesions?|ever|so\s+far|to\s+date|previously))*"
_AFTER = re.compile(
    _HEAD_TAIL + r"\s*(?:"
    # "ruled out", "excluded", "absent", "not seen" (an auxiliary and an adverb of time or quantity allowed)
    r",?\s*(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+)?(?:(?:both|all|also|now|since|then)\s+)?"
    r"(?:ruled\s+out|excluded|absent|not\s+(?:seen|found|detected|present|identified|demonstrated|visuali[sz]ed))"
    r"\b(?!\s+(?:from|for)\b)"
    # "X: none", "X hx: no", "X - none" (the label of a checklist item); "Allergies: none known", "nil
    # reported", "NKDA" (verdicts40: "none known" read as an allergy recorded)
    r"|[\s\u00a0]*(?::|\s-)\s*(?:no|none|absent|nil|negative|neg|nkda|nka|nkfa)"
    r"(?:\s+(?:known|reported|documented|recorded|noted|declared|identified|to\s+date))?\s*(?:[.;,)]|$)"
    r")",
    re.I,
)
_JOINED = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|/|&|\+)\s*", re.I)


def denied_after(text: str, spans: Sequence[tuple[int, int]], limits: Sequence[int]) -> list[bool]:
    """For each mention (start, end), in text order, with `limits[i]` the end of its clause: whether a negation
    written after it (or after the list it ends) denies it."""
    found = [_AFTER.match(text, e, max(e, lim)) for (_, e), lim in zip(spans, limits, strict=True)]
    out = [m is not None for m in found]
    cue = list(found)  # the cue a mention shares (its own, or the next one's in a list)
    for i in range(len(spans) - 2, -1, -1):  # "liver and bone metastases ruled out": the list shares the cue
        gap = text[spans[i][1] : spans[i + 1][0]]
        nxt = cue[i + 1]
        if out[i] or nxt is None or not _JOINED.fullmatch(gap):
            continue
        if ":" in nxt.group(0) and "," in gap:
            continue  # "HTN, diabetes: none": a comma ends the checklist label, only diabetes is denied
        out[i], cue[i] = True, nxt
    return out
