"""The patient's age in a note, and only the patient's: an age that belongs to someone else is not read.

    patient_age(text, years_re, months_re) -> (years, match) | None

An age phrase can be another person's: "breastfeeding her 5-month-old daughter", "lives with her
80-year-old mother", "mother of a 3-year-old", "her twins are 6 months old", "sa fille de 4 mois". Such an
age (after a possessive or "mother of a", right before a relative's noun, after "her twins are" or "sa fille
de", not "Garçon de 9 ans": the patient) is skipped and the search goes on; an age no wording gives stays unknown (`None`), never 0.

Besides the reader's "47-year-old", "aged 47", "47 yo", "74M" (`values.AGE_RE`), two forms of a note's
opening give the patient's age: a bare number after the patient's title and name ("Mrs Justine Carre, 47,",
"Mr Lefort (66)") and a number of years in brackets ("born 1982 (44 y)"); a bare number in brackets after the
birth date ("born 30/05/1958 (68)", "DOB 30.05.1958 (68)") is the age too. Verdicts37 adds "(born 1956, 70)",
"Age: 67", "56 F," opening a line, a sentence or a patient heading, and a name ending with an initial ("Mrs D., 66");
and skips an age at an event ("smoker since age 16", "menarche at age 11", "when she was 14 years old") and an age
after a counted or owned relative ("2 children (aged 12 and 9)"): neither is the patient's age now.
Verdicts42: a birth date written alone ("Mr Corvelle, born 14/03/1961", "DOB: 12.03.1951", "née le 05/09/1977")
gives the age on the note's date (`age_from_birth`), when that age is one whatever day of the written precision.
"""

from __future__ import annotations

import re
from datetime import date

from oncofed.criteria.caseless import Caseless
from oncofed.ingest.patients.notes import dates
from oncofed.ingest.patients.notes.lowered import compile_i

