"""Weight loss and exercise read from a note. Weight loss: as a percentage of body weight over a period (a `weight_loss` fact:
value in %, `attributes["months"]` the period, None when the note names none):

- stated: "weight loss of 12 % over 6 months", "lost 8 kg (10 %) in 3 months", "5% weight loss";
- in kilograms or pounds, with a current weight in the note: "lost 6 kg over 2 months ... Wt 68 kg"
  (6 / (68 + 6) = 8.1 %);
- a current weight and the highest (usual, baseline) one: "Wt 75.6 kg today; highest in last 6 mo
  76.0 kg" (0.5 % over 6 months).

A loss in kilograms with no weight to relate it to is left out (no percentage can be said)."""

from __future__ import annotations

import re
from collections.abc import Callable

from oncofed.ingest.patients.notes.lowered import compile_i, lowered
from oncofed.ingest.patients.notes.scopes import NoteScopes
from oncofed.ingest.patients.notes.text import containing, sentences

Add = Callable[..., None]

_N = r"\d{1,3}(?:[.,]\d{1,2})?"
_UNIT = r"(?P<u>%|kgs?|lbs?|pounds?)"
_PERIOD = (
    r"(?:\s+(?:of\s+(?:her|his|their|body|usual)?\s*(?:body\s+)?weight\s+)?(?:over|in|within|during)\s+(?:the\s+)?"
    r"(?:last|past|previous|preceding|prior)?\s*(?P<p>\d{1,2}|one|two|three|four|six|twelve)?\s*"
    r"(?P<pu>weeks?|wks?|months?|mos?|years?)\b)?"
)
_STATED = compile_i(
    rf"\b(?:weight\s+loss|wt\s+loss|lost|losing|loss\s+of)\s+(?:of\s+)?(?:about\s+|approximately\s+|~\s*)?"
    rf"(?P<n>{_N})\s*{_UNIT}(?:\s*\(\s*(?P<pct>{_N})\s*%\s*\))?{_PERIOD}"
    rf"|(?P<n2>{_N})\s*%\s+(?:body\s+)?weight\s+loss{_PERIOD.replace('?P<p>', '?P<p2>').replace('?P<pu>', '?P<pu2>')}"
)
_CURRENT = compile_i(
    rf"\b(?:wt|weight|body\s+weight)\s*(?:is|was|:|=|of)?\s*(?:now\s+|today\s+)?(?P<w>{_N})\s*kg\b"
)
_HIGHEST = compile_i(
    r"\b(?:highest|usual|baseline|previous|pre-?illness|premorbid|pre-?morbid|max(?:imum)?)\b(?:\s+(?:body\s+)?"
    r"(?:weight|wt))?(?:\s+(?:in|over|within)\s+(?:the\s+)?(?:last|past|previous|preceding)\s*(?P<p>\d{1,2})?\s*"
    rf"(?P<pu>weeks?|wks?|months?|mos?|mo|years?)\b)?\s*(?:was|:|=|of)?\s*(?P<w>{_N})\s*kg\b"
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12}
_LB = 0.4536


def _num(raw: str) -> float:
    return float(raw.replace(",", "."))


def _months(p: str | None, unit: str | None) -> float | None:
    if not unit:
        return None
    n = float(_WORD_NUMBERS.get(p.lower(), 0) or p) if p else 1.0
    u = unit.lower()
    per = 1.0 if u.startswith("mo") else 12.0 if u.startswith("y") else 7 / 30.44
    return round(n * per, 2)


def weight_loss(text: str, add: Add, note_scopes: NoteScopes) -> None:
    low = lowered(text)
    stated = "loss" in low or "lost" in low or "losing" in low
    weighed = "kg" in low and ("wt" in low or "weight" in low)  # a current weight: "Wt 70 kg", "weight 70 kg"
    if not (stated or weighed):
        return
    currents = (
        [m for m in _CURRENT.finditer(text) if not _HIGHEST.match(text, max(0, m.start() - 40), m.end())]
        if weighed
        else []
    )
    current = _num(currents[0].group("w")) if currents else None
    for m in _STATED.finditer(text) if stated else ():
        if note_scopes.scope_of(m.start()) is not None:
            continue
        if m.group("n2"):
            pct, months = _num(m.group("n2")), _months(m.group("p2"), m.group("pu2"))
        else:
            unit = m.group("u").lower()
            months = _months(m.group("p"), m.group("pu"))
            if m.group("pct"):
                pct = _num(m.group("pct"))
            elif unit == "%":
                pct = _num(m.group("n"))
            elif current:
                kg = _num(m.group("n")) * (1.0 if unit.startswith("kg") else _LB)
                pct = round(100 * kg / (current + kg), 1)
            else:
                continue
        _add(add, m, pct, months)
        return  # one loss per note: the first stated
    for h in _HIGHEST.finditer(text) if currents else ():
        before = current if currents and currents[0].start() < h.start() else None
        if before is None or note_scopes.scope_of(h.start()) is not None:
            continue
        highest = _num(h.group("w"))
        if highest <= 0 or before > highest:
            continue
        _add(add, h, round(100 * (highest - before) / highest, 1), _months(h.group("p"), h.group("pu")))
        return


