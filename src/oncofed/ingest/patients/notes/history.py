"""Which cancer a note is about when it names several: a cancer of the patient's past is not the primary.

    primary_of(cancers, text) -> Target | None     # the cancer the note is about
    is_past(text, t) -> bool                        # a cancer the note places in the patient's past

A note about a breast cancer may name another malignancy of the history ("Antecedents: papillary thyroid
carcinoma 2021 (thyroidectomy)"). That cancer is a prior malignancy, not the primary: the primary is the
first cancer the note does not place in the past. A cancer is placed in the past by

- a history heading: "Antecedents:", "ATCD:", "PMH:", "Past (medical / oncological) history:", "History:"
  (French notes are read rewritten: "Antécédents :" is "history :"): the rest of the heading's line up to a
  sentence opening another heading or the present ("... excised. Today: ...", "... Now ..."), or, when the
  heading ends its line, the lines under it up to the next heading or blank line;
- a cue right before it in its sentence: "history of", "h/o", "a previous / prior / former / past" (a few
  words between at most: "a previous early-stage breast cancer");
- its status right after it in its clause: "in (complete) remission", "cured", "disease-free", "no
  recurrence", "no evidence of disease" (unless that clause also says it came back: "relapse", "recurred").

When every cancer is in the past (a relapse of the old cancer: "History: breast cancer 2015. Bone
metastases 2026"), the first one is the primary, as before.
"""

from __future__ import annotations

import functools
import re

from oncofed.ingest.patients.notes.lowered import compile_i
from oncofed.ingest.patients.notes.mentions import Target
from oncofed.ingest.patients.notes.text import containing, sentences

_HEADING_WORDS = (
    r"antecedents?|atcds?|pmhx?|(?:past\s+|previous\s+|prior\s+|personal\s+|other\s+)?"
    r"(?:medical\s+|oncologic(?:al)?\s+|surgical\s+)?history(?:\s+personnels?)?|medical\s+history|"
    r"(?:previous|prior|past|other)\s+(?:cancers?|malignanc(?:y|ies)|neoplasms?)"
)
# at the start of a line, or after the end of a sentence on its line ("... 64 umol/L. Antecedents: ...")
_HEADING = compile_i(
    rf"(?:^[ \t*#-]*|(?<=[.;!?])[ \t]+)(?:(?:relevant|significant|notable|main|known)\s+)?(?:{_HEADING_WORDS})[ \t\u00a0\u202f]*:",
    re.M,
)
_ANY_HEADING = re.compile(r"^[ \t*#-]*[A-Za-z][\w /&'\u00a0\u202f-]{0,40}:|^[ \t]*$", re.M)
# on the heading's own line, a sentence opening another heading or the present ends the history: "PMH:
# melanoma 2010, excised. Today: metastatic colon cancer"
_LINE_GOES_ON = re.compile(
    r"[.;!?]\s+(?=[A-Z][\w /&'\u00a0\u202f-]{0,40}:|(?:Now|Today|Currently|Presently|At present|Presents?|Recently|Since|"
    r"She|He|The patient|Diagnosed|Current)\b)"
)
_CUE_BEFORE = compile_i(
    r"\b(?:(?:a\s+)?(?:past\s+|prior\s+|previous\s+)?history\s+of|h/o)\s+(?=[^.;:]{0,40}$)"
    # "a previous early-stage breast cancer", not "previous biopsy confirmed lung adenocarcinoma"
    r"|\b(?:previous|prior|former|past|old)\s+"
    r"(?:(?!biops|scans?\b|ct\b|mri\b|pet\b|imaging|work|report|show|confirm|reveal|patholog|histolog|cytolog|to\b)"
    r"[\w-]+\s+){0,3}$"
)
_STATUS_AFTER = compile_i(
    r"[^.;]{0,80}?\b(?:in\s+(?:complete\s+)?remission|cured|disease[\s-]free|no\s+(?:sign\s+of\s+)?recurrence"
    r"|no\s+evidence\s+of\s+(?:disease|recurrence)|without\s+recurrence)\b"
)
_CAME_BACK = compile_i(
    r"\b(?:relapse\w*|recurred|recurrent|progress\w*|metasta\w*|now\s+(?:with|presents?))\b"
)


@functools.lru_cache(maxsize=256)
def history_sections(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of the text under each history heading: the rest of its line, or the lines under it."""
    if ":" not in text:
        return ()
    out = []
    for m in _HEADING.finditer(text):
        line_end = text.find("\n", m.end())
        end = len(text) if line_end < 0 else line_end
        if not text[m.end() : end].strip() and line_end >= 0:
            nxt = _ANY_HEADING.search(text, line_end + 1)
            end = nxt.start() if nxt else len(text)
        elif cut := _LINE_GOES_ON.search(text, m.end(), end):
            end = cut.start() + 1
        out.append((m.end(), end))
    return tuple(out)


def is_past(text: str, t: Target) -> bool:
    """Whether the note places this cancer mention in the patient's past (module docstring)."""
    if any(s <= t.start < e for s, e in history_sections(text)):
        return True
    sent = containing(sentences(text), t.start) or (t.start, t.end)
    if _CUE_BEFORE.search(text, sent[0], t.start):
        return True
    after = _STATUS_AFTER.match(text, t.end, sent[1])
    return after is not None and not _CAME_BACK.search(text, t.end, after.end())


def primary_of(cancers: list[Target], text: str) -> Target | None:
    """The cancer the note is about: the first one not in the past, else the first one."""
    if len(cancers) > 1:
        current = [t for t in cancers if not is_past(text, t)]
        if current:
            return current[0]
    return cancers[0] if cancers else None
