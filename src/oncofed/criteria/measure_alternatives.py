"""Alternatives on one measure, each with its own conditions (verdicts39): "who are: age >= 60 years; or age
< 60 with amenorrhea for 12 months", "either aged 55 or older, or younger than 55 with a bilateral
oophorectomy", "age >= 18 years, or age >= 12 years with a body weight >= 40 kg".

Read as atoms of the line, the two thresholds were ANDed ("age >= 60 AND age < 60": no patient; verdicts37's
`coverage.contradiction` then made the line unknown) and the words after the second ("with amenorrhea ...")
were asked of every patient, or read nowhere. `measure_alternatives` (run once a criterion's atoms are grouped)
makes two thresholds on one measure an OR group when the grammar says so: "; or" / ", or" between them, or
"either" before the first and "or" between. An alternative followed by its own qualifier ("with ...", "and
...", "who ...", "if ...") up to the next alternative is that threshold AND the qualifier: its atoms read there
become its condition, and since a qualifier is rarely read whole, the alternative is kept unread
(`non_evaluable`, the threshold and the qualifier's atoms as its condition: false when they fail, else to
check). Any other shape keeps the atoms as they were."""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_NUMERIC = frozenset({"age", "lab", "ecog", "karnofsky", "life_expectancy", "prior_lines"})
_BOUNDS = frozenset({">=", ">", "<=", "<"})
# between two alternatives: "years; or ", ", or ", "or older, or " (the unit or a sense may come first)
_SEPARATOR = compile_i(r"^[^;.]{0,25}?(?P<punct>[;,])?\s*\bor\b\s*(?:else\s+)?$")
_EITHER = compile_i(r"\beither\b[^;.]{0,40}$")
# the qualifier of one alternative: "with ...", "and ...", "who ...", "if ...", "in the presence of ..."
_QUALIFIER = compile_i(
    r"^\s*(?:years?(?:\s+old)?|yrs?|y/?o|of\s+age|or\s+(?:older|more|above|younger|less|below|under))?\s*,?\s*"
    r"(?:with|and|who|if|plus|having|in\s+the\s+presence\s+of)\b\s*\w"
)


def _alternatives(a: Atom, b: Atom, text: str) -> bool:
    if a.kind != b.kind or a.kind not in _NUMERIC or a.operator not in _BOUNDS or b.operator not in _BOUNDS:
        return False
    if (a.code or "") != (b.code or "") or (a.unit or "") != (b.unit or ""):
        return False
    if a.negated or b.negated or a.condition or b.condition or not a.span or not b.span:
        return False
    sep = _SEPARATOR.match(text[a.span[1] : b.span[0]])
    if sep is None:
        return False
    return bool(sep.group("punct")) or _EITHER.search(text[max(0, a.span[0] - 50) : a.span[0]]) is not None


def measure_alternatives(atoms: list[Atom], text: str) -> list[Atom]:
    """`atoms` with two thresholds on one measure written as alternatives read as an OR group, an alternative
    with its own qualifier read unread (see the module docstring)."""
    spanned = sorted((a for a in atoms if a.span), key=lambda a: a.span or (0, 0))
    pair = next(
        ((x, y) for i, x in enumerate(spanned) for y in spanned[i + 1 :] if _alternatives(x, y, text)), None
    )
    if pair is None:
        return atoms
    first, second = pair
    assert first.span and second.span
    ends = {id(first): second.span[0], id(second): _end(text, second.span[1])}
    if not _only_pair(atoms, text, first, second, ends[id(second)]):
        return atoms
    group = first.attributes.get("group") or f"alt{first.span[0]}{first.kind}"
    replaced: dict[int, Atom] = {}
    absorbed: set[int] = set()
    for alt in (first, second):
        assert alt.span
        tail = text[alt.span[1] : ends[id(alt)]]
        plain = replace(alt, attributes={k: v for k, v in alt.attributes.items() if k != "group"})
        if not _QUALIFIER.match(tail):
            replaced[id(alt)] = replace(alt, attributes={**alt.attributes, "group": group})
            continue
        lo, hi = alt.span[1], ends[id(alt)]
        inside = [a for a in atoms if a.span and lo <= a.span[0] and a.span[1] <= hi and a is not alt]
        absorbed |= {id(a) for a in inside}
        parts = tuple(
            replace(a, attributes={k: v for k, v in a.attributes.items() if k != "group"}) for a in inside
        )
        replaced[id(alt)] = Atom(
            "non_evaluable", "present", code="other", span=(alt.span[0], hi), text=text[alt.span[0] : hi],
            condition=(plain, *parts), attributes={"group": group, "unread_alternative": {"kind": alt.kind}},
        )  # fmt: skip
    return [replaced.get(id(a), a) for a in atoms if id(a) not in absorbed]


def _end(text: str, start: int) -> int:
    """Where the last alternative's own words end: the next ";" or full stop, else the line's end."""
    stops = [i for i in (text.find(";", start), text.find(". ", start)) if i >= 0]
    return min(stops) if stops else len(text.rstrip(". "))


_MORE = compile_i(r"\bor\b")
_LIST_START = compile_i(r"[:;]")


def _only_pair(atoms: list[Atom], text: str, first: Atom, second: Atom, end: int) -> bool:
    """The two thresholds are the whole list of alternatives: no other alternative after the second ("; or
    status-post bilateral oophorectomy": its atoms are read as the line's, not as an alternative), none listed
    before the first since the list opened ("Documented oophorectomy, Age 60 years or more, OR Age 45 to 59"),
    and no other threshold on the measure inside the second ("Age 45 to 59 and ...": a range)."""
    assert first.span and second.span
    if _MORE.search(text, end):
        return False
    opened = max((m.end() for m in _LIST_START.finditer(text, 0, first.span[0])), default=0)
    for a in atoms:
        if a is first or a is second or not a.span:
            continue
        if opened <= a.span[0] < first.span[0] and a.kind != "sex":
            return False
        if a.kind == first.kind and a.span[0] < end and a.span[1] > second.span[0]:
            return False
    return True