_RELATIVES = (
    r"daughters?|sons?|child(?:ren)?|kids?|bab(?:y|ies)|infants?|twins?|triplets?|toddlers?|grand\w+|sisters?|brothers?|"
    r"siblings?|mother|father|parents?|husband|wife|partner|spouse|niece|nephew|cousin|aunt|uncle|grandson|"
    r"granddaughter|grandchild(?:ren)?"
)
_OTHER_BEFORE = compile_i(
    rf"\b(?:(?:her|his|their|whose|(?:mother|father|parent|grand\w+)\s+of\s+(?:a|an|two|three))\s+(?:[\w-]+\s+)?"
    rf"|(?:her|his|their)\s+(?:[\w-]+\s+)?(?:{_RELATIVES})\s+(?:is|are|was|were|aged?)\s+"
    # a French note read rewritten: "sa fille de 4 mois" is "sa daughter de 4 months"; after a possessive or
    # "d'un(e)" only ("Garçon de 9 ans" is the patient)
    rf"|\b(?:sa|son|ses|leurs?|d'une?|d'one)\s+(?:{_RELATIVES}|gar[çc]ons?|filles?|fils|enfants?|b[ée]b[ée]s?|"
    rf"m[èe]res?|p[èe]res?|s[œo]e?urs?|fr[èe]res?|mari|conjointe?|petite?s?-\w+)\s+(?:[\w-]+\s+)?(?:de|d')\s*)$"
)
_OTHER_AFTER = compile_i(rf"[\s-]*(?:{_RELATIVES})\b")
# "Mrs Justine Carre, 47,", "Mr Lefort (66)", "Mme Dubois, 61 ans", "Mr Édouard Villeneuve, 61 (born 1965)": the
# title case-insensitive, the name capitalised
# a capitalised name, accents included ("Édouard", "Élise Ørsted")
_NAME = r"(?:[A-ZÀ-ÖØ-Þ][\w'-]*\s+){0,3}[A-ZÀ-ÖØ-Þ][\w'-]*"
_TITLE_NAME = re.compile(
    r"\b(?i:mrs?|ms|miss|mme|mlle|madame|monsieur|m(?=\.))\.?\s+(?:\((?:female|male)\)\s+)?"  # French "Mme" rewritten
    + _NAME
    # the name may end with an initial ("Mrs D., 66", "Ms Claire D., 46": verdicts37)
    + r"(?:(?<=\b[A-Z])\.)?\s*(?:,\s*|\(\s*)(\d{1,3})\s*(?:(?i:y|yo|yrs?|years?(?:\s+old)?|ans))?\s*(?=[,;.)(]|$)",
    re.M,
)
# the patient's title before a name gives the sex: "Mrs Ingrid Hoffmann", "Mr Karim Benali", "Mme Dubois",
# "M. Édouard Villeneuve", "Monsieur Petit"; written as a title is ("MS" / "MR" in capitals are a disease, a
# record), never a relative's ("her husband Mr Dubois": `_someone_else`)
_TITLE_SEX = re.compile(r"\b(Mrs|Ms|Miss|Mme|Mlle|Madame|Mr|Monsieur|M(?=\.))\.?\s+" + _NAME)
_TITLE_FEMALE = {"Mrs", "Ms", "Miss", "Mme", "Mlle", "Madame"}
_BRACKET_YEARS = compile_i(r"\((\d{1,3})\s*(?:y|yo|yrs?|years?(?:\s+old)?|ans)\)")
# a bare number in brackets right after the birth date is the age: "born 30/05/1958 (68)", "DOB: 30.05.1958 (68)",
# "date of birth 1958-05-30 (68)", "born on 30 May 1958 (68)", "born 1958 (68)" (verdicts33); a bracket that holds
# anything else ("born 30/05/1958 (Lyon)") or follows another date ("CT 12/05/2026 (3)") is no age
_BIRTH = (
    r"\b(?:born(?:\s+(?:on|in))?|dob|d\.o\.b\.?|date\s+of\s+birth|birth\s+date)\s*:?\s*"
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+[a-zé]{3,9}\.?\s+\d{4}|"
    r"[a-zé]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4})"
)
_YEARS_UNIT = r"(?:y|yo|yrs?|years?(?:\s+old)?|ans)"
_BORN_BRACKET = compile_i(_BIRTH + rf"\s*\(\s*(\d{{1,3}})\s*{_YEARS_UNIT}?\s*\)")
# the birth date and the age in one bracket: "(born 1956, 70)", "(DOB 01.02.1955, 71 years)"; the bracket closes
# right after the number ("(born 1956, 2 children)" is no age) (verdicts37)
_BRACKET_BORN_AGE = compile_i(r"\(\s*" + _BIRTH + rf"\s*[,;]\s*(\d{{1,3}})\s*{_YEARS_UNIT}?\s*\)")
# an age heading: "Age: 67", "AGE : 67 years", at a line's start or after a separator ("Sex: F | Age: 67"); not a
# qualified age ("Gestational age: 38 weeks", "Age at diagnosis: 45") (verdicts37)
_AGE_HEADING = re.compile(
    r"(?:^|(?<=^- )|(?<=^\* )|(?<=[.;,|] )|(?<=[.;,|]))age[ \t\u00a0\u202f]*:[ \t]*(\d{1,3})(?![\d.,]\d)"
    r"(?:[ \t]*(?:y|yo|yrs?|years?(?:[ \t]+old)?|ans)\b)?(?![ \t]*(?:weeks?|wks?|months?|mo|days?|d)\b)",
    re.I | re.M,
)
# "56 F, metastatic TNBC", "Pt: 58 F.", "HPI: 59 F, ER+": an age and a sex letter opening a line, a sentence or a
# patient heading, closed by a comma, a period or a semicolon (the reader's own "74M" opens only the note); not a
# temperature ("Temp: 99 F,": no patient heading) (verdicts37)
_PATIENT_HEADINGS = ("(?i:pt)", "(?i:hpi)", "(?i:patient)", "S", "ID")
_AGE_LETTER = re.compile(
    r"(?:^|(?<=^- )|(?<=^\* )|(?<=[.;!?] )|"
    # the heading closed by a colon or a spaced dash ("Pt: 58 F.", "HPI - 59 F,"); fixed-width lookbehinds
    + "|".join(rf"(?<=\b{h}{end})" for h in _PATIENT_HEADINGS for end in (": ", " - ", ":"))
    + r")(\d{1,3}) ?(?:y/?o ?)?[MF](?=[ \t]*[,.;])",
    re.M,
)


# an age a relative has, the relative's noun counted or owned right before it ("2 children (aged 12 and 9)", "two
# sons aged 17 and 15", "has a daughter aged 6", "one grandchild (3 years old)"); not a noun that is the patient's
# own description ("Single mother, 38 years old", "Mr Roux, grandfather, aged 81": no count, no owner) (verdicts37)
_RELATIVE_AGED = compile_i(
    rf"(?:\b(?:her|his|their|whose|my|both|one|two|three|four|five|six|\d)\s+|\b(?:has|have|had|with)\s+(?:a|an)\s+)"
    rf"(?:[\w-]+\s+)?(?:{_RELATIVES})\s*[,(]?\s*(?:both\s+|now\s+|currently\s+)?$"
    # "born at term to a 35-year-old woman": the mother's age
    r"|\bborn\b[^.;\n]{0,40}\bto\s+an?\s+$"
)
# an age at an event, not the patient's age today: "smoker since age 16", "menarche at age 11", "asthma until age
# 12", "diagnosed at 8 years old", "epilepsy when she was 14 years old", "started at around age 15" (verdicts37:
# the years reader's "age 16" came before "Mrs Vercors, 61" and an age limit failed an eligible patient)
_EVENT_AGE = compile_i(
    r"\b(?:since|at|from|until|till|before|after|by|around|about|under|between|as\s+of)\s+(?:the\s+)?$"
    r"|\bwhen\s+(?:she|he|they|the\s+patient)\s+(?:was|were)\s+$"
)


