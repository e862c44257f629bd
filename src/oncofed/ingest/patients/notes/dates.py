"""Dates in a note, as clinicians write them, and the date the note speaks from.

    note_date(text) -> DateMention | None      # the visit date of the first line ("Neuro-onc, 15/04/2024")
    dates(text, as_of) -> list[DateMention]     # every date, relative ones ("6 weeks ago") on `as_of`
    as_of(text) -> date | None                 # the visit date, else the latest date the note names

A date is a range: "2022" is any day of 2022, "06/2023" any day of June 2023, "15/04/2024" one day.
A window ("within 3 months") is then decided only when the whole range falls inside or outside it
(`matching/facts.py: within`). Day-first is read for d/m/y ("05/06/2024" is 5 June), the network's
convention; a first number above 12 cannot be a month either way.

Hand-written rather than `dateparser`: a note names dates in a handful of shapes, and what matters is
the precision of each (a year is not a day), which general parsers do not report.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from oncofed.criteria.fast_regex import Needs
from oncofed.criteria.vocab import _scan
from oncofed.ingest.patients.notes.lowered import lowerable, lowered
from oncofed.ingest.patients.notes.text import clauses, containing, sentences

_MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    r"(?<![\w/.])(?:"
    r"(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)"
    r"|(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>(?:19|20)?\d\d)"
    r"|(?P<my_m>[01]?\d)/(?P<my_y>(?:19|20)\d\d)"
    rf"|(?:(?P<name_d>[0-3]?\d)\s+)?(?P<name_m>{_MONTH_WORDS})\.?\s+(?P<name_y>(?:19|20)\d\d)"
    r"|(?P<y1>(?:19|20)\d\d)(?:\s*[-–]\s*(?P<y2>(?:19|20)?\d\d))?"
    r")(?![\w/]|\.\d)",
    re.IGNORECASE,
)
# Where a date may start (every shape opens with a digit or a month word, after no [\w/.]): `re` scans
# for a first character in C here, where `_DATE`, opening with a lookbehind, is tried at every position
# a date opens with a run of 1 or 2 digits followed by "/", "." or a space (a day, a month: "15/04", "15 April")
# or with a year of 4 digits, 19xx or 20xx (every shape of `_DATE`): "250 mg", "5mg", "40%", "3500" open none
_DIGIT_START = re.compile(
    r"[0-9](?<![\w/.][0-9])(?:[0-9]?(?![0-9])(?=[/.\s])|[0-9]{3}(?![0-9])(?<=(?:19|20)[0-9]{2}))"
)
_MONTH_OPENINGS = sorted({w[:3] for w in _MONTHS})  # every month word opens so (lower case)
_MONTH_START = re.compile(
    "(?:{})".format("|".join(_MONTH_OPENINGS))
    # not after a word character, "/" or "." (as _DATE): the lookbehind is checked after the literal is found
    + (r"(?<![\w/.]\w{3})" if all(len(w) == 3 for w in _MONTH_OPENINGS) else "")
)


def _date_matches(text: str) -> list[re.Match[str]]:
    """`_DATE.finditer(text)`, the pattern tried only where a date may start (ASCII text and most French
    notes, `lowerable`: lower-casing keeps every offset, a month word is ASCII, a digit is 0-9; other text
    is searched as written)."""
    if not lowerable(text):
        return list(_DATE.finditer(text))
    starts = [m.start() for m in _DIGIT_START.finditer(text)]
    # a month word of a date is a whole token of the text (after no [\w/.], before "." or a space): most
    # notes have none, and the look-up in the tokens' set spares the scan of the text for month openings
    months = (
        []
        if _MONTHS.keys().isdisjoint(_scan(text)[3])
        else [m.start() for m in _MONTH_START.finditer(lowered(text))]
    )
    if months:  # a digit and a letter never share a position
        starts = sorted(starts + months)
    out: list[re.Match[str]] = []
    end = 0
    for pos in starts:
        if pos >= end and (m := _DATE.match(text, pos)) is not None:
            out.append(m)
            end = m.end()
    return out


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_AGO = re.compile(
    r"\b(?P<n>\d{1,3}|a|an|one|two|three|four|five|six)\s*(?P<u>days?|d|weeks?|wks?|w|months?|mo|years?|yrs?|y)\s+ago\b"
    r"|\blast\s+(?P<last>week|month|year)\b|\b(?P<yesterday>yesterday)\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
# a number followed by these is a measure, not a year ("2000 mg", "2015 cells")
_MEASURE_AFTER = re.compile(
    r"^\s*(?:mg|mcg|g|ml|ul|µl|iu|u|cells|copies|/|x|%|mm|cm|gy|cgy)\b", re.IGNORECASE
)


@dataclass(unsafe_hash=True)
class DateMention:
    # not `frozen=True`: a frozen dataclass's `__init__` is written by `dataclasses` in Python (one
    # `object.__setattr__` a field), which mypyc keeps; this one is compiled (`oncofed.compiled`) to set the
    # fields directly, ~30x cheaper. Never changed after `__init__` (as if frozen; `unsafe_hash`: the same
    # hash and equality as a frozen dataclass). See `oncofed.criteria.frozen`.
    start: int
    end: int
    earliest: date
    latest: date
    precision: str  # "day", "month", "year"

    def __init__(self, start: int, end: int, earliest: date, latest: date, precision: str) -> None:
        self.start = start
        self.end = end
        self.earliest = earliest
        self.latest = latest
        self.precision = precision


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _year(raw: str) -> int:
    y = int(raw)
    return y + 2000 if y < 100 else y


def _absolute(m: re.Match[str], text: str) -> DateMention | None:
    g = m.groupdict()
    try:
        if g["iso_y"]:
            d = date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]))
            return DateMention(m.start(), m.end(), d, d, "day")
        if g["y"]:
            first, second = int(g["d"]), int(g["m"])
            day, month = (first, second) if second <= 12 else (second, first)
            d = date(_year(g["y"]), month, day)
            return DateMention(m.start(), m.end(), d, d, "day")
        if g["my_y"]:
            lo, hi = _month_range(int(g["my_y"]), int(g["my_m"]))
            return DateMention(m.start(), m.end(), lo, hi, "month")
        if g["name_y"]:
            month = _MONTHS[g["name_m"].lower().rstrip(".")]
            if g["name_d"]:
                d = date(int(g["name_y"]), month, int(g["name_d"]))
                return DateMention(m.start(), m.end(), d, d, "day")
            lo, hi = _month_range(int(g["name_y"]), month)
            return DateMention(m.start(), m.end(), lo, hi, "month")
        if g["y1"]:
            if _MEASURE_AFTER.match(text[m.end() : m.end() + 8]):
                return None
            y1 = int(g["y1"])
            y2 = y1
            if g["y2"]:  # "2020-21", "2019-2021"
                y2 = int(g["y2"]) if len(g["y2"]) == 4 else (y1 // 100) * 100 + int(g["y2"])
                if not y1 <= y2 <= y1 + 30:
                    return None
            return DateMention(m.start(), m.end(), date(y1, 1, 1), date(y2, 12, 31), "year")
    except ValueError:  # 31/02/2024: not a date
        return None
    return None


# the words that open a birth date: "born 14/03/1961", "DOB: 12.03.1951", "date of birth 1951-03-12", "née le
# 05/09/1977"; a birth date dates no event and is no visit date (verdicts42: "Dear colleague, I saw Mrs F. (born
# 22/06/1963) in clinic on 17/11/2026" had 1963 as its visit date, so "two weeks ago" was in 1963)
_BIRTH_WORDS = re.compile(
    r"\b(?:born(?:\s+(?:on|in))?|dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|date\s+de\s+naissance|"
    r"n[ée]e?\s+(?:le|en))\s*:?\s*",
    re.IGNORECASE,
)
_BIRTH_BEFORE = re.compile(_BIRTH_WORDS.pattern + "$", re.IGNORECASE)
_BIRTH_CUES = ("born", "dob", "d.o.b", "birth", "naissance", "né", "ne le", "nee le")


def _has_birth_cue(text: str) -> bool:
    low = text.lower()
    return any(cue in low for cue in _BIRTH_CUES)


def birth_date(text: str, end: int) -> DateMention | None:
    """The first birth date written in the first `end` characters ("born 14/03/1961"), whoever's it is."""
    if not _has_birth_cue(text[:end]):
        return None
    for m in _BIRTH_WORDS.finditer(text, 0, end):
        if (found := _DATE.match(text, m.end())) is not None and (d := _absolute(found, text)) is not None:
            return d
    return None