def _add(add: Add, m: re.Match[str], pct: float, months: float | None) -> None:
    if 0 <= pct < 100:
        add(
            "weight_loss",
            m.start(),
            m.end(),
            value=pct,
            unit="%",
            display=m.group(0),
            attributes={"months": months},
        )


# --- exercise: minutes per week ------------------------------------------------------------------

# not "cycles" (of chemotherapy) nor "run" alone: an activity word, the gate of the sentence loop below
_ACTIVITY_WORDS = (
    "walk", "runs", "running", "jog", "swim", "cycling", "bicycl", "bike", "biking", "gym", "exercis", "yoga",
    "tennis", "hike", "hiking", "danc", "pilates", "workout", "work out", "sport", "aerobic",
    "physical activity", "garden", "golf", "fitness", "rowing", "skiing",
)  # fmt: skip
_ACTIVITY_RE = compile_i(
    r"\b(?:walk\w*|runs|running|jog\w*|swim\w*|cycling|bicycl\w*|bik(?:e|es|ing)|gym|exercis\w*|yoga|tennis|hik\w*|"
    r"danc\w*|pilates|workouts?|work\s+out|sports?|aerobics?|physical\s+activity|garden\w*|golf\w*|fitness|"
    r"rowing|skiing)\b"
)
_PER_WEEK_MIN = compile_i(r"(?P<m>\d{1,3})\s*(?:min|mins|minutes?)\s*(?:/|per|a|each|every)\s*(?:wk|week)\b")
_PER_DAY_MIN = compile_i(
    r"(?P<m>\d{1,3})\s*(?:min|mins|minutes?)\s*(?:(?:/|per|a|each|every)\s*(?:d|day)\b|daily)"
    r"|\b(?:daily|every\s+day)\b[^.;+]{0,20}?(?P<m2>\d{1,3})\s*(?:min|mins|minutes?)\b"
)
_TIMES = compile_i(r"(?P<k>\d{1,2})\s*(?:x|times)\s*(?:/|per|a|each|every)?\s*(?:wk|week)\b")
_MINUTES = compile_i(r"(?P<m>\d{1,3})\s*(?:min|mins|minutes?)\b")
_NO_EXERCISE = compile_i(
    r"\b(?:no|not\s+any|does\s+not|doesn't|never)\s+(?:regular\s+|formal\s+|physical\s+)?(?:exercise|exercises|"
    r"exercising|physical\s+activity)\b"
)
_PARTS = re.compile(r"\s*(?:\+|;|,|\band\b|\bplus\b)\s*")


def exercise(text: str, add: Add, note_scopes: NoteScopes) -> None:
    """Minutes of exercise a week (`exercise` fact, unit "min/week"; `attributes["at_least"]` when an
    activity of the sentence gives no duration): "runs 3x/wk ~50 min + yoga weekly" (150, at least),
    "walks 30 min daily" (210), "no regular exercise" (0)."""
    low = lowered(text)
    if "exercis" in low or "physical activity" in low:
        none = _NO_EXERCISE.search(text)
        if none and note_scopes.scope_of(none.start()) is None:
            add("exercise", none.start(), none.end(), value=0.0, unit="min/week", display=none.group(0))
            return
    if "min" not in low or not any(w in low for w in _ACTIVITY_WORDS):
        return  # every duration read below is in minutes, of an activity
    sents = sentences(text)
    done: set[tuple[int, int]] = set()
    for first in _ACTIVITY_RE.finditer(text):
        sent = containing(sents, first.start())
        if sent is None or sent in done:
            continue
        done.add(sent)
        s, e = sent
        if note_scopes.scope_of(first.start()) is not None:
            continue  # "Plan: walk 30 min daily": not what the patient does
        total, unquantified, start, end = 0.0, False, None, None
        pos = s
        for part in [*_PARTS.split(text[s:e])]:
            lo = text.find(part, pos, e) if part else -1
            if lo < 0 or not _ACTIVITY_RE.search(part):
                continue
            pos = lo + len(part)
            minutes = _part_minutes(part)
            if minutes is None:
                unquantified = True
                continue
            total += minutes
            start, end = (lo if start is None else start), lo + len(part)
        if start is not None and end is not None:
            add(
                "exercise",
                start,
                end,
                value=total,
                unit="min/week",
                display=text[start:end],
                attributes={"at_least": True} if unquantified else {},
            )
            return


def _part_minutes(part: str) -> float | None:
    if m := _PER_WEEK_MIN.search(part):
        return float(m.group("m"))
    if m := _PER_DAY_MIN.search(part):
        return 7.0 * float(m.group("m") or m.group("m2"))
    times, minutes = _TIMES.search(part), _MINUTES.search(part)
    if times and minutes:
        return float(times.group("k")) * float(minutes.group("m"))
    return None
