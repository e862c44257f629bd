"""Therapies named as examples of a therapy class are the class, in the class's setting.

"Prior systemic therapy for metastatic disease. This includes: chemotherapy, HER2-targeted therapy (e.g.,
trastuzumab) or other investigational therapy", "No prior immunotherapy in the advanced setting, such as
anti-PD-1 or anti-CTLA-4 antibodies": the drugs and classes after the cue illustrate the class named
before it. Read literally, each example was a requirement of its own, ANDed with the class: under the
exclusions a patient given chemotherapy for metastatic disease was cleared because no lapatinib was
recorded, and the examples lost the class's setting (any adjuvant trastuzumab counted). Here the
examples join the class's OR group (`attributes["group"]`) and take its setting, window and negation
when they name none of their own: the class holds when any of them does, in the same setting.

Only a class head (a generic name of vocab/therapy_groups.tsv or a drug class: `attributes["class"]`),
only the cues that always introduce examples ("such as", "e.g.", "for example", "this includes",
"including but not limited to", "i.e."): a bare "including" under the inclusions often narrows
("prior chemotherapy including a platinum") and is left alone. Pure text analysis (an engine: imports
`domain` and the criteria helpers only).
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_THERAPY = {"prior_therapy"}
_CUE = compile_i(
    r"(?:\b(?:this|these|which|that)\s+(?:includes?|include|comprises?)\b|\bincluding\s+but\s+not\s+limited\s+to\b|"
    r"\bsuch\s+as\b|\be\.\s?g\.?|\bi\.\s?e\.?|\bfor\s+(?:example|instance)\b|\bnamely\b)\s*:?"
)
# between the class and the cue: its own setting words, a full stop, a comma, a parenthesis
_GAP = compile_i(r"^[\w\s,()/-]{0,60}?[.,:(]?\s*$")
_STOP = re.compile(r";|\.(?:\s+[A-Z]|\s*$)")
_INHERITED = ("setting",)


def _head(atoms: list[Atom], cue_start: int, text: str) -> Atom | None:
    """The class named just before the cue (no other therapy between them)."""
    before = [a for a in atoms if a.kind in _THERAPY and a.span and a.span[1] <= cue_start]
    if not before:
        return None
    head = max(before, key=lambda a: a.span[1] if a.span else 0)
    if not head.attributes.get("class") or head.attributes.get("classes"):
        return None  # a drug, not a class: "trastuzumab (e.g. Herceptin)" is no list of examples
    return head if head.span and _GAP.match(text[head.span[1] : cue_start]) else None


def _closing(text: str, start: int) -> int:
    """Where the parenthesis holding `start` closes ("surgery (excluding minor procedures, e.g. a port)
    or radiotherapy": the examples end with it); the text's end when `start` is in none."""
    depth = text.count("(", 0, start) - text.count(")", 0, start)
    if depth <= 0:
        return len(text)
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def therapy_examples(atoms: list[Atom], text: str) -> list[Atom]:
    """The atoms, each therapy named as an example of a class before it one alternative of the class,
    in its setting."""
    if sum(a.kind in _THERAPY for a in atoms) < 2:
        return atoms
    joined: dict[int, Atom] = {}  # id(example) -> its head
    for m in _CUE.finditer(text):
        head = _head(atoms, m.start(), text)
        if head is None:
            continue
        stop = _STOP.search(text, m.end())
        end = min(stop.start() if stop else len(text), _closing(text, m.start()))
        for a in atoms:
            if a is not head and a.kind in _THERAPY and a.span and m.end() <= a.span[0] < end:
                joined.setdefault(id(a), head)
    if not joined:
        return atoms
    heads = {id(h): h for h in joined.values()}
    names = {hid: h.attributes.get("group") or f"examples{n}" for n, (hid, h) in enumerate(heads.items())}
    out = []
    for a in atoms:
        if id(a) in heads:
            a = replace(a, attributes={**a.attributes, "group": names[id(a)]})
        elif id(a) in joined:
            head = joined[id(a)]
            extra: dict[str, object] = {"group": names[id(head)]}
            extra.update(
                {k: head.attributes[k] for k in _INHERITED if k in head.attributes and k not in a.attributes}
            )
            a = replace(
                a,
                attributes={**a.attributes, **extra},
                negated=head.negated,
                window_days=a.window_days if a.window_days is not None else head.window_days,
            )
        out.append(a)
    return out