@functools.lru_cache(maxsize=256)
def _absolute_dates(text: str) -> tuple[DateMention, ...]:
    if not any(map(str.isdigit, text)):
        return ()
    out = [d for m in _date_matches(text) if (d := _absolute(m, text)) is not None]
    if _has_birth_cue(text):
        out = [d for d in out if not _BIRTH_BEFORE.search(text[max(0, d.start - 24) : d.start])]
    today_plus = date.today() + timedelta(days=366)
    return tuple(d for d in out if date(1900, 1, 1) <= d.earliest <= today_plus)


def note_date(text: str) -> DateMention | None:
    """The visit date: a day or month date on the note's first line."""
    first = text.split("\n", 1)[0][:120]
    for d in _absolute_dates(text):
        if d.start >= len(first):
            break
        if d.precision in ("day", "month"):
            return d
    return None


def as_of(text: str) -> date | None:
    """The date the note speaks from: its visit date, else the latest date it names (a note is written
    after everything it reports; a year counts from its first day), else None."""
    visit = note_date(text)
    if visit is not None:
        return visit.latest
    found = [d.latest if d.precision != "year" else d.earliest for d in _absolute_dates(text)]
    return max(found) if found else None


@functools.lru_cache(maxsize=256)
def dates(text: str) -> tuple[DateMention, ...]:
    """Every date of the note in reading order; relative dates ("6 weeks ago") on the note's `as_of`."""
    out = list(_absolute_dates(text))
    visit = note_date(text)
    out = [d for d in out if visit is None or d.start != visit.start]  # the visit date dates no event
    ref = as_of(text)
    if ref is not None and ("ago" in text or "last " in text or "yesterday" in text):
        for m in _AGO.finditer(text):
            if m.group("yesterday"):
                d = ref - timedelta(days=1)
                out.append(DateMention(m.start(), m.end(), d, d, "day"))
                continue
            if m.group("last"):
                n, unit = 1, m.group("last")[0].lower()
            else:
                raw = m.group("n").lower()
                n, unit = (_NUMBER_WORDS.get(raw) or int(raw)), m.group("u")[0].lower()
            days = n * _UNIT_DAYS[unit]
            slack = {"d": 0, "w": 3, "m": 15, "y": 182}[unit]  # "6 weeks ago" is about six weeks
            out.append(
                DateMention(
                    m.start(),
                    m.end(),
                    ref - timedelta(days=days + slack),
                    ref - timedelta(days=max(0, days - slack)),
                    "relative",
                )
            )
    return tuple(sorted(out, key=lambda d: d.start))


