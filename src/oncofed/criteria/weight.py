"""Weight loss and exercise thresholds of eligibility criteria. Weight loss: "weight loss > 10 % in the past 6 months",
"≥ 2 % weight loss from the highest weight in the 6 months prior to screening", "lost more than 5 % of
body weight within 3 months". One `weight_loss` atom: operator and value in percent of body weight,
`attributes["months"]` the period the loss is measured over (None when the criterion names none).
A loss in kilograms or pounds is no percentage of an unknown weight: not read (the criterion stays
for the investigator). Exercise: minutes per week ("less than 120 minutes of exercise per week"), one
`exercise` atom, unit "min/week"."""

from __future__ import annotations

import re

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.numbers import NUM, OP, num_of, op_of
from oncofed.domain.criteria import Atom

_LOSS = r"(?:(?:unintentional|unintended|involuntary|unexplained|significant)\s+)?(?:body\s+)?weight\s+loss"


def _pct(i: int) -> str:
    return rf"(?P<op{i}>{OP})\s*(?P<n{i}>{NUM})\s*%"


_WEIGHT_LOSS = compile_i(
    rf"{_pct(0)}\s*(?:of\s+)?(?:(?:unintentional|unintended|involuntary)\s+)?(?:body\s+)?weight\s+loss"
    rf"|{_pct(1)}\s*(?:loss\s+of|of)\s+(?:(?:usual|baseline|total)\s+)?(?:body\s+)?weight"
    rf"|{_LOSS}\s*(?:\([^)]{{0,20}}\)\s*)?(?:of\s+|was\s+|is\s+)?{_pct(2)}"
    rf"|\b(?:lost|losing|loss\s+of)\s+{_pct(3)}"
)
_PERIOD = compile_i(
    r"^[^.;]{0,60}?\b(?:in|within|over|during|for)\s+(?:the\s+)?(?:last|past|previous|preceding|prior)?\s*"
    rf"(?P<p>{NUM})\s*(?P<u>months?|mos?|weeks?|wks?)\b"
)
_WORDS = ("weight", "lost", "losing")


def _threshold(m: re.Match[str], alternatives: int) -> tuple[str | None, float | None]:
    """The operator and number of the alternative of `m` that matched (groups `op<i>` / `n<i>`)."""
    i = next((i for i in range(alternatives) if m.group(f"n{i}")), None)
    if i is None:
        return None, None
    return op_of(m.group(f"op{i}")), num_of(m.group(f"n{i}"))


def weight_loss_atoms(text: str, low: str) -> list[Atom]:
    """The weight-loss thresholds of one criterion (`low`: its lower-case text, a cheap gate)."""
    if not any(w in low for w in _WORDS) or "%" not in text:
        return []
    out: list[Atom] = []
    for m in _WEIGHT_LOSS.finditer(text):
        op, n = _threshold(m, 4)
        if op is None or n is None or not 0 < n < 100:
            continue
        months: float | None = None
        period = _PERIOD.match(text[m.end() : m.end() + 100])
        if period and (p := num_of(period.group("p"))) is not None:
            months = p if period.group("u").lower().startswith("m") else round(p * 7 / 30.44, 2)
        out.append(
            Atom(
                "weight_loss",
                op,
                value=n,
                unit="%",
                span=m.span(),
                text=m.group(0),
                attributes={"months": months},
            )
        )
    return out


# --- exercise: "less than 120 minutes of exercise per week", "≥ 150 min/week of physical activity" ------

_ACTIVITY = (
    r"(?:(?:moderate|vigorous|moderate[\s-]+to[\s-]+vigorous|moderate[\s-]+intensity|vigorous[\s-]+intensity|"
    r"structured|regular|aerobic|recreational|leisure[\s-]+time|self-?reported)\s+)*"
    r"(?:exercise|physical\s+activity|activity|aerobic\s+activity|walking)"
)
_PER_WEEK = r"(?:per|a|each|every|/)\s*(?:week|wk)\b"
_EXERCISE = compile_i(
    rf"(?P<op0>{OP})\s*(?P<n0>{NUM})\s*(?:minutes?|mins?)\s+(?:of\s+)?{_ACTIVITY}\s*{_PER_WEEK}"
    rf"|(?P<op1>{OP})\s*(?P<n1>{NUM})\s*(?:minutes?|mins?)\s*{_PER_WEEK}\s+(?:of\s+)?{_ACTIVITY}"
    rf"|{_ACTIVITY}\s+(?:of\s+)?(?P<op2>{OP})\s*(?P<n2>{NUM})\s*(?:minutes?|mins?)\s*{_PER_WEEK}"
)


def exercise_atoms(text: str, low: str) -> list[Atom]:
    """Exercise thresholds in minutes per week (`exercise` atoms, unit "min/week")."""
    if "min" not in low or not ("week" in low or "wk" in low):
        return []
    out: list[Atom] = []
    for m in _EXERCISE.finditer(text):
        op, n = _threshold(m, 3)
        if op is not None and n is not None and 0 < n <= 2000:
            out.append(Atom("exercise", op, value=n, unit="min/week", span=m.span(), text=m.group(0)))
    return out
