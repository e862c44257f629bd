"""What "concurrent" reaches in a list of therapies, and a therapy named as the frame of another (verdicts40).

- "No other concurrent anticancer therapy, including chemotherapy, radiotherapy, immunotherapy, or hormonal
  therapy", "No concurrent cytarabine, fluorouracil, liposomal daunorubicin, or capecitabine": the word before the
  list makes every item current, but `conditions.therapy_tense` looks 50 characters back, so the items far along
  the list were read "no prior radiotherapy / capecitabine ever" (18 of the 105 corpus lines opening with "No
  concurrent / concomitant" read a list half current, half ever). An item stays as it was read when a word between
  the current one and it starts another statement ("prior", "previous", "since", "within", "during", "after",
  "for", "except", "unless", "allowed", a sentence end).
- "No concurrent pre-medication with corticosteroids as part of the chemotherapy regimen", "doxorubicin as part
  of the planned chemotherapy regimen", "anthracyclines as part of prior anticancer therapy": the therapy after
  "as part of" frames the one before it and is no statement of its own (read, a past carboplatin failed the
  line): dropped when the line names another therapy before it.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_STOPS = compile_i(
    r"[.;:]\s|\b(?:prior|previous(?:ly)?|history|since|within|during|after|following|before|for|except|unless|"
    r"other\s+than|allowed|permitted|provided|as\s+part\s+of|received|completed|if|when|at\s+least|more\s+than)\b"
)
_PART_OF = compile_i(
    r"\bas\s+(?:a\s+)?part\s+of\s+(?:the\s+|a\s+|an\s+|their\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,2}$"
)


def concurrent_lists(atoms: list[Atom], text: str) -> list[Atom]:
    """The atoms with "current" carried along a list of therapies, and without a therapy that only frames
    another (module docstring)."""
    therapies = sorted(
        (a for a in atoms if a.kind == "prior_therapy" and a.span), key=lambda a: a.span or (0, 0)
    )
    if len(therapies) < 2:
        return atoms
    drop: set[int] = set()
    current: dict[int, Atom] = {}
    anchor: Atom | None = None  # the last item of an unbroken run of current therapies
    for k, a in enumerate(therapies):
        lo, hi = a.span or (0, 0)
        if k and _PART_OF.search(text[max(0, lo - 50) : lo]):
            drop.add(id(a))  # "corticosteroids as part of the chemotherapy regimen": the frame
            continue
        if a.attributes.get("current"):
            anchor = a
        elif anchor is not None and anchor.span and not _STOPS.search(text, anchor.span[1], lo):
            current[id(a)] = replace(a, attributes={**a.attributes, "current": True})
            anchor = a
        else:
            anchor = None
    return [current.get(id(a), a) for a in atoms if id(a) not in drop]