def in_span(text: str, start: int, end: int) -> list[DateMention]:
    """The dates of the note that lie in [start, end)."""
    return [d for d in dates(text) if start <= d.start < end]


# where a treatment's dates end: the next line of therapy, "then", a ";" or the sentence end
_REGION_END = re.compile(r";|\bthen\b|\b[1-9]L\b|\b(?:first|second|third|fourth)[- ]line\b", re.IGNORECASE)
DATED_KINDS = frozenset({"treatment", "comorbidity", "medication", "procedure"})  # the kinds `dated` dates
# the date after these words is the treatment's end, whatever else the region dates ("PD 03/2024")
_LAST_DOSE = re.compile(
    r"\b(?:last\s+(?:dose|cycle|infusion|fraction|administration)|completed|stopped|ended|until|finished)\b[^\d]{0,12}$",
    re.IGNORECASE,
)

_LAST_DOSE_NEEDS = Needs(_LAST_DOSE)  # a note holding none of its words is not searched once per date


# the date after "since" is when an ongoing treatment began, never its end ("letrozole since 12/2023")
_SINCE = re.compile(r"\b(?:since|ongoing\s+from)\s*$", re.IGNORECASE)


# a date of an assessment, not of the treatment: "(PD on CT 02/05/2025)", "progression 03/2024", "restaging 06/2024"
_ASSESSED = re.compile(
    r"\b(?:PD|progress\w*|relapse\w*|recurren\w*|restag\w*|re-?evaluat\w*|response|imaging|scan|CT|MRI|PET)\b"
    r"[^\d;]{0,20}$",
    re.IGNORECASE,
)


