"""A heading scopes its value up to the next heading (verdicts38): the NCI PDQ template's "PATIENT
CHARACTERISTICS" block names each requirement by a short heading ("Age:", "Menopausal status:", "Life
expectancy:", "Hepatic:") and writes its value after it, on the lines that follow or, once the registry
flattened the block, on the same line ("Age: 18 and over Sex: Female Life expectancy: At least 6 months").

Two readings went wrong: a bare duration under a later heading was read as an age ("Life expectancy:" then "At
least 5 years" was "aged 5 or more", "Menopausal status: Postmenopausal for at least 1 year" was "aged 1 or
more"), and the age under its own heading was not read ("Age:" then "60 and under"). Here:

- `sub_headings`: the heading each line is read under, by position: the last heading line of the template
  ("Age:", "Life expectancy", "Performance status:") before it in the same block; `extract_atoms` reads a line that
  gives nothing alone as "<heading>: <line>" (criteria/parser.py).
- `scoped_ages`: on a flattened line, an age read from a number with no age word of its own is kept only
  when the inline heading it falls under is the age heading (or when the line has no inline heading).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# the PDQ template's sub-headings, which registries also write without their colon
_PDQ = (
    r"age|sex|gender|menopausal\s+status|performance\s+status|life\s+expectancy|hematopoietic|haematopoietic|"
    r"hepatic|renal|cardiovascular|cardiac|pulmonary|neurologic|immunologic|other|biologic\s+therapy|"
    r"chemotherapy|endocrine\s+therapy|radiotherapy|surgery"
)
# a heading line: a PDQ heading alone, with or without its colon
_SUB = compile_i(rf"\s*(?:{_PDQ})\s*:?\s*")
# an inline heading in a flattened block: a PDQ heading and ":" ("Age:", "Life expectancy:")
_INLINE = compile_i(rf"(?:^|(?<=\s))(?P<h>{_PDQ})\s*:\s")
_AGE_HEAD = compile_i(r"^age$")
_AGE_OWN = compile_i(r"\bage[ds]?\b|\bold\b|\bolder\b|\byounger\b|\badults?\b|\bbirthday\b")


def sub_headings(texts: Sequence[str], blocks: Sequence[str | None]) -> dict[int, str]:
    """The template heading each line is read under, by position (`blocks`: each line's section heading; a
    heading's scope ends at the next heading or where the block changes)."""
    out: dict[int, str] = {}
    current: str | None = None
    block: str | None = None
    for k, (text, head) in enumerate(zip(texts, blocks, strict=True)):
        if head != block:
            current, block = None, head
        if _SUB.fullmatch(text):
            current = text.strip().rstrip(":").strip() + ":"
        elif current is not None:
            out[k] = current
    return out


# a cross-reference to another part of the template ("See Disease Characteristics", "See Chemotherapy", "See
# Section 11 for ..."): it points at requirements written elsewhere and states none of its own
_SEE = compile_i(
    rf"\W*see\s+(?:(?:the\s+)?(?:disease|patient)\s+characteristics|prior\s*/?\s*concurrent\s+therapy|"
    rf"sections?\s+[\d.]+|above|below|(?:{_PDQ})\b)"
)


def no_statement_lines(texts: Sequence[str], blocks: Sequence[str | None]) -> set[int]:
    """Lines that state no requirement (verdicts40): the template's sub-headings written without their colon
    ("Chemotherapy", "Endocrine therapy", "Surgery" under PRIOR CONCURRENT THERAPY, each followed by its
    lines: "Chemotherapy" was read as "prior chemotherapy required"), and cross-references ("See Chemotherapy").
    A heading counts only where its block has three or more of them, each followed by a line that is no
    heading: a list of therapies ("including any of the following:" "Radiotherapy" "Chemotherapy") is no
    template and keeps its readings."""
    out = {k for k, text in enumerate(texts) if _SEE.match(text)}
    heads: dict[str | None, list[int]] = {}
    for k, text in enumerate(texts):
        nxt = k + 1
        if (
            _SUB.fullmatch(text)
            and nxt < len(texts)
            and blocks[nxt] == blocks[k]
            and not _SUB.fullmatch(texts[nxt])
        ):
            heads.setdefault(blocks[k], []).append(k)
    for lines in heads.values():
        if len(lines) >= 3:
            out.update(lines)
    return out


def scoped_ages(atoms: list[Atom], text: str) -> list[Atom]:
    """The ages of a flattened block that belong to its age heading: an age whose own words say no age, read
    under another inline heading ("Menopausal status: Postmenopausal for at least 1 year"), is dropped."""
    heads = [(m.start(), m.group("h")) for m in _INLINE.finditer(text)]
    if not heads:
        return atoms
    out = []
    for a in atoms:
        if a.kind == "age" and a.span and not _AGE_OWN.search(a.text or text[a.span[0] : a.span[1]]):
            under = [h for s, h in heads if s < a.span[0]]
            if under and not _AGE_HEAD.match(re.sub(r"\s+", " ", under[-1].strip())):
                continue
        out.append(a)
    return out
