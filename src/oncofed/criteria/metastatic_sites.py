"""A list of metastatic sites keeps every item (verdicts32).

"Liver, lung or bone metastases", "metastases to the liver, lung and/or bone": the vocabulary's phrases
("bone metastases", "metastases to the liver") read one item of the list, the one next to the head noun,
and the other sites were lost (a patient with lung metastases only was not excluded; a patient with
liver metastases did not meet "brain or liver metastases required").

`site_lists` reads the list by its grammar: the head noun ("metastases", "mets", "metastatic disease",
"involvement") with the sites coordinated before it ("hepatic, pulmonary or osseous metastases") or
after a preposition ("metastases to / in / involving (the) liver, lung and bone"), items separated by
",", "/", "or", "and", "and/or". Every item becomes an atom of its own on its own word, so that
`logic.or_groups` makes them alternatives when the list's connective is "or" / "and/or" and a
conjunction when it is "and", as for any other list. The sites are the vocabulary's
(`resources/vocab/conditions.tsv` metastasis rows, by the word before "metastases" or the noun after
"metastases to the"), and brain / CNS (`brain_metastases`) and leptomeningeal (`leptomeningeal_disease`),
the kinds the extractor gives these heads. A list with an item the vocabulary does not know ("bone or
soft tissue metastases") is left as it was read: a site is never invented, and an alternative dropped
would be a confident reading the line does not ground.
"""

from __future__ import annotations

import functools
import re

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom
from oncofed.resources import load_tsv

_HEAD = compile_i(r"\b(?:metastas[ie]s|metastatic\s+(?:disease|lesions?|deposits?)|mets|involvement)\b")
_AFTER_HEAD = compile_i(r"^\s+(?:to|in|involving|of|affecting)\s+(?:the\s+)?")
# between two items: ", ", ", or ", " or ", " and ", " and/or ", " / "
_SEP = r"\s*(?:,\s*(?:and/or|or|and)?|/|\band/or\b|\bor\b|\band\b)\s*"
_SEP_END = compile_i(rf"(?:{_SEP})$")
_SEP_START = compile_i(rf"^(?:{_SEP})")
_OTHER_KINDS = {
    "brain": "brain_metastases",
    "cns": "brain_metastases",
    "cerebral": "brain_metastases",
    "intracranial": "brain_metastases",
    "leptomeningeal": "leptomeningeal_disease",
}
_METASTASIS_KINDS = ("metastasis", "brain_metastases", "leptomeningeal_disease")


@functools.cache
def _sites() -> dict[str, tuple[str, str | None]]:
    """Site word (lower case) -> (atom kind, code), from the vocabulary's metastasis phrases."""
    out: dict[str, tuple[str, str | None]] = {w: (k, None) for w, k in _OTHER_KINDS.items()}
    for row in load_tsv("vocab/conditions.tsv"):
        if row["kind"] != "metastasis":
            continue
        for phrase in row["phrases"].split("|"):
            before = re.fullmatch(r"([a-z][a-z ]*?)\s+(?:metastases|metastasis|mets)", phrase)
            after = re.fullmatch(r"metastases\s+to\s+the\s+([a-z ]+)", phrase)
            for m in (before, after):
                if m:
                    out.setdefault(m.group(1), ("metastasis", row["code"]))
    for word in list(out):  # "lungs", "bones", "lymph nodes" after "metastases to the"
        out.setdefault(word + "s", out[word])
    return out


def _longest(candidates: list[str]) -> str | None:
    return max(candidates, key=len) if candidates else None


def _site_at_end(text: str, end: int) -> tuple[int, str] | None:
    """The site phrase ending at `end` (longest, e.g. "lymph node"), or None (an unknown word)."""
    before = text[max(0, end - 40) : end].lower()
    best = _longest(
        [
            p
            for p in _sites()
            if before.endswith(p) and (len(before) == len(p) or not before[-len(p) - 1].isalnum())
        ]
    )
    return (end - len(best), best) if best else None


def _site_at_start(text: str, start: int) -> tuple[int, str] | None:
    """The site phrase starting at `start` (longest), or None."""
    after = text[start : start + 40].lower()
    best = _longest(
        [p for p in _sites() if after.startswith(p) and (len(p) == len(after) or not after[len(p)].isalnum())]
    )
    return (start + len(best), best) if best else None


def _items_before(text: str, head: int) -> list[tuple[int, int, str]] | None:
    """The coordinated sites just before the head noun (at least two), or None."""
    items: list[tuple[int, int, str]] = []
    end = len(text[:head].rstrip())
    while True:
        site = _site_at_end(text, end)
        if site is None:
            if items:  # reached after a separator: "adrenal, liver or bone metastases", an unknown item
                return None
            break
        start, phrase = site
        items.append((start, end, phrase))
        sep = _SEP_END.search(text[:start])
        if sep is None or sep.start() == sep.end():
            break
        end = sep.start()
    return items[::-1] if len(items) >= 2 else None


def _items_after(text: str, head_end: int) -> list[tuple[int, int, str]] | None:
    """The coordinated sites after "metastases to (the)" (at least two), or None."""
    lead = _AFTER_HEAD.match(text[head_end:])
    if lead is None:
        return None
    items: list[tuple[int, int, str]] = []
    start = head_end + lead.end()
    while True:
        site = _site_at_start(text, start)
        if site is None:
            if items:  # reached after a separator: "metastases to the liver or adrenal glands"
                return None
            break
        end, phrase = site
        items.append((start, end, phrase))
        sep = _SEP_START.match(text[end:])
        if sep is None or sep.end() == 0:
            break
        start = end + sep.end()
        if text[start : start + 4].lower() == "the ":
            start += 4
    return items if len(items) >= 2 else None


def site_lists(atoms: list[Atom], text: str) -> list[Atom]:
    """One atom for every site of a coordinated list of metastatic sites (see the module docstring)."""
    low = text.lower()
    if "metasta" not in low and "mets" not in low and "involvement" not in low:
        return atoms
    out = list(atoms)
    for head in _HEAD.finditer(text):
        for items in (_items_before(text, head.start()), _items_after(text, head.end())):
            for start, end, phrase in items or ():
                kind, code = _sites()[phrase]
                if any(
                    a.kind == kind
                    and a.code == code
                    and a.span
                    and a.span[0] < max(end, head.end())
                    and min(start, head.start()) < a.span[1]
                    for a in out
                ):
                    continue  # the vocabulary read this one ("bone metastases", "metastases to the liver")
                attributes: dict[str, object] = {"status": "any"} if kind == "brain_metastases" else {}
                out.append(
                    Atom(
                        kind=kind,
                        operator="present",
                        code=code,
                        span=(start, end),
                        text=text[start:end],
                        attributes=attributes,
                    )
                )
    return out
