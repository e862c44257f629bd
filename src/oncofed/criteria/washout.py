"""Washout periods: "a washout period from prior chemotherapy of at least one week", "Required washout
from prior therapy:" followed by "Chemotherapy: 21 days".

A washout names how long ago a therapy must have ENDED, never whether it was given: a patient who had
chemotherapy two years ago is no concern of "Chemotherapy: 21 days". Read literally, the line was a bare
therapy atom (any chemotherapy, ever); here its atoms get the washout as their look-back window
(`Atom.window_days`, `attributes["washout"]`): under the exclusions, "X within N days" (an undated course
is unknown, a dated one decides); under the inclusions, where the washout is required, "no X within N
days" (`washout_in_inclusions`, once the section is known). Pure text analysis (an engine: imports
`domain` and the criteria number helpers only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.numbers import NUM, TIME_UNIT, days_of, num_of
from oncofed.domain import Atom, Criterion, Section

_AT_LEAST = r"(?:(?:of\s+)?(?:at\s+least|as\s+least|a\s+minimum\s+of|minimum(?:\s+of)?|≥|>=|>)\s*)?"
_IN_LINE = compile_i(
    rf"\bwash[\s-]?out\b[^.;]{{0,70}}?\b{_AT_LEAST}(?:of\s+)?(?P<n>{NUM})[\s-]*(?P<u>{TIME_UNIT})\b"
    rf"|\b(?P<n2>{NUM})[\s-]*(?P<u2>{TIME_UNIT})\s+(?:\w+\s+)?wash[\s-]?out\b"
    # "at least 4 weeks since prior chemotherapy", "less than 28 days from the last dose of ...": the time
    # since the therapy ended
    # ("a minimum of 28 days since", "no less than 2 weeks from", "21 days or more since": the same minimum)
    rf"|(?:\bat\s+least|\bmore\s+than|\bover|\bless\s+than|\bwithin|\b(?:a\s+)?minimum\s+of|\bminimum"
    rf"|\b(?:no|not)\s+(?:less|fewer)\s+than|\b(?:greater|longer)\s+than|[≥>≤<]=?)\s*(?P<n3>{NUM})[\s-]*"
    rf"(?P<u3>{TIME_UNIT})\s+(?:or\s+(?:more|longer)\s+)?(?:(?:have|has|must|elapsed|passed|since|from|after)\s+){{0,3}}?"
    rf"(?:since|from|after)\s+"
    r"(?:the\s+|their\s+)?(?:last|prior|previous|any|completion|end|final|stopping|discontinuation)\b"
    # "14 days or more since prior", "3 weeks or longer from the last dose"
    rf"|\b(?P<n6>{NUM})[\s-]*(?P<u6>{TIME_UNIT})\s+or\s+(?:more|longer)\s+(?:since|from|after)\s+"
    r"(?:the\s+|their\s+)?(?:last|prior|previous|any|completion|end|final|stopping|discontinuation)\b"
    # "PD-1 inhibitors only require a 14 day window", "hormone therapy needs a washout window of 2 weeks": a
    # window the therapy requires is a washout
    rf"|\b(?:requir\w*|need\w*|mandat\w*)\s+(?:only\s+)?(?:an?\s+|the\s+)?{_AT_LEAST}(?:of\s+)?(?P<n4>{NUM})[\s-]*"
    rf"(?P<u4>{TIME_UNIT})\s+(?:wash[\s-]?out\s+)?(?:window|interval|gap|period|break)\b"
    rf"|\b(?:requir\w*|need\w*|mandat\w*)\s+(?:only\s+)?(?:an?\s+|the\s+)?(?:wash[\s-]?out\s+)?(?:window|interval|gap|break)"
    rf"\s+{_AT_LEAST}(?:of\s+)?{_AT_LEAST}(?P<n5>{NUM})[\s-]*(?P<u5>{TIME_UNIT})\b"
)
# an item under a washout heading: "Chemotherapy: 21 days", "Radiation - 2 weeks"
_ITEM = compile_i(rf"^[^:;.]{{2,80}}?(?::|\s-)\s*{_AT_LEAST}(?P<n>{NUM})[\s-]*(?P<u>{TIME_UNIT})\b")


def _days(n: str | None, u: str | None) -> int | None:
    value = num_of(n) if n else None
    return days_of(value, u) if value is not None and u else None


def washout_windows(atoms: list[Atom], text: str, heading: str | None = None) -> list[Atom]:
    """The therapy atoms of a washout line with the washout as their window."""
    if not any(a.kind == "prior_therapy" and a.window_days is None for a in atoms):
        return atoms
    days = None
    m = _IN_LINE.search(text)
    if m:
        n = next((m.group(g) for g in ("n", "n2", "n3", "n4", "n5", "n6") if m.group(g)), None)
        days = _days(n, next((m.group(g) for g in ("u", "u2", "u3", "u4", "u5", "u6") if m.group(g)), None))
    elif heading and "wash" in heading.lower():
        item = _ITEM.match(text)
        days = _days(item.group("n"), item.group("u")) if item else None
    if days is None:
        return atoms
    return [
        replace(a, window_days=days, attributes={**a.attributes, "washout": True})
        if a.kind == "prior_therapy" and a.window_days is None and not a.attributes.get("min_days")
        else a
        for a in atoms
    ]


def washout_headings(texts: Sequence[str]) -> dict[int, str]:
    """The items under a washout heading ("Required washout from prior therapy:" then "Chemotherapy: 21
    days", "Radiation: 7 days"), by position, with the heading to read them under ("Washout:")."""
    out: dict[int, str] = {}
    active = False
    for k, text in enumerate(texts):
        if text.rstrip().endswith(":") and "wash" in text.lower():
            active = True
        elif active and _ITEM.match(text):
            out[k] = "Washout:"
        else:
            active = False
    return out


def washout_in_inclusions(criteria: Sequence[Criterion]) -> list[Criterion]:
    """Under the inclusions a washout is required: its therapy atoms read "no X within N days", however the line
    words it: "at least 4 weeks since prior chemotherapy" (an atom read as given) and "more than 7 days since prior
    and no concurrent chemotherapy", "must not have had chemotherapy for at least 4 weeks since the last dose" (an
    atom already negated by the line's "no" / "not") say the same. A toggle turned the second kind into "received
    chemotherapy", failing every patient who never had it."""
    out = []
    for c in criteria:
        if c.section is Section.INCLUSION and any(a.attributes.get("washout") for a in c.atoms):
            atoms = tuple(replace(a, negated=True) if a.attributes.get("washout") else a for a in c.atoms)
            c = replace(c, atoms=atoms)
        out.append(c)
    return out
