"""A list of receptor combinations and a receptor said not to matter (verdicts29).

"ER+/PR+, ER+/PR- or ER-/PR+ breast cancer": each slash-joined item is one combination (a conjunction: both
statuses hold), the list an OR of them. Read atom by atom, the statuses of every item were ANDed or grouped
across items ("PR+" OR "PR-" next to a required "ER+", or "PR-" required of all), so a patient who is
ER+/PR+ was excluded by a line written for her. `receptor_combinations` rewrites such a list as one OR
group whose alternatives are the combinations: the first status of an item is the alternative, the
others its `condition` (an atom in an OR group with a condition reads "condition and statement",
docs/DEVELOPING.md), so an item is met when all its statuses are, the line when one item is.

"regardless of HER2 status", "irrespective of PR": the receptor named after the cue is what the line does
not ask about; `regardless_of` drops the biomarker atoms read there (no requirement, whatever the status).
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# "HR+" is read as ER or PR (its own group, criteria/receptors.py): an item naming HR is left as read
_GENE = {"er": "ER", "pr": "PR", "pgr": "PR", "her2": "HER2"}
_STATUS = r"(?:\s*\(?\s*(?:\+|-|−|–)\s*\)?(?![\w+])|[\s-]*(?:positive|negative|pos|neg)\b)"
_ONE = rf"\b(?:ER|PR|PgR|HER2){_STATUS}"
_ITEM = rf"\(?{_ONE}(?:\s*/\s*{_ONE})+\)?"
_SEP = r"\s*(?:,\s*(?:and/or|or)?|;|\band/or\b|\bor\b)\s*"
# two items at least, joined by a comma, "or", "and/or" or ";"
_LIST = compile_i(rf"{_ITEM}(?:{_SEP}{_ITEM})+")
_ITEM_RE = compile_i(_ITEM)
_ONE_RE = compile_i(rf"\b(?P<g>ER|PR|PgR|HER2)(?P<s>{_STATUS})")
_RECEPTOR_WORD = r"(?:ER|PR|PgR|HER2|HR|hormone\s+receptors?|estrogen\s+receptors?|progesterone\s+receptors?)"
_STATUS_WORD = r"(?:positive|negative|positivity|status|expression|results?|\+|-)"
# "regardless of HER2 status", "irrespective of HER2-positive or HER2-negative status": the receptor words,
# their statuses and the joiners after the cue (what the line does not ask about)
_REGARDLESS = compile_i(
    r"\b(?:regardless|irrespective|independently|independent)\s+of\s+(?:the\s+|their\s+|its\s+)?"
    rf"{_RECEPTOR_WORD}(?:(?:[\s/-]+|\s*,\s*|\s+(?:and|or|and/or)\s+|\s*\(\s*|\s*\)\s*)"
    rf"(?:{_RECEPTOR_WORD}|{_STATUS_WORD}))*"
)


# "ER/PR positive OR negative disease allowed", "hormone receptor status: positive or negative", "ER+ or ER-",
# "HER2 (positive or negative)": a receptor given with both statuses states no requirement on it. The run of
# receptor words (with their "status", slashes, joiners and an opening parenthesis) right before the pair.
_POS = r"(?:positive|pos|\+)"
_NEG = r"(?:negative|neg|-|−|–)"
# (only "or" / "and/or" / a slash between the two: "ER positive, HER2 negative" names two receptors)
_PAIR = rf"(?:{_POS}\s*(?:or|and/or|/)\s*{_NEG}|{_NEG}\s*(?:or|and/or|/)\s*{_POS})"
_EITHER_WORD = rf"(?:{_RECEPTOR_WORD}|o?estrogen|progesterone)"
_EITHER = compile_i(
    rf"\b{_EITHER_WORD}(?:(?:[\s/-]+|\s*,\s*|\s+(?:and|or|and/or)\s+|\s*\(\s*|\s*\)\s*|\s*:\s*)"
    rf"(?:{_EITHER_WORD}|receptors?|status|expression))*(?:[\s-]*|\s*:\s*|\s*\(\s*)(?:status\s*:?\s*)?{_PAIR}(?![\w+])"
)


def either_status(atoms: list[Atom], text: str) -> list[Atom]:
    """Biomarker atoms of a receptor given with a status and its opposite ("ER/PR positive or negative"): no
    requirement of the line, as under "regardless of" (a status is not read from half of the pair)."""
    if "neg" not in text.lower() and "-" not in text and "−" not in text and "–" not in text:
        return atoms
    cues = [m.span() for m in _EITHER.finditer(text)]
    if not cues:
        return atoms

    def inside(a: Atom) -> bool:
        return a.kind == "biomarker" and a.span is not None and any(s <= a.span[0] < e for s, e in cues)

    return [a for a in atoms if not inside(a)]


def _status(raw: str) -> str:
    s = raw.strip(" -()").lower()
    return "positive" if s.startswith(("+", "pos")) else "negative"


def regardless_of(atoms: list[Atom], text: str) -> list[Atom]:
    """Biomarker atoms read inside "regardless of <receptor> status": no requirement of the line."""
    if (
        "regardless" not in text.lower()
        and "irrespective" not in text.lower()
        and "independ" not in text.lower()
    ):
        return atoms
    cues = [m.span() for m in _REGARDLESS.finditer(text)]
    if not cues:
        return atoms

    def inside(a: Atom) -> bool:
        return a.kind == "biomarker" and a.span is not None and any(s <= a.span[0] < e for s, e in cues)

    return [a for a in atoms if not inside(a)]


def receptor_combinations(atoms: list[Atom], text: str) -> list[Atom]:
    """A list of slash-joined receptor combinations: one OR group of conjunctions (module docstring)."""
    if "/" not in text:
        return atoms
    lists = [m for m in _LIST.finditer(text)]
    if not lists:
        return atoms
    out = list(atoms)
    for n, found in enumerate(lists):
        start, end = found.span()
        covered = [
            a
            for a in out
            if a.kind == "biomarker" and a.code in _GENE.values() and a.span and start <= a.span[0] < end
        ]
        if not covered:
            continue  # the extractor read none of it: nothing to rewrite
        template = covered[0]
        negated = template.negated
        group = f"receptors{n}"
        new: list[Atom] = []
        for item in _ITEM_RE.finditer(text, start, end):
            parts = [
                replace(
                    template,
                    operator="==",
                    value=_status(m.group("s")),
                    code=_GENE[m.group("g").lower()],
                    span=m.span(),
                    text=m.group(0),
                    attributes={"alteration": "status"},
                    condition=(),
                )
                for m in _ONE_RE.finditer(text, item.start(), item.end())
            ]
            head, *rest = parts
            new.append(replace(head, attributes={**head.attributes, "group": group}, condition=tuple(rest)))
        if negated:
            new = [replace(a, negated=True) for a in new]
        at = out.index(covered[0])
        out = [a for a in out if a not in covered]
        out[at:at] = new
    return out
