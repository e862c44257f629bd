"""Alternatives that carry their own parts: "Non-small cell lung cancer; small-cell lung cancer; breast
adenocarcinoma (female patients only); squamous cell cancer of the head and neck; or gastroesophageal
adenocarcinoma".

Each alternative of such a list is a cancer with its own histology and its own subjects: "squamous cell"
says which head and neck cancers count, "(female patients only)" whom the breast alternative is for. Read
as atoms of the line, the histology is either asked of every patient (a small-cell lung cancer fails
"squamous") or offered as an alternative of its own (any adenocarcinoma, of the colon too, meets the
line), and the sex excludes men with lung cancer or lets any woman in.

`own_parts` (run on one criterion's atoms once the alternatives are grouped) looks at a line whose cancer
atoms are alternatives (one group): a histology or a marker written against one cancer ("squamous cell cancer of the
head and neck", "adenocarcinoma of the pancreas", "triple negative breast cancer") and a sex in parentheses after
one ("(female patients only)") become that cancer atom's `condition` (the cancer AND its part, inside the
OR); a histology standing for an alternative whose organ the vocabulary did not read ("gastroesophageal
adenocarcinoma") is that alternative, unread: the investigator confirms it (non_evaluable in the group, so
another alternative met still decides).
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# between a histology and the cancer it qualifies: "squamous cell | cancer of ...", "adenocarcinoma | of the pancreas"
_BEFORE_CANCER = compile_i(r"^[\s-]*(?:(?:cell|cells)\s+)?(?:(?:of|from)\s+(?:the\s+)?)?$")
_AFTER_CANCER = compile_i(r"^[\s-]*$")
_SEX_IN_PARENS = compile_i(r"^\s*\(\s*$")
_ALTERNATIVE_END = compile_i(r"[;,]|\bor\b")


def _plain(a: Atom) -> Atom:
    return replace(a, attributes={k: v for k, v in a.attributes.items() if k != "group"})


def _owner(h: Atom, cancers: list[Atom], text: str) -> Atom | None:
    """The cancer atom a histology (or a sex in parentheses) is written against, if any."""
    if not h.span:
        return None
    hs, he = h.span
    for c in cancers:
        assert c.span is not None
        cs, ce = c.span
        if cs <= hs and he <= ce:  # "breast adenocarcinoma", "triple negative breast cancer"
            return c
        if h.kind == "biomarker":
            continue
        if he <= cs and _BEFORE_CANCER.match(text[he:cs]) and cs - he <= 12:
            return c
        if h.kind == "histology" and ce <= hs and _AFTER_CANCER.match(text[ce:hs]) and hs - ce <= 2:
            return c
        parenthesised = "(" in text[ce:hs] and text.find(")", he) >= 0
        if (
            h.kind == "sex"
            and 0 <= hs - ce <= 12
            and parenthesised
            and not _ALTERNATIVE_END.search(text[ce:hs])
        ):
            return c
    return None


def _listed(h: Atom, cancers: list[Atom], text: str) -> bool:
    """Whether a histology stands as an item of the list of cancer alternatives ("...; or gastroesophageal
    adenocarcinoma"): after a cancer alternative, a list separator between them."""
    assert h.span is not None
    before = [c.span[1] for c in cancers if c.span and c.span[1] <= h.span[0]]
    return bool(before) and bool(_ALTERNATIVE_END.search(text[max(before) : h.span[0]]))


def own_parts(atoms: list[Atom], text: str) -> list[Atom]:
    cancers = [
        a for a in atoms if a.kind == "cancer_type" and a.span and not a.negated and a.attributes.get("group")
    ]
    if len(cancers) < 2 or len({c.attributes.get("group") for c in cancers}) != 1:
        return atoms
    group = cancers[0].attributes["group"]
    parts = [a for a in atoms if a.kind in ("histology", "sex", "biomarker") and a.span and not a.negated]
    if not parts:
        return atoms
    attached: dict[int, list[Atom]] = {}
    unread: dict[int, Atom] = {}
    for h in parts:
        c = _owner(h, cancers, text)
        if c is not None:
            attached.setdefault(id(c), []).append(_plain(h))
        elif h.kind == "histology" and (h.attributes.get("group") == group or _listed(h, cancers, text)):
            # "gastroesophageal adenocarcinoma": an alternative whose organ no atom read; a cancer of
            # another histology is not it, one of this histology may be (the investigator confirms)
            unread[id(h)] = Atom(
                "non_evaluable", "present", code="other", span=h.span, text=h.text, condition=(_plain(h),),
                attributes={"group": group, "unread_alternative": {"kind": h.kind, "code": h.code}},
            )  # fmt: skip
    if not attached and not unread:
        return atoms
    taken = {id(p) for p in parts if _owner(p, cancers, text) is not None}
    out = []
    for a in atoms:
        if id(a) in taken:
            continue
        if id(a) in unread:
            a = unread[id(a)]
        elif id(a) in attached:
            a = replace(a, condition=(*a.condition, *attached[id(a)]))
        out.append(a)
    return out