def _given_range(text: str, region: list[DateMention], floor: int) -> list[DateMention]:
    """The dates of a treatment's stated range ("01/2025 to 14/04/2025", "2019-2021") when the region also
    dates an assessment after it ("(PD on CT 02/05/2025)"): the range end is the last dose, not the scan.
    Empty when the region names no assessment or no range (then every date of the region counts)."""
    assessed = [d for d in region if _ASSESSED.search(text, max(floor, d.start - 30), d.start)]
    given = [d for d in region if d not in assessed]
    if not assessed or not given:
        return []
    ranged = len(given) >= 2 or any(
        "-" in text[d.start : d.end] or "–" in text[d.start : d.end] for d in given
    )
    return given if ranged else []


# a sentence that only dates what the one before it says: "This was on 03/2024.", "Done 04/2021."
_DATING_BEFORE = re.compile(
    r"^\W*(?:(?:this|that|it|which|surgery|the\s+(?:surgery|procedure|operation))\s+)?"
    r"(?:(?:was|were)\s+)?(?:(?:done|performed|carried\s+out|completed)\s+)?(?:(?:on|in|at)\s+)?$",
    re.IGNORECASE,
)
_DATING_AFTER = re.compile(r"^\W*$")
# a heading that dates the lines below it names the date alone or with the kind of treatment ("2019:",
# "Surgery (05/2023):"), not a visit ("Consultation 12/03/2025:" dates no treatment listed under it)
_DATING_HEADING = re.compile(
    r"^[\W\d]*(?:(?:surgery|surgeries|surgical|operations?|procedures?|resections?|radiotherapy|radiation|rt|"
    r"chemotherapy|chemo|chemoradiation|chemort|systemic|adjuvant|neoadjuvant|therapy|treatments?|and)\b[\W\d]*)*$",
    re.IGNORECASE,
)


def _dated_apart(
    text: str, found: tuple[DateMention, ...], start: int, sent: tuple[int, int], alone: bool
) -> list[DateMention]:
    """The date of a treatment written apart from it, where that is unambiguous: the next sentence only
    dates it ("Underwent right hemicolectomy. This was on 03/2024.") and the treatment is the only one of
    its sentence (`alone`); or a short heading line above it names one date ("Surgery (05/2023):" over
    "Left mastectomy and SLNB."), up to a blank line."""
    if alone:
        sents = sentences(text)
        i = sents.index(sent) if sent in sents else -1
        if 0 <= i < len(sents) - 1 and text.count("\n", sent[1], sents[i + 1][0]) == 0:
            nxt = sents[i + 1]
            inside = [d for d in found if nxt[0] <= d.start < nxt[1]]
            if (
                len(inside) == 1
                and _DATING_BEFORE.match(text[nxt[0] : inside[0].start])
                and _DATING_AFTER.match(text[inside[0].end : nxt[1]])
            ):
                return inside
    line = text.rfind("\n", 0, start)
    for _ in range(6):  # the lines above, up to a blank one or a heading
        if line <= 0:
            return []
        above = text.rfind("\n", 0, line) + 1
        head = text[above:line].strip()
        if not head:
            return []
        if head.endswith(":"):
            inside = [d for d in found if above <= d.start < line]
            if len(head) > 50 or len(inside) != 1:
                return []
            words = text[above : inside[0].start] + " " + text[inside[0].end : line]
            return inside if _DATING_HEADING.match(words) else []
        line = above - 1
    return []


_ITEM_OPENER = re.compile(r"\s*(?:(?:in|since|on|from|by|at|during|after|before|until)\s+)?", re.I)
_SEPARATOR = re.compile(r"[,;]")


