"""A suspected cancer the biopsy replaced: "Suspected lung cancer; CT-guided biopsy showed a diffuse large
B-cell lymphoma", "Suspicion de néoplasie pancréatique. La biopsie retrouve un cholangiocarcinome".

The suspicion is no diagnosis: the cancer a biopsy, a histology or a pathology report then names is the
patient's (the primary), and the suspected one is neither the primary nor another malignancy of the
patient's history. A suspected cancer with no later confirmed one is left as read (the note says no more).
French notes arrive rewritten (criteria/french.py: "suspicion de" -> "possible"); the French result verbs
("a montré", "retrouve", "met en évidence", "objective", "confirme") are matched as written.
"""

from __future__ import annotations

from oncofed.criteria.caseless import compile_i
from oncofed.ingest.patients.notes.mentions import Target

# the cue right before a cancer (same clause): what was suspected, not found
_SUSPECTED = compile_i(
    r"\b(?:suspected|suspicion\s+(?:of|for)|suspicious\s+(?:of|for)|possible|probable|presumed|presumptive|"
    r"query|concern\s+for|worrisome\s+for|evocative\s+of|r/o|rule\s+out)\s+(?:[\w-]+\s+){0,3}$"
)
# a result of a tissue examination right before a cancer (same sentence)
_CONFIRMED = compile_i(
    r"\b(?:biops\w*|histolog\w*|patholog\w*|cytolog\w*|resection|specimen|fna|ebus|immunohisto\w*|excision|"
    r"surgery|operative)\b[^.;]{0,80}?\b(?:showed|shows|revealed|reveals|confirmed|confirms|demonstrated|"
    r"demonstrates|found|consistent\s+with|diagnostic\s+of|in\s+favou?r\s+of|a\s+montr[ée]|montre|retrouv\w*|"
    r"a\s+retrouv[ée]|(?:met|mis)\s+en\s+[ée]vidence|objectiv\w*|confirm\w*)\b[^.;]{0,40}$"
    r"|\b(?:final|definitive|histological|pathological)\s+diagnosis\s*(?:is|was|:)?\s*(?:[\w-]+\s+){0,3}$"
    r"|\b(?:biops\w*|histology|pathology|anapath\w*)\s*(?:report\s*)?:\s*(?:[\w-]+\s+){0,3}$"
)


def _suspected(text: str, t: Target) -> bool:
    return bool(_SUSPECTED.search(text, max(0, t.start - 60), t.start))


def _confirmed(text: str, t: Target) -> bool:
    return bool(_CONFIRMED.search(text, max(0, t.start - 160), t.start))


def without_suspected(text: str, found: list[Target]) -> list[Target]:
    """`found` without the suspected cancers a later confirmed cancer replaced."""
    cancers = [t for t in found if t.label == "CANCER" and not t.negated and t.scope is None]
    if len(cancers) < 2:
        return found
    drop = set()
    for i, t in enumerate(cancers):
        if _suspected(text, t) and any(u.start > t.end and _confirmed(text, u) for u in cancers[i + 1 :]):
            drop.add(id(t))
    return [t for t in found if id(t) not in drop] if drop else found