def _someone_else(text: str, m: re.Match[str]) -> bool:
    before = text[max(0, m.start() - 40) : m.start()]
    return bool(_OTHER_BEFORE.search(before) or _OTHER_AFTER.match(text, m.end(), m.end() + 30))


def _not_now(text: str, m: re.Match[str]) -> bool:
    """Whether the age `m` is a relative's or the patient's at some past event (not the patient's age now)."""
    before = text[max(0, m.start() - 40) : m.start()]
    return bool(_RELATIVE_AGED.search(before) or _EVENT_AGE.search(before))


_RELATIVE_CLAUSE = compile_i(rf"\b(?:{_RELATIVES})\b[^.;:]{{0,20}}$")


_NEAR_RELATIVE = (_BORN_BRACKET, _BRACKET_BORN_AGE, _AGE_HEADING, _AGE_LETTER)


def _first_own(text: str, rx: Caseless | re.Pattern[str], end: int) -> re.Match[str] | None:
    for m in rx.finditer(text, 0, end):
        if rx in _NEAR_RELATIVE and _RELATIVE_CLAUSE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "her daughter, born 2001 (25)", "Mother, age: 80": a relative's birth or age
        if not _someone_else(text, m) and not _not_now(text, m):
            return m
    return None


def patient_age(text: str, years_re: Caseless, months_re: Caseless) -> tuple[float, re.Match[str]] | None:
    """The patient's age in years (months as a fraction) and the words that give it; None when no wording
    gives the patient's own age."""
    if m := _first_own(text, months_re, 200):
        return round(int(m.group(1)) / 12, 2), m
    for rx, end in (
        (years_re, 300),
        (_TITLE_NAME, 300),
        (_BRACKET_YEARS, 300),
        (_BORN_BRACKET, 300),
        (_BRACKET_BORN_AGE, 300),
        (_AGE_HEADING, 300),
        (_AGE_LETTER, 300),
        (years_re, len(text)),
    ):
        if (m := _first_own(text, rx, end)) is not None:
            years = int(next(g for g in m.groups() if g))
            if 0 <= years <= 120:
                return float(years), m
    return None


# a clinician's or correspondent's title, not the patient's: "Dr M. Laurent", "referred by Mr Hadley", "Dear Mr
# Okafor", "cc: Mrs Lee", "Mr Hadley, consultant surgeon" (UK surgeons are "Mr"), "Mr Shah (oncologist)"
_CLINICIAN_BEFORE = compile_i(
    r"\b(?:dr|doctor|prof|professor|pr|dear|cc|to|from|by|per|signed|attn|consultant|colleague|under|care\s+of)"
    r"\b[.:]?\s*$"
)
_CLINICIAN_AFTER = compile_i(
    r"'s\b|\s*(?:,\s*|\(\s*|-\s*)(?:\w+\s+){0,2}(?:consultant|surgeon|oncologist|physician|doctor|gp|radiologist|"
    r"pathologist|nurse|registrar|fellow|resident|md|frcs|mrcp)\b"
)


def title_sex(text: str, end: int) -> tuple[str, re.Match[str]] | None:
    """The sex a courtesy title before the patient's name gives ("Mrs Ingrid Hoffmann": FEMALE), from the
    first `end` characters; a relative's or a clinician's title is skipped; None when no title is written."""
    for m in _TITLE_SEX.finditer(text, 0, end):
        before = text[max(0, m.start() - 20) : m.start()]
        clinician = _CLINICIAN_BEFORE.search(before)
        if _someone_else(text, m) or clinician or _CLINICIAN_AFTER.match(text, m.end(), m.end() + 60):
            continue
        return ("FEMALE" if m.group(1) in _TITLE_FEMALE else "MALE"), m
    return None


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_from_birth(text: str, end: int = 300) -> tuple[int, dates.DateMention, date] | None:
    """The patient's age on the note's date from a birth date written in its opening ("Mrs Dubosc, born 29/10/1969"
    in a note of 20/11/2026: 57), with the birth date and the note's date; None without a note date, when the
    birth date is a relative's ("her daughter, born 02/03/2001"), or when its precision leaves the age open by a
    year ("born 1965": 60 or 61)."""
    born = dates.birth_date(text, end)
    if born is None or _RELATIVE_CLAUSE.search(text[max(0, born.start - 60) : born.start]):
        return None
    on = dates.as_of(text)  # the visit date, else the latest date the note names (a birth date is neither)
    if on is None or on < born.latest:
        return None
    years = {_years_between(born.earliest, on), _years_between(born.latest, on)}
    if len(years) != 1 or not 0 <= (age := years.pop()) <= 120:
        return None
    return age, born, on
