"""Unit normalisation for laboratory thresholds (criteria) and laboratory results (patient facts).

    normalize_unit("x10^9 /L") -> "10^9/l";  normalize_unit("µmol/L") -> "umol/l"
    to_canonical("bilirubin", 25.65, "µmol/L") -> (1.5, "mg/dL")
    to_canonical("ast", 2.5, "x ULN") -> (2.5, "x ULN")       # multiples of the ULN stay multiples
    canonical_unit("platelets") -> "10^9/L"

Conversion factors are data (`resources/vocab/lab_units.tsv`, with their source); canonical units are
those of `resources/labs.tsv`. When a threshold carries no unit, a plausibility rule picks one
(platelets 100000 -> /mm3, haemoglobin 90 -> g/L), documented in `guess_unit`.
"""

from __future__ import annotations

import functools
import re

from oncofed.resources import load_tsv

ULN = "x ULN"


@functools.cache
def _factors() -> dict[tuple[str, str], tuple[float, str]]:
    return {
        (row["analyte"], row["unit"]): (float(row["factor"]), row["canonical"])
        for row in load_tsv("vocab/lab_units.tsv")
    }


@functools.cache
def _canonical() -> dict[str, str]:
    return {row["analyte"]: row["unit"] for row in load_tsv("labs.tsv")}


def canonical_unit(analyte: str) -> str | None:
    return _canonical().get(analyte) or None


# a note writes a handful of distinct units and the readers ask for each at every value: the spelling is
# worked out once per unit string (4 `re.sub` and ~25 `str.replace` a call: ~2 % of a French note read once);
# bounded, so a long import of many notes keeps a bounded memory
@functools.lru_cache(maxsize=1024)
def normalize_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    u = unit.strip().lower()
    if not u:
        return None
    if "uln" in u or "upper limit" in u or "institutional" in u and "normal" in u:
        return ULN
    u = u.replace("µ", "u").replace("μ", "u").replace("mcl", "ul").replace("mcmol", "umol")
    u = u.replace("microliter", "ul").replace("micromol", "umol").replace("cubic millimeter", "mm3")
    u = u.replace("milliseconds", "ms").replace("millisecond", "ms")
    u = u.replace("liter", "l").replace("litre", "l").replace("iu", "u").replace("msec", "ms")
    # "10**9/L" (verdicts34) as "10*9/L" and "10^9/L"
    u = u.replace("×", "x").replace("**", "^").replace("*", "^")
    u = u.replace("³", "3").replace("⁹", "9").replace("²", "2")
    u = re.sub(r"\s+", "", u)
    u = re.sub(r"^(cells|cell)", "", u)
    u = re.sub(r"^x?10\^?e?(\d+)", r"10^\1", u)
    u = re.sub(r"^x", "", u)
    u = u.replace("mm^3", "mm3").replace("/mm^3", "/mm3").replace("m^2", "m2").replace("/1.73m2", "/1.73m2")
    u = (
        u.replace("ml/min/1.73m2", "ml/min/1.73m2")
        .replace("ml/min/1.73", "ml/min/1.73m2")
        .replace("m2m2", "m2")
    )
    u = u.replace("/mm3", "/mm3").replace("k/ul", "10^3/ul")
    return _SECONDS.get(u, u)


# an interval in seconds ("QTc > 0.45 second"): converted to the canonical ms (lab_units.tsv), never compared
# raw with a note's "QTc 418 ms"
_SECONDS = {"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "sec.": "s"}


def to_canonical(analyte: str, value: float, unit: str | None) -> tuple[float, str | None]:
    """(value, unit) in the analyte's canonical unit; unknown units are returned unchanged."""
    norm = normalize_unit(unit)
    if norm == ULN:
        return value, ULN
    if norm is None:
        norm = guess_unit(analyte, value)
        if norm is None:
            return value, canonical_unit(analyte)
    factor = _factors().get((analyte, norm)) or _factors().get(("*", norm))
    canon = canonical_unit(analyte)
    if factor is None:
        return value, unit
    f, target = factor
    if canon and target != canon and (analyte, norm) not in _factors():
        return value, unit
    return round(value * f, 4), target


def guess_unit(analyte: str, value: float) -> str | None:
    """A unit for a bare number, by plausibility (thresholds written without units)."""
    if analyte in ("anc", "platelets"):
        return "/mm3" if value >= 300 else "10^9/l"
    if analyte == "hemoglobin":
        return "g/l" if value >= 30 else "g/dl"
    if analyte == "albumin":
        return "g/l" if value >= 10 else "g/dl"
    if analyte in ("creatinine", "bilirubin"):
        return "umol/l" if value >= 15 else "mg/dl"
    if canonical_unit(analyte) == "ms" and value < 5:
        return "s"  # "QTc > 0.45": no interval of the ECG lasts under 5 ms, so the number is in seconds
    return None
