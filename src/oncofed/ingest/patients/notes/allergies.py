"""What a note's allergy is to: the words of the sentence that records it, less its negated parts.

"Allergies: codeine (nausea); egg allergy (urticaria)" records an allergy whose agents are named in the
same sentence; "stopped at C2 for G4 anaphylaxis (ch14.18 is a murine/human chimeric antibody)" too. The
evaluator (`matching/atoms.py`, `_named_allergy`) decides "allergic to eggs or soy" / "hypersensitivity
to murine proteins" on these words only: an allergy whose sentence names no such agent never decides
an allergy criterion naming its allergen. A clause (";", ",", "(") that negates ("no food allergy",
"NKDA", "pas d'allergie") names no agent.
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.domain import Fact
from oncofed.ingest.patients.notes.text import containing, sentences

_NEGATED = re.compile(
    r"\b(?:no|not|nil|none|denies|denied|without|negative|nkda|nka|nkfa|pas|aucune?|sans)\b", re.IGNORECASE
)
_CLAUSE = re.compile(r"[;,()\[\]]")
AGENT = "agent"


def with_agents(facts: list[Fact], text: str) -> list[Fact]:
    """`facts` with each recorded (not negated) hypersensitivity given `attributes["agent"]`: the words of
    its sentence outside negated clauses (at most 200 characters)."""
    if not any(f.code == "hypersensitivity" and not f.negated for f in facts):
        return facts
    out = []
    for f in facts:
        span = f.provenance.span if f.provenance else None
        if f.code == "hypersensitivity" and not f.negated and span and AGENT not in f.attributes:
            sentence = containing(sentences(text), span[0])
            if sentence is not None:
                parts = _CLAUSE.split(text[sentence[0] : sentence[1]])
                agent = " ".join(" ".join(p for p in parts if not _NEGATED.search(p)).split())[:200]
                if agent:
                    f = replace(f, attributes={**f.attributes, AGENT: agent})
        out.append(f)
    return out