def _other_item(
    text: str, span: tuple[int, int], d: DateMention, sentence_start: int, others: Sequence[int]
) -> bool:
    """Whether date `d` dates another item of the list the event at `span` is in (`others`: where the note's other
    dated facts start). After the event, it is the item's of another event written between them after a comma or
    semicolon ("hypertension, DVT 03/2025"); before it, across a comma or semicolon, it is the item's of an event
    written before the date ("BCC excised 06/2023; hypertension"). A date with no event of its own in its item stays
    the last event's ("melanoma, pT1b, wide local excision 03/2023"), and one opening its item dates what follows
    ("In 2019, MI", "PMH: 2018, MI")."""
    start, end = span
    if d.start >= end:
        return any(end < o < d.start and _SEPARATOR.search(text, end, o) for o in others)
    if not _SEPARATOR.search(text, d.end, start):
        return False
    item_start = max(sentence_start, *(text.rfind(c, sentence_start, d.start) + 1 for c in ",;:.\n"))
    if _ITEM_OPENER.fullmatch(text, item_start, d.start):
        return False
    return any(sentence_start <= o < d.start for o in others)


def dated(
    text: str,
    kind: str,
    start: int,
    end: int,
    fields: dict[str, Any],
    alone: bool = False,
    others: Sequence[int] = (),
) -> dict[str, Any]:
    """`fields` of a fact with the dates the note gives it: a treatment's end (and start) from the dates
    after it up to the next line of therapy ("09/2023-01/2024", "completed 02/2024", "last dose
    30/01/2024"), else the sentence's leading date ("2016: mastectomy ..."); an event's date from its
    clause ("DVT 6 weeks ago", "pneumonitis 11/2021"), whose range keeps its earliest day apart
    (`when_earliest`, ISO: a window is decided only when the whole range falls in or out of it)."""
    if kind not in DATED_KINDS or fields.get("negated") or not any(map(str.isdigit, text)):
        return fields
    found = dates(text)
    if not found:
        return fields
    sent = containing(sentences(text), start) or (start, end)
    out = dict(fields)
    attrs = dict(out.get("attributes") or {})
    if kind == "treatment":
        stop = _REGION_END.search(text, end, sent[1])
        region = [d for d in found if end <= d.start < (stop.start() if stop else sent[1])]
        if not region:
            region = [d for d in found if sent[0] <= d.start < start][-1:]
        if not region and (found[-1].start >= sent[1] or "\n" in text[: sent[0]]):
            region = _dated_apart(text, found, start, sent, alone)
        if not region:
            return fields
        if all(_SINCE.search(text, max(sent[0], d.start - 16), d.start) for d in region):
            attrs["start"] = min(d.earliest for d in region).isoformat()  # ongoing: no end known
            out["attributes"] = attrs
            return out
        # the latest day the treatment may have ended ("02/2024": 29 February): a treatment's end is
        # one day for every evaluator (the vectorised one keeps one end day per treatment row)
        given = _given_range(text, region, sent[0])
        stated = (
            []
            if _LAST_DOSE_NEEDS.absent(text)
            else [d for d in region if _LAST_DOSE.search(text, max(sent[0], d.start - 25), d.start)]
        )
        stated = stated or given
        attrs["end"] = max(d.latest for d in (stated or region)).isoformat()
        attrs["start"] = min(d.earliest for d in region).isoformat()
    else:
        clause = containing(clauses(text), start) or sent
        near = [d for d in found if clause[0] <= d.start < clause[1]] or [
            d for d in found if sent[0] <= d.start < sent[1] and abs(d.start - end) <= 40
        ]
        near = [d for d in near if not _other_item(text, (start, end), d, sent[0], others)]
        if not near:
            return fields
        best = min(near, key=lambda d: abs(d.start - end))
        if _SINCE.search(text, max(clause[0], best.start - 16), best.start):
            return fields  # "psoriatic arthritis on methotrexate since 2023": ongoing, no date of an event
        out["when"] = best.latest
        if best.earliest != best.latest:
            attrs["when_earliest"] = best.earliest.isoformat()
    out["attributes"] = attrs
    return out
