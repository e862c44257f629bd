"""Query understanding for patient notes: age and sex from the note, the population a trial is for.

A note such as "A 58-year-old African-American woman presents..." gives age 58 and sex female.
A trial text gives, when it says so, its sex (`Gender: Female`, "women with...", "men aged...") and
its age band (`Minimum age: 18 Years`, "aged 18 to 65", "children", "infants", "adults",
"elderly"). `mismatch(patient, trial)` is a number in [0, 1]: 1 when the trial plainly excludes
the patient (a men-only trial for a woman, a paediatric trial for a 60-year-old), 0 when nothing
says so. Hand-written rules (regular expressions) because no library reads these phrasings; they
are generic English, not tuned to one benchmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_AGE = re.compile(
    r"\b(\d{1,3}|" + "|".join(_NUM_WORDS) + r")[\s-]*(year|yr|month|week|day)s?[\s-]*old\b", re.IGNORECASE
)
_FEMALE = re.compile(r"\b(woman|women|female|girl|lady|mother|she|her|pregnant|gravida)\b", re.IGNORECASE)
_MALE = re.compile(r"\b(man|men|male|boy|gentleman|father|he|his)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Demographics:
    age: float | None
    sex: str | None  # "female" / "male"


def patient_demographics(note: str) -> Demographics:
    """Age in years and sex of the patient described by a case note (None when not said)."""
    head = note[:400]
    age = None
    m = _AGE.search(head)
    if m:
        raw = m.group(1).lower()
        n = float(_NUM_WORDS.get(raw, 0) or raw)
        unit = m.group(2).lower()
        age = (
            n
            if unit in ("year", "yr")
            else n / 12
            if unit == "month"
            else n / 52
            if unit == "week"
            else n / 365
        )
    females = len(_FEMALE.findall(head))
    males = len(_MALE.findall(head))
    sex = "female" if females > males else "male" if males > females else None
    return Demographics(age, sex)


_GENDER_FIELD = re.compile(r"\b(?:gender|sex)\s*:\s*(female|male|both|all)\b", re.IGNORECASE)
_MIN_AGE = re.compile(r"minimum\s+age\s*:\s*(\d+)\s*(year|month|week|day)", re.IGNORECASE)
_MAX_AGE = re.compile(r"maximum\s+age\s*:\s*(\d+)\s*(year|month|week|day)", re.IGNORECASE)
_RANGE = re.compile(
    r"\b(?:aged?|ages|between)\s+(\d{1,2})\s*(?:-|to|and|–)\s*(\d{1,3})\s*(?:years?|yrs?)", re.IGNORECASE
)
_AT_LEAST = re.compile(
    r"\b(?:aged?|age)\s*(?:>=|≥|of at least|at least|over|above|older than)\s*(\d{1,2})\b", re.IGNORECASE
)
_PAEDIATRIC = re.compile(
    r"\b(children|child|pediatric|paediatric|infants?|newborns?|neonat\w*|toddlers?|adolescents?)\b",
    re.IGNORECASE,
)
_ADULT = re.compile(
    r"\b(adults?|elderly|older people|postmenopausal|aged \d{2,3} (?:years )?(?:and|or) (?:older|over))\b",
    re.IGNORECASE,
)
_WOMEN_ONLY = re.compile(
    r"\b(women|woman|female|pregnan\w+|postmenopausal|premenopausal|mothers?|ovar\w+|uter\w+|cervi\w+|endometri\w+|breast\s*feeding)\b",
    re.IGNORECASE,
)
_MEN_ONLY = re.compile(r"\b(men|male|prostat\w+|testic\w+|erectile)\b", re.IGNORECASE)


def _years(n: str, unit: str) -> float:
    u = unit.lower()
    v = float(n)
    return (
        v
        if u.startswith("year")
        else v / 12
        if u.startswith("month")
        else v / 52
        if u.startswith("week")
        else v / 365
    )


def mismatch(patient: Demographics, trial_text: str) -> float:
    """How plainly the trial's population excludes this patient: 0 (nothing says so) .. 1."""
    penalty = 0.0
    text = trial_text
    if patient.sex is not None:
        g = _GENDER_FIELD.search(text)
        if g and g.group(1).lower() in ("female", "male") and g.group(1).lower() != patient.sex:
            penalty = max(penalty, 1.0)
        elif not g:
            women = len(_WOMEN_ONLY.findall(text))
            men = len(_MEN_ONLY.findall(text))
            if patient.sex == "male" and women >= 2 and men == 0:
                penalty = max(penalty, 0.5)
            if patient.sex == "female" and men >= 2 and women == 0:
                penalty = max(penalty, 0.5)
    if patient.age is not None:
        age = patient.age
        lo = _MIN_AGE.search(text)
        hi = _MAX_AGE.search(text)
        if lo and age < _years(*lo.groups()):
            penalty = max(penalty, 1.0)
        if hi and age > _years(*hi.groups()):
            penalty = max(penalty, 1.0)
        if not lo and not hi:
            r = _RANGE.search(text)
            if r and not (float(r.group(1)) <= age <= float(r.group(2))):
                penalty = max(penalty, 0.7)
            a = _AT_LEAST.search(text)
            if a and age < float(a.group(1)):
                penalty = max(penalty, 0.7)
            paed = len(_PAEDIATRIC.findall(text))
            adult = len(_ADULT.findall(text))
            if age >= 18 and paed >= 2 and adult == 0:
                penalty = max(penalty, 0.5)
            if age < 16 and adult >= 1 and paed == 0:
                penalty = max(penalty, 0.5)
    return penalty
