"""A list under a qualifying head: its items carry the head's qualifier.

"Uncontrolled intercurrent illness including diabetes mellitus, hypertension or active infection",
"Unstable cardiovascular disease such as: heart failure, arrhythmia", "Active or
uncontrolled conditions, e.g. diabetes, hypertension", or the head on its own line ("The subject has
uncontrolled intercurrent illness including, but not limited to:") over item lines ("diabetes mellitus",
"hypertension"): an item is an example of the qualified head, so a patient with a controlled diabetes is
not excluded by it. The items' conditions (`comorbidity`, `infection`) with no qualifier of their own get
the head's as `attributes["qualifier"]` (the evaluator then asks the record whether the condition is
uncontrolled / active, or leaves it unknown: matching/atoms.py `_qualified_condition`). Only a qualifier of
the condition's state passes on (uncontrolled, unstable, decompensated, active, symptomatic): a degree
("clinically significant immunodeficiency, such as HIV infection", "serious illness such as ...") names its
examples as instances of it, read as before (conditions.py: examples are alternatives).

`inline_heads` runs on one line's atoms (conditions.py `severities`); `item_lines` on the parsed criteria:
the item lines that follow a head line ending with ":" (its children in the segmentation, or the lines
after it that read as items: starting in lower case, or short with no verb of their own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom, Criterion

_KINDS = {"comorbidity", "infection"}
# the qualifier, the head noun phrase (no sentence or clause break), then what introduces its examples
_HEAD = compile_i(
    r"\b(?P<q>uncontrolled|poorly[\s-]+controlled|not\s+(?:well[\s-]+)?controlled|inadequately[\s-]+controlled|"
    r"non-?controlled|unstable|symptomatic|active|decompensated)\b(?P<head>[^.;:()]{0,60}?)"
    r"(?:,?\s*\(?\s*\b(?:including|includes?|such\s+as|e\.\s?g\.?|i\.\s?e\.?|for\s+(?:example|instance)|like|notably|"
    r"particularly|in\s+particular|especially|namely|as\s+follows|of\s+the\s+following)(?:\s|\b|:|,)|\s*:)"
)
_END = re.compile(r";|\.\s+[A-Z]|\.$")
# an item line: starts in lower case, or is short with no verb of its own ("Diabetes mellitus",
# "Hypertension (> 150/100 mmHg)"); a full criterion ("The subject has ...", "Patients must ...") ends the list
_VERB = compile_i(r"\b(?:has|have|had|is|are|was|were|must|should|will|may|can|receiv\w+|undergo\w*)\b")


def _qualifier(m: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", m.group("q").lower())


def _heads_of(text: str) -> list[tuple[str, int, int]]:
    """(qualifier, where the examples start, where the sentence ends) of each qualifying list head."""
    out = []
    for m in _HEAD.finditer(text):
        if not m.group("head").strip() and not text[: m.start()].strip(" -*•\t"):
            continue  # "Uncontrolled: ..." opening the line: no head noun for the qualifier
        # (the head may come first: "maladie intercurrente non contrôlée, notamment ...", read as
        # "disease intercurrent uncontrolled, including ...")
        end = _END.search(text, m.end())
        out.append((_qualifier(m), m.end(), end.start() if end else len(text)))
    return out


def _qualified(a: Atom, qualifier: str) -> Atom:
    if a.kind not in _KINDS or (a.attributes and a.attributes.get("qualifier")):
        return a
    if a.kind == "infection" and a.attributes.get("active"):
        return a  # "active infection" is its own statement
    if a.window_days is not None:
        return a  # "myocardial infarction within 3 months": an event with its own time, stated in full
    return replace(a, attributes={**a.attributes, "qualifier": qualifier})


def inline_heads(atoms: list[Atom], text: str) -> list[Atom]:
    """The atoms named after a qualifying list head of the same sentence take its qualifier."""
    if not any(a.kind in _KINDS for a in atoms):
        return atoms
    heads = _heads_of(text)
    if not heads:
        return atoms
    out: list[Atom] = []
    items: dict[int, list[int]] = {}  # head -> positions in `out` of the conditions it lists
    for a in atoms:
        for k, (q, start, end) in enumerate(heads):
            if a.span and start <= a.span[0] < end:
                if a.kind in _KINDS:
                    items.setdefault(k, []).append(len(out))
                a = _qualified(a, q)
                break
        out.append(a)
    # the items of one head are its examples: any one of them is the head's condition ("including
    # diabetes and hypertension" does not ask for both), one group of alternatives
    for k, where in items.items():
        groups = {out[i].attributes.get("group") for i in where} - {None}
        if len(where) > 1 and len(groups) <= 1:
            name = groups.pop() if groups else f"head{heads[k][1]}"
            for i in where:
                out[i] = replace(out[i], attributes={**out[i].attributes, "group": name})
    return out


def _is_item(text: str) -> bool:
    t = text.strip(" -*•\t")
    return bool(t) and (t[0].islower() or (len(t) <= 80 and _VERB.search(t) is None))


def item_lines(criteria: Sequence[Criterion], texts: dict[int, str]) -> list[Criterion]:
    """Item lines under a head line ending with ":" that qualifies them (`texts`: every segment's text by
    index, the head lines with no atoms of their own included)."""
    out = []
    qualifier: str | None = None
    head_index: int | None = None
    last = -1
    for c in criteria:
        for k in range(last + 1, c.index):  # a head line dropped as a heading (no atoms)
            qualifier, head_index = _head_line(texts.get(k, ""), k, qualifier, head_index)
        last = c.index
        if qualifier is not None and (c.parent_index == head_index or _is_item(c.text)):
            c = replace(c, atoms=tuple(_qualified(a, qualifier) for a in c.atoms))
        else:
            qualifier, head_index = _head_line(c.text, c.index, None, None)
        out.append(c)
    return out


def _head_line(
    text: str, index: int, qualifier: str | None, head: int | None
) -> tuple[str | None, int | None]:
    """The qualifier a line ending with ":" passes on to the item lines after it (None: the list ends)."""
    body = text.rstrip()
    if not body.endswith(":"):
        return (qualifier, head) if not body else (None, None)
    heads = [h for h in _heads_of(body) if h[1] >= len(body) - 40]
    return (heads[-1][0], index) if heads else (None, None)
