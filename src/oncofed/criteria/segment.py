"""Segmentation of eligibility text into ordered criteria with section, index, span and parent.

Handles the layouts found in registries: "Inclusion Criteria:" / "Key exclusion criteria" / "INCLUSION
CRITERIA" headers (also sub-headers such as "Cohort A specific inclusion criteria"), bullets (`*`, `-`,
`•`, `o`), numbering (`1.`, `1)`, `a.`, `(i)`), nested sub-items (deeper indentation or items after a
lead-in line ending with ":"), items separated by blank lines, and run-on paragraphs (split into
sentences or inline "1) ... 2) ..." items).

Spans are character offsets into the original text: `text[seg.start:seg.end] == seg.text`. Cleaning
(HTML tags, entities, control characters) is done on a same-length copy so offsets never drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Section

MAX_CRITERION_CHARS = 2000  # longer run-on items are split into sentences, then hard-cut

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
_TAG = re.compile(r"</?[a-zA-Z][^<>\n]{0,200}>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6});")
_ENTITIES = {"&gt;": ">", "&lt;": "<", "&amp;": "&", "&ge;": "≥", "&le;": "≤", "&nbsp;": " ", "&quot;": '"'}

_HEADER = compile_i(
    r"^\s*(?:[-*•#]\s*)?(?:\w[\w\s/&,()'+-]{0,60}?\s)?"
    r"(?P<kind>inclusion|exclusion|eligibility|inclusions|exclusions|included|excluded)"
    r"(?:\s+(?:criteria|criterion|critera))?\b[^\n]{0,40}?(?::|$)",
)
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*•·‣◦▪●■□➢>–—]|o(?=\s)|\d{1,2}[.)](?!\d)|\(\d{1,2}\)|[a-zA-Z][.)](?=\s)"
    r"|\([a-zA-Z]\)|\(?[ivxIVX]{1,4}[.)])[ \t]+"
)
_SENTENCE_BREAK = re.compile(r"(?<=[.;])\s+(?=[A-Z(])|\s+(?=\d{1,2}\)\s+[A-Z])|\s+(?=\(\d{1,2}\)\s)")


@dataclass(frozen=True)
class Segment:
    section: Section
    index: int
    start: int
    end: int
    text: str
    parent_index: int | None = None
    heading: str | None = None
    clean_text: str = ""  # same length as `text`: HTML and control characters blanked (for extraction)
    cohort_hint: str | None = None  # the qualifier of the section header above ("Cohort A specific ...")
    continues: bool = False  # a later sentence of the same run-on item (split by _split_long)


def clean(text: str) -> str:
    """Same-length copy of `text` with control characters, HTML tags and entities blanked out."""
    text = _CONTROL.sub(" ", text)
    text = _TAG.sub(_blank_tag, text)
    return _ENTITY.sub(lambda m: _ENTITIES.get(m.group(0).lower(), " ").rjust(len(m.group(0))), text)


def _blank_tag(m: re.Match[str]) -> str:
    """Block-level tags (<li>, <br>, <p>, <div>, <tr>) become a line break, others blanks (same length)."""
    tag = m.group(0)
    if re.match(r"</?(?:li|br|p|div|tr|ul|ol|h\d)\b", tag, re.IGNORECASE):
        return "\n" + " " * (len(tag) - 1)
    return " " * len(tag)


def _marker_kind(marker: str) -> str:
    if marker[0].isdigit() or marker.startswith("(") and marker[1:2].isdigit():
        return "num"
    if re.fullmatch(r"\(?[ivxIVX]{1,4}[.)]", marker):
        return "roman"
    if marker[0].isalpha() and len(marker) <= 3 and marker != "o":
        return "alpha"
    return "bullet:" + marker


# words that qualify a section header without naming a cohort ("Key inclusion criteria")
_PLAIN_QUALIFIERS = compile_i(
    r"^(?:(?:key|main|general|additional|other|further|major|minor|principal|common|all|study|patient|"
    r"participant|subject|selected|specific|important|basic|core|standard|overall|eligibility|the|and|or|&|"
    r"[-*•#:(),\d.]+)\s*)*$"
)


_AFTER_CRITERIA = compile_i(
    r"^\w+\s+(?:criteria|criterion|critera)\s+(?:for|in|of)\s+(?:the\s+)?(?P<q>[^:\n]{2,60}?)\s*:?\s*$"
)


def header_qualifier(line: str) -> str | None:
    """ "Cohort A" for "Cohort A specific inclusion criteria:", None for "Key inclusion criteria"."""
    m = _HEADER.match(line)
    if not m:
        return None
    head = line[: m.start("kind")].strip(" \t:-–*•#")
    head = re.sub(r"(?i)[\s-]*specific$", "", head).strip(" \t:-–,")
    if not head:  # "Inclusion criteria for Stage 1 Cross-over Period:": the qualifier comes after
        tail = _AFTER_CRITERIA.match(line[m.start("kind") :])
        head = tail.group("q").strip(" \t:-–,") if tail else ""
    if not head or _PLAIN_QUALIFIERS.match(head):
        return None
    return head


# a preposition that makes "inclusion" a moment of the criterion ("at inclusion", "prior to inclusion",
# "at the time of inclusion", "days of inclusion"), not the name of a section
_TIME_OF = compile_i(
    r"\b(?:at|before|after|prior\s+to|until|till|since|from|upon|on|by|during|within|following|of|to|"
    r"preceding|the\s+time\s+of|the\s+day\s+of|the\s+date\s+of)\s+(?:the\s+)?(?:study\s+|trial\s+)?$"
)
_STATED = compile_i(
    r"\b(?:is|are|be|been|was|were|not)\s+(?:(?:also|therefore|thus|then|likewise|equally)\s+)?$"
)


def _header_section(line: str) -> tuple[Section | None, str] | None:
    """(section, remainder offset text) when the line is a section header, else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > 140:
        return None
    if line.isascii():  # _HEADER needs "inclu"/"exclu"/"eligibility" (ASCII: same as ignoring case)
        low = line.lower()
        if "clu" not in low and "eligibility" not in low:
            return None
    m = _HEADER.match(line)
    if not m:
        return None
    head = line[: m.end()]
    rest = line[m.end() :]
    lowered = head.lower()
    if not (
        "criteri" in lowered
        or head.rstrip().endswith(":")
        or re.fullmatch(r"\s*\w+\s*", head)
        or not rest.strip()
    ):
        return None
    if len(head.strip()) > 90:
        return None
    kind = m.group("kind").lower()
    if rest.strip() and not head.rstrip().endswith(":"):
        return None
    if (
        "criteri" not in lowered
        and not head.rstrip().endswith(":")
        and _TIME_OF.search(line[: m.start("kind")])
    ):
        return None  # "ECOG 0 or 1 at inclusion", "within 28 days before inclusion": a criterion's time
    if (
        kind in ("included", "excluded")
        and not stripped.endswith(":")
        and _STATED.search(line[: m.start("kind")])
    ):
        return None  # "Ocular melanoma is excluded.", "Prior PD-1 ... therapies are excluded": a criterion
    section = (
        Section.EXCLUSION
        if kind.startswith("exclu")
        else Section.INCLUSION
        if kind.startswith("inclu")
        else None
    )
    return section, rest


