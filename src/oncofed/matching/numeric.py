"""The numeric rules of matching, in ONE place: operators, laboratory thresholds (units, "x ULN" and
the upper limit of normal used), and comparisons of a value known only as a range (ECOG converted
from Karnofsky). Read by the per-patient evaluator (`atoms.py`, `evaluate.py`), the vectorised one
(`vectorised.py`) and the stored match index (`features.py`), so they cannot disagree: every
function takes a float or a numpy column alike.

Data: canonical units and default ULNs are `resources/labs.tsv`; unit conversions are
`resources/vocab/lab_units.tsv` (read through `oncofed.criteria.units`, the parser's own table).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from oncofed.criteria.units import ULN, normalize_unit, to_canonical
from oncofed.matching.facts import as_float
from oncofed.matching.vocab import lab_uln, lab_unit

OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
}
NUMERIC_OPERATORS = (">=", ">", "<=", "<")
OPERATOR_WORDS = {
    ">=": "at least",
    ">": "above",
    "<=": "at most",
    "<": "below",
    "==": "equal to",
    "=": "equal to",
}


# Values this close (relative to the larger one) are equal: a threshold computed in floating point
# ("1.5 x ULN 1.2" is 1.7999999999999998) must not exclude a value written at the boundary (1.8).
REL_TOL = 1e-9
_EQUAL_HOLDS = {">=": True, "<=": True, "==": True, "=": True, ">": False, "<": False, "!=": False}


def compare(op: str, left: Any, right: Any) -> Any:
    """`left op right` for numbers or numpy columns, values equal within `REL_TOL` counted equal (NaN
    compares False, silently)."""
    fn = OPERATORS.get(op)
    if fn is None:
        raise ValueError(f"operator {op!r} is not numeric")
    if isinstance(left, np.ndarray) or isinstance(right, np.ndarray):
        with np.errstate(invalid="ignore"):
            a, b = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
            close = np.abs(a - b) <= REL_TOL * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
            return np.asarray(np.where(close, _EQUAL_HOLDS[op], fn(left, right)))
    numbers = isinstance(left, (int, float)) and isinstance(right, (int, float))
    if numbers and abs(left - right) <= REL_TOL * max(1.0, abs(left), abs(right)):
        return _EQUAL_HOLDS[op]
    return fn(left, right)


# --- laboratory thresholds -------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def is_uln(unit: str | None) -> bool:
    """Whether a criterion's unit is a multiple of the upper limit of normal ("x ULN")."""
    return (unit or "").replace(" ", "").lower() in ("xuln", "×uln", "uln")


def record_uln(stored: Any, analyte: str) -> float | None:
    """The ULN to use for one value: the record's own (reference range) unless missing or zero,
    else the typical adult ULN of labs.tsv (None when neither exists)."""
    own = as_float(stored)
    return own if own else lab_uln(analyte)


def record_uln_column(stored: np.ndarray, present: np.ndarray, analyte: str) -> np.ndarray:
    """`record_uln` over a column of stored ULNs (NaN where missing); NaN where no value is present."""
    default = lab_uln(analyte)
    fallback = np.nan if default is None else float(default)
    uln = np.where(np.isnan(stored) | (stored == 0), fallback, stored)
    return np.where(present, uln, np.nan)


@functools.cache
def _canonical_factor(analyte: str, unit: str) -> float | None:
    """Factor turning a threshold written in `unit` into the analyte's canonical unit (labs.tsv)."""
    canonical = lab_unit(analyte)
    if normalize_unit(unit) == normalize_unit(canonical):
        return 1.0
    value, converted = to_canonical(analyte, 1.0, unit)
    if converted is None or normalize_unit(converted) != normalize_unit(canonical):
        return None
    return value


def canonical_threshold(analyte: str, value: float, unit: str | None) -> float | None:
    """`value` in the analyte's canonical unit, or None when the unit cannot be converted."""
    if not unit:
        return value
    factor = _canonical_factor(analyte, unit)
    return None if factor is None else value * factor


def lab_threshold(analyte: str, value: Any, unit: str | None, uln: Any) -> Any:
    """The criterion's threshold in the record's (canonical) unit: `value x uln` for "x ULN" (`uln`
    a float or a column), else the value converted; None when it cannot be expressed."""
    target = value if type(value) is float else as_float(value)
    if target is None:
        return None
    if is_uln(unit):
        if uln is None:
            return None
        return _tidy(target * uln)
    found = canonical_threshold(analyte, target, unit)
    return None if found is None else _tidy(found)


def _tidy(x: Any) -> Any:
    """A product of floats without its binary rounding error: 1.5 x ULN 1.2 is 1.8, not 1.7999999999999998
    (a creatinine of 1.8 mg/dL is at the limit, not above it)."""
    return np.round(x, 9) if isinstance(x, np.ndarray) else round(x, 9)


def threshold_words(op: str, value: Any, unit: str | None) -> str:
    """ "at most 2.5 x ULN", "at least 1.5 10^9/L" (evidence wording)."""
    word = OPERATOR_WORDS.get(op, op)
    number = as_float(value)
    shown = f"{number:g}" if number is not None else str(value)
    if is_uln(unit):
        return f"{word} {shown} x ULN"
    return f"{word} {shown}{' ' + unit if unit else ''}"


# --- values known as a range -----------------------------------------------------------------------


def compare_range(op: str, low: float, high: float, value: object) -> bool | None:
    """Compare a patient value known to lie in [low, high]: decided only if the whole range agrees."""
    if op == "in":
        raw = value if isinstance(value, (list, tuple, set)) else [value]
        values = {f for f in (as_float(v) for v in raw) if f is not None}
        if low == high:
            return low in values
        inside = [v for v in values if low <= v <= high]
        return None if inside else False
    target = as_float(value)
    if target is None:
        return None
    a, b = compare(op, low, target), compare(op, high, target)
    return bool(a) if a == b else None


def compare_band(op: str, value: float, low: float, high: float) -> bool | None:
    """Compare a value against a limit known only to lie in [low, high] (a lower limit of normal that centres set
    differently, criteria/lab_lists.lower_limit): decided only when every limit in the band agrees."""
    a, b = compare(op, value, low), compare(op, value, high)
    return bool(a) if a == b else None


def compare_range_column(op: str, low: np.ndarray, high: np.ndarray, value: object) -> np.ndarray:
    """`compare_range` over columns: 1 true, 0 false, -1 undecided (NaN low: unknown, -1 too)."""
    known = ~np.isnan(low)
    out = np.full(low.shape, -1, dtype=np.int8)
    if op == "in":
        raw = value if isinstance(value, (list, tuple, set)) else [value]
        values = [f for f in (as_float(v) for v in raw) if f is not None]
        exact = known & (low == high)
        hit = np.isin(low, values)
        inside = np.zeros(low.shape, dtype=bool)
        for v in values:
            inside |= (low <= v) & (v <= high)
        out[exact] = np.where(hit[exact], 1, 0)
        out[known & ~exact & ~inside] = 0
        return out
    target = as_float(value)
    if target is None:
        return out
    a, b = compare(op, low, target), compare(op, high, target)
    decided = known & (a == b)
    out[decided] = np.where(a[decided], 1, 0)
    return out


__all__ = [
    "NUMERIC_OPERATORS",
    "ULN",
    "canonical_threshold",
    "compare",
    "compare_band",
    "compare_range",
    "compare_range_column",
    "is_uln",
    "lab_threshold",
    "record_uln",
    "record_uln_column",
    "threshold_words",
]
