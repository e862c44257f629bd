"""An indicator's definition said in words (issue 18 part 6): the SQL conditions of
`resources/indicators/*.yaml` (population, numerator, value, exclusions) read out in the reader's
language ("date of first treatment recorded", "date of the tumour board on or before date of first
treatment") instead of `diagnosis_day IS NOT NULL`. The definitions use a handful of shapes, each
listed here; a condition of another shape is shown as written (and stays in the JSON/CSV as SQL)."""

from __future__ import annotations

import re

from oncofed.presenters.i18n import N_, NN_, Plural, Translator, translator

# the columns the definitions name (quality/engine.py builds them per pathway or per board case)
COLUMNS = {
    "diagnosis_day": N_("date of diagnosis"),
    "first_treatment_day": N_("date of first treatment"),
    "mdt_day": N_("date of the tumour board review"),
    "rcp_day": N_("date of the tumour board review"),
    "care_plan_day": N_("date the personalised care plan was handed over"),
    "supportive_day": N_("date of first supportive care"),
    "trial_day": N_("date of trial inclusion"),
    "inclusion_day": N_("date of trial inclusion"),
    "death_day": N_("date of death"),
    "meeting_day": N_("date of the board meeting"),
    "n_candidates": N_("number of candidate trials"),
    "n_proposed": N_("number of trials proposed"),
    "n_specialties": N_("number of specialties present"),
    "signed": N_("record signed"),
    "item": N_("survey item"),
    "kind": N_("kind of case"),
    "score": N_("score"),
}
NAME = r"([a-z_]+)"
NUMBER = r"(\d+(?:\.\d+)?)"
# (shape, words, what each group is: a column, a number or a value); words with a number beside a
# noun have plural forms (`NN_`), chosen by that number
SHAPES: list[tuple[re.Pattern[str], str | Plural, str]] = [
    (re.compile(r"TRUE"), N_("every record of the period"), ""),
    (re.compile(rf"{NAME} IS NOT NULL"), N_("%(a)s recorded"), "c"),
    (re.compile(rf"{NAME} IS NULL"), N_("no %(a)s recorded"), "c"),
    (
        re.compile(rf"{NAME} - {NAME} <= {NUMBER}"),
        NN_("%(a)s at most %(num)s day after %(b)s", "%(a)s at most %(num)s days after %(b)s"),
        "ccn",
    ),
    (re.compile(rf"{NAME} - {NAME}"), N_("days from %(b)s to %(a)s"), "cc"),
    (re.compile(rf"{NAME} <= {NAME}"), N_("%(a)s on or before %(b)s"), "cc"),
    (re.compile(rf"{NAME} >= {NUMBER}"), N_("%(a)s at least %(n)s"), "cn"),
    (re.compile(rf"{NAME} = '([^']*)'"), N_("%(a)s is “%(v)s”"), "cv"),
    (re.compile(rf"NOT {NAME}"), N_("not: %(a)s"), "c"),
    (re.compile(NAME), N_("%(a)s"), "c"),
]


def describe(lang: str, sql: str | None) -> str:
    """`sql` (an indicator's condition or value) in words, or as written when its shape is unknown."""
    if not sql:
        return ""
    tr = translator(lang)
    parts = [_clause(tr, part.strip()) for part in re.split(r"\s+AND\s+", sql.strip())]
    if any(p is None for p in parts):
        return sql
    return tr.gettext(" and ").join(p for p in parts if p is not None)


def _clause(tr: Translator, clause: str) -> str | None:
    for rx, message, kinds in SHAPES:
        m = rx.fullmatch(clause)
        if not m:
            continue
        params: dict[str, str] = {}
        count = 0
        columns = iter(("a", "b"))
        for kind, value in zip(kinds, m.groups(), strict=True):
            if kind == "c":
                if value not in COLUMNS:
                    return None  # a column this module does not know: keep the SQL
                params[next(columns)] = tr.gettext(COLUMNS[value])
            elif kind == "n":
                params["num" if isinstance(message, Plural) else "n"] = tr.number(float(value))
                count = int(float(value))
            else:
                params["v"] = value
        if isinstance(message, Plural):
            return tr.ngettext(message.singular, message.plural, count, **params)
        return tr.gettext(message, **params)
    return None
