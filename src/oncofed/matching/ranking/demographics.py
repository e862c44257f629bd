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


@dataclass(frozen=True)
class Population:
    """Who a trial is for, as far as its text says (read once per trial, at index time)."""

    sex_field: str | None = None  # "female" / "male" from a `Gender:` / `Sex:` field
    women_words: int = 0
    men_words: int = 0
    min_age: float | None = None  # from `Minimum age:` / `Maximum age:` fields
    max_age: float | None = None
    age_range: tuple[float, float] | None = None  # "aged 18 to 65" (when there is no age field)
    at_least: float | None = None  # "aged at least 18" (when there is no age field)
    paediatric_words: int = 0
    adult_words: int = 0


def trial_population(trial_text: str) -> Population:
    """The population a trial text describes (see the module docstring)."""
    text = trial_text
    g = _GENDER_FIELD.search(text)
    sex_field = g.group(1).lower() if g and g.group(1).lower() in ("female", "male") else None
    lo = _MIN_AGE.search(text)
    hi = _MAX_AGE.search(text)
    r = _RANGE.search(text) if not lo and not hi else None
    a = _AT_LEAST.search(text) if not lo and not hi else None
    return Population(
        sex_field=sex_field,
        women_words=0 if g else len(_WOMEN_ONLY.findall(text)),
        men_words=0 if g else len(_MEN_ONLY.findall(text)),
        min_age=_years(*lo.groups()) if lo else None,
        max_age=_years(*hi.groups()) if hi else None,
        age_range=(float(r.group(1)), float(r.group(2))) if r else None,
        at_least=float(a.group(1)) if a else None,
        paediatric_words=len(_PAEDIATRIC.findall(text)) if not lo and not hi else 0,
        adult_words=len(_ADULT.findall(text)) if not lo and not hi else 0,
    )


def mismatch(patient: Demographics, trial: str | Population) -> float:
    """How plainly the trial's population excludes this patient: 0 (nothing says so) .. 1."""
    pop = trial_population(trial) if isinstance(trial, str) else trial
    penalty = 0.0
    if patient.sex is not None:
        if pop.sex_field is not None and pop.sex_field != patient.sex:
            penalty = 1.0
        elif pop.sex_field is None:
            if patient.sex == "male" and pop.women_words >= 2 and pop.men_words == 0:
                penalty = max(penalty, 0.5)
            if patient.sex == "female" and pop.men_words >= 2 and pop.women_words == 0:
                penalty = max(penalty, 0.5)
    if patient.age is not None:
        age = patient.age
        if pop.min_age is not None and age < pop.min_age:
            penalty = max(penalty, 1.0)
        if pop.max_age is not None and age > pop.max_age:
            penalty = max(penalty, 1.0)
        if pop.age_range is not None and not (pop.age_range[0] <= age <= pop.age_range[1]):
            penalty = max(penalty, 0.7)
        if pop.at_least is not None and age < pop.at_least:
            penalty = max(penalty, 0.7)
        if age >= 18 and pop.paediatric_words >= 2 and pop.adult_words == 0:
            penalty = max(penalty, 0.5)
        if age < 16 and pop.adult_words >= 1 and pop.paediatric_words == 0:
            penalty = max(penalty, 0.5)
    return penalty
