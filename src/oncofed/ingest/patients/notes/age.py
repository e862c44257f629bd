"""The patient's age in a note, and only the patient's: an age that belongs to someone else is not read.

    patient_age(text, years_re, months_re) -> (years, match) | None

An age phrase can be another person's: "breastfeeding her 5-month-old daughter", "lives with her
80-year-old mother", "mother of a 3-year-old", "her twins are 6 months old", "sa fille de 4 mois". Such an
age (after a possessive or "mother of a", right before a relative's noun, after "her twins are" or "sa fille
de", not "Garçon de 9 ans": the patient) is skipped and the search goes on; an age no wording gives stays unknown (`None`), never 0.

Besides the reader's "47-year-old", "aged 47", "47 yo", "74M" (`values.AGE_RE`), two forms of a note's
opening give the patient's age: a bare number after the patient's title and name ("Mrs Justine Carre, 47,",
"Mr Lefort (66)") and a number of years in brackets ("born 1982 (44 y)"); a bare number in brackets after the
birth date ("born 30/05/1958 (68)", "DOB 30.05.1958 (68)") is the age too.
"""

from __future__ import annotations

import re

from oncofed.criteria.caseless import Caseless
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
    + r"\s*(?:,\s*|\(\s*)(\d{1,3})\s*(?:(?i:y|yo|yrs?|years?(?:\s+old)?|ans))?\s*(?=[,;.)(]|$)",
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
_BORN_BRACKET = compile_i(
    r"\b(?:born(?:\s+(?:on|in))?|dob|d\.o\.b\.?|date\s+of\s+birth|birth\s+date)\s*:?\s*"
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+[a-zé]{3,9}\.?\s+\d{4}|"
    r"[a-zé]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4})\s*\(\s*(\d{1,3})\s*(?:y|yo|yrs?|years?(?:\s+old)?|ans)?\s*\)"
)


def _someone_else(text: str, m: re.Match[str]) -> bool:
    before = text[max(0, m.start() - 40) : m.start()]
    return bool(_OTHER_BEFORE.search(before) or _OTHER_AFTER.match(text, m.end(), m.end() + 30))


_RELATIVE_CLAUSE = compile_i(rf"\b(?:{_RELATIVES})\b[^.;:]{{0,20}}$")


def _first_own(text: str, rx: Caseless | re.Pattern[str], end: int) -> re.Match[str] | None:
    for m in rx.finditer(text, 0, end):
        if rx is _BORN_BRACKET and _RELATIVE_CLAUSE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "her daughter, born 2001 (25)": a relative's birth
        if not _someone_else(text, m):
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