def _split_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Split a run-on item into sentence-like pieces (offsets into `text`)."""
    if end - start <= 300:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    cursor = start
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        if m.start() - cursor >= 15:
            pieces.append((cursor, m.start()))
            cursor = m.end()
    pieces.append((cursor, end))
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        while e - s > MAX_CRITERION_CHARS:
            cut = text.rfind(" ", s, s + MAX_CRITERION_CHARS)
            cut = cut if cut > s else s + MAX_CRITERION_CHARS
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return [(s, e) for s, e in out if text[s:e].strip()]


def segment(text: str, default_section: Section = Section.INCLUSION) -> list[Segment]:
    """Ordered criteria of an eligibility text (possibly empty: "no criteria found")."""
    work = clean(text or "")
    section = default_section
    heading: str | None = None
    cohort_hint: str | None = None
    raw: list[dict[str, object]] = []  # items before splitting
    pos = 0
    blank_before = True
    for line in work.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            blank_before = True
            continue
        header = _header_section(line)
        if header is not None:
            new_section, rest = header
            if new_section is not None:
                section = new_section
            cohort_hint = header_qualifier(line)
            heading = None
            blank_before = True
            if not rest.strip():
                continue
            offset = line_start + len(line) - len(rest)
            line, line_start = rest, offset
        bare = line.strip()
        if (
            bare.endswith(":")
            and len(bare) <= 60
            and bare.upper() == bare
            and any(ch.isalpha() for ch in bare)
        ):
            heading = bare.rstrip(":").strip()  # "PATIENT CHARACTERISTICS:" (NCI PDQ layout): a heading
            blank_before = True
            continue
        m = _BULLET.match(line)
        if m:
            indent = len(m.group("indent").expandtabs(4))
            kind = _marker_kind(m.group("marker"))
            content_start = line_start + m.end()
        else:
            indent = len(line) - len(line.lstrip())
            kind = "none"
            content_start = line_start + indent
        content_end = line_start + len(line.rstrip())
        if content_end <= content_start:
            continue
        prev = raw[-1] if raw else None
        if (
            prev is not None
            and not m
            and not blank_before
            and prev["section"] == section
            and (work[content_start].islower() or str(work[int(str(prev["end"])) - 1]) not in ".;:")
            and prev["kind"] != "none"
        ):
            prev["end"] = content_end  # continuation of a wrapped item
            blank_before = False
            continue
        if (
            prev is not None
            and not m
            and blank_before
            and prev["section"] == section
            and _wrapped(work, prev, content_start)
        ):
            prev["end"] = (
                content_end  # "... one prior platinum-based" / "chemotherapeutic regimen ...": one item
            )
            blank_before = False
            continue
        raw.append(
            {
                "section": section,
                "start": content_start,
                "end": content_end,
                "indent": indent,
                "kind": kind,
                "heading": heading,
                "cohort_hint": cohort_hint,
            }
        )
        blank_before = False
    return _assemble(work, text or "", raw)


_CONJUNCTION_END = compile_i(r"\b(?:or|and|and/or|nor)\s*$")
# words no sentence ends on: a preposition, an article, a determiner, an auxiliary, or a hyphenated modifier
# waiting for its noun ("one prior platinum-based" / "chemotherapeutic regimen ...")
_OPEN_END = compile_i(
    r"(?:\b(?:of|to|for|with|by|in|on|at|from|into|than|the|a|an|as|that|which|whose|such|including|excluding|"
    r"except|between|within|without|per|via|is|are|was|were|be|been|has|have|had|will|would|should|must|may|can|"
    r"not|its|their|this|these|those|any|each|every|either|both)"
    r"|\bnon-[a-z]+|-(?:based|containing|related|induced|directed|targeted|associated|free|like))\s*$"
)
_CONJUNCTION_START = compile_i(r"^(?:or|and|and/or|nor)\b")


def _wrapped(work: str, prev: dict[str, object], start: int) -> bool:
    """Whether a line after a blank line continues the previous item: the item starts upper-case and ends
    on a word no sentence ends on (a preposition, an article, an auxiliary, a hyphenated modifier such as
    "platinum-based"; no lead "Phase II : histologically confirmed" whose options follow) and the line
    starts lower-case, not with a conjunction ("or relapsed ..." is an alternative item), and ends as no
    list item does (",", ";"): the source's line breaks there are wrapping, not items. Lists whose items
    start lower-case ("Bilirubin normal" / "aspartate aminotransferase ...") stay items."""
    first, last = int(str(prev["start"])), int(str(prev["end"]))
    before = work[first:last]
    after = work[start : start + 12]
    end = work.find("\n", start)
    line_end = work[start : end if end >= 0 else len(work)].rstrip()
    return (
        before[:1].isupper()
        and ":" not in before
        and not line_end.endswith((",", ";"))
        and bool(_OPEN_END.search(before))
        and after[:1].islower()
        and not _CONJUNCTION_END.search(before)
        and not _CONJUNCTION_START.match(after)
    )


def _assemble(work: str, original: str, raw: list[dict[str, object]]) -> list[Segment]:
    segments: list[Segment] = []
    stack: list[tuple[int, str, int, bool]] = []  # (indent, kind, index, is_lead_in)
    counter = 0  # indices are global over the text (both sections), in reading order
    last_section: Section | None = None
    for item in raw:
        section = item["section"]
        assert isinstance(section, Section)
        if section != last_section:
            stack = []
            last_section = section
        indent, kind = int(str(item["indent"])), str(item["kind"])
        while stack and (
            indent < stack[-1][0]
            or (indent == stack[-1][0] and kind == stack[-1][1])
            or (indent == stack[-1][0] and not stack[-1][3])
            # an unmarked line is never nested under an unmarked line that leads into nothing
            # (registry text: the first line lost its indentation, the others kept one space)
            or (kind == "none" and stack[-1][1] == "none" and not stack[-1][3])
        ):
            stack.pop()
        parent = stack[-1][2] if stack else None
        start, end = int(str(item["start"])), int(str(item["end"]))
        pieces = _split_long(start, end, work)
        first_index = None
        for s, e in pieces:
            idx = counter
            counter += 1
            heading = item.get("heading")
            hint = item.get("cohort_hint")
            segments.append(
                Segment(
                    section,
                    idx,
                    s,
                    e,
                    original[s:e],
                    parent,
                    heading if isinstance(heading, str) else None,
                    work[s:e],
                    hint if isinstance(hint, str) else None,
                    first_index is not None,
                )
            )
            if first_index is None:
                first_index = idx
        lead_in = work[start:end].rstrip().endswith(":")
        if first_index is not None:
            stack.append((indent, kind, first_index, lead_in))
    return segments
