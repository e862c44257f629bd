"""Exercise criteria (minutes a week against `exercise` facts: `exercise` below) and weight loss criteria
("weight loss > 10 % in the past 6 months") against the loss a record gives: a
`weight_loss` fact (percent of body weight, `attributes["months"]` the period it was measured over).

A loss measured over another period than the criterion's decides only where the periods make it
certain: a loss at or above a threshold over a period no longer than the criterion's is one within it;
a loss below it over a period at least as long (from the highest weight of that period) is below it over
any shorter one. Otherwise the atom is unknown: a wrong exclusion is worse than a question."""

from __future__ import annotations

from datetime import date

from oncofed.domain import Atom, Fact
from oncofed.matching.atoms import AtomResult, unknown
from oncofed.matching.facts import PatientView, as_float
from oncofed.matching.numeric import compare


def _period(months: object) -> str:
    value = as_float(months)
    return f" over {value:g} months" if value is not None else ""


def _latest(
    atom: Atom, v: PatientView, kind: str, missing: str, unread: str = ""
) -> tuple[Fact, float, float] | AtomResult:
    """The newest positive `kind` fact with its value and the atom's threshold, or the unknown to return
    (`missing`: no fact or no threshold; `unread`, default `missing`: a fact without a number)."""
    facts = v.positive(kind)
    threshold = as_float(atom.value)
    if not facts or threshold is None:
        return unknown(missing)
    f = max(facts, key=lambda x: x.when or date.min)
    value = as_float(f.value)
    if value is None:
        return unknown(unread or missing, fact=f)
    return f, value, threshold


def weight_loss(atom: Atom, v: PatientView, day: date) -> AtomResult:
    found = _latest(
        atom,
        v,
        "weight_loss",
        "weight loss over the criterion's period (% of body weight)",
        "weight loss (% of body weight)",
    )
    if isinstance(found, AtomResult):
        return found
    f, loss, threshold = found
    holds = bool(compare(atom.operator, loss, threshold))
    had, asked = as_float(f.attributes.get("months")), as_float(atom.attributes.get("months"))
    rising = atom.operator in (">", ">=")  # "loss > 10 %": a longer period can only show more loss
    # True for ">": the loss reached the threshold within a period inside the criterion's
    shorter_ok = asked is None or (had is not None and had <= asked)
    longer_ok = asked is None or (had is not None and had >= asked)
    decided = (shorter_ok if holds else longer_ok) if rising else (longer_ok if holds else shorter_ok)
    words = (
        f"weight loss {loss:g} %{_period(had)} (criterion: {atom.operator} {threshold:g} %{_period(asked)})"
    )
    if not decided:
        return unknown("weight loss over the criterion's period", words, f)
    return AtomResult(holds, words, f)


def exercise(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """Minutes of exercise a week against the record's (`attributes["at_least"]`: an activity without
    its duration adds an unknown amount, so only "at or above" is certain)."""
    found = _latest(atom, v, "exercise", "minutes of exercise per week")
    if isinstance(found, AtomResult):
        return found
    f, minutes, threshold = found
    holds = bool(compare(atom.operator, minutes, threshold))
    at_least = bool(f.attributes.get("at_least"))
    words = f"exercise {'at least ' if at_least else ''}{minutes:g} min/week (criterion: {atom.operator} {threshold:g})"
    # more exercise than recorded can only turn "< t" false and "> t" true
    if at_least and (holds if atom.operator in ("<", "<=") else not holds):
        return unknown("minutes of exercise per week (an activity without its duration)", words, f)
    return AtomResult(holds, words, f)
