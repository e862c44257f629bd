"""Vocabularies the evaluator needs: OncoTree ancestry, laboratory units and limits, drug names.

The OncoTree hierarchy comes from the criteria engine's vocabulary (`resources/vocab/oncotree.tsv`,
else the profile engine's `resources/patients/oncotree.tsv`). Fallback when neither file is present:
codes are compared exactly (a LUAD patient then does not match an NSCLC-only criterion); the
evidence says so, so a person knows the comparison was exact.
"""

from __future__ import annotations

import functools
import re

from oncofed.resources import load_tsv, resource_path

ONCOTREE_FILES = ("vocab/oncotree.tsv", "patients/oncotree.tsv")
# Marker aliases: the same marker under its HGNC symbol and its usual clinical name.
MARKER_ALIASES = {"ERBB2": "HER2", "CD274": "PD-L1", "PDL1": "PD-L1", "ESR": "ER", "PGR": "PR"}
# Karnofsky <-> ECOG (Oken et al., Am J Clin Oncol 1982; the usual published correspondence).
ECOG_TO_KARNOFSKY = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20), 5: (0, 0)}


def karnofsky_to_ecog(kps: float) -> int:
    """ECOG grade for a Karnofsky score (100-90 -> 0, 80-70 -> 1, 60-50 -> 2, 40-30 -> 3, 20-10 -> 4)."""
    if kps >= 90:
        return 0
    if kps >= 70:
        return 1
    if kps >= 50:
        return 2
    if kps >= 30:
        return 3
    return 4 if kps > 0 else 5


@functools.cache
def oncotree_parents() -> dict[str, str]:
    """code -> parent code, from the first OncoTree vocabulary file found (empty if none)."""
    for name in ONCOTREE_FILES:
        if not resource_path(name).exists():
            continue
        parents: dict[str, str] = {}
        for row in load_tsv(name):
            code = (row.get("code") or "").strip().upper()
            if code and code not in parents:
                parents[code] = (row.get("parent") or "").strip().upper()
        if parents:
            return parents
    return {}


@functools.cache
def oncotree_lineage(code: str) -> tuple[str, ...]:
    """The code and its ancestors, nearest first (just the code when the hierarchy is unknown)."""
    parents = oncotree_parents()
    out = [code.upper()]
    seen = {out[0]}
    while (parent := parents.get(out[-1])) and parent not in seen:
        out.append(parent)
        seen.add(parent)
    return tuple(out)


def oncotree_is_within(patient_code: str, criterion_codes: tuple[str, ...]) -> bool | None:
    """True when the patient's code is one of `criterion_codes` or below one of them (subtree).

    Returns None when the patient's code is *above* a criterion code (e.g. patient NSCLC, criterion
    LUAD: the subtype is not known), so the matcher answers unknown rather than guessing.
    """
    wanted = {c.upper() for c in criterion_codes}
    lineage = oncotree_lineage(patient_code)
    if wanted & set(lineage):
        return True
    if any(patient_code.upper() in oncotree_lineage(c)[1:] for c in wanted):
        return None
    return False


def has_oncotree_hierarchy() -> bool:
    return bool(oncotree_parents())


@functools.cache
def lab_table() -> dict[str, dict[str, str]]:
    return {row["analyte"]: row for row in load_tsv("labs.tsv")}


def lab_uln(analyte: str) -> float | None:
    row = lab_table().get(analyte)
    value = (row or {}).get("uln") or ""
    return float(value) if value else None


def lab_unit(analyte: str) -> str:
    return (lab_table().get(analyte) or {}).get("unit", "")


# Conversions of a threshold written in another common unit into labs.tsv's canonical unit
# (factor multiplies the written value). Sources: SI/conventional conversion factors
# (bilirubin 17.1 umol/L per mg/dL, creatinine 88.4 umol/L per mg/dL, albumin/haemoglobin g/L = 10 g/dL).
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("anc", "/mm3"): 1e-3,
    ("anc", "/ul"): 1e-3,
    ("anc", "cells/mm3"): 1e-3,
    ("anc", "10^3/ul"): 1.0,
    ("platelets", "/mm3"): 1e-3,
    ("platelets", "/ul"): 1e-3,
    ("platelets", "10^3/ul"): 1.0,
    ("hemoglobin", "g/l"): 0.1,
    ("hemoglobin", "mmol/l"): 1.611,
    ("albumin", "g/l"): 0.1,
    ("bilirubin", "umol/l"): 1 / 17.1,
    ("bilirubin", "µmol/l"): 1 / 17.1,
    ("creatinine", "umol/l"): 1 / 88.4,
    ("creatinine", "µmol/l"): 1 / 88.4,
    ("creatinine_clearance", "ml/min/1.73m2"): 1.0,
    ("egfr", "ml/min"): 1.0,
}


def canonical_threshold(analyte: str, value: float, unit: str | None) -> float | None:
    """`value` expressed in the analyte's canonical unit, or None when the unit is not convertible."""
    canonical = lab_unit(analyte)
    if not unit or _norm_unit(unit) == _norm_unit(canonical):
        return value
    factor = UNIT_FACTORS.get((analyte, _norm_unit(unit)))
    return value * factor if factor is not None else None


@functools.cache
def _norm_unit(unit: str) -> str:
    return re.sub(r"\s+", "", unit.strip().lower().replace("x10", "10").replace("×10", "10"))


def marker_key(code: str | None) -> str:
    """A biomarker/gene code normalised for comparison (upper case, clinical alias)."""
    key = (code or "").strip().upper().replace(" ", "")
    return MARKER_ALIASES.get(key, key)


_SEPARATORS = re.compile(r"[\s_\-]+")


def norm_text(value: object) -> str:
    """Lower-case text with spaces, hyphens and underscores collapsed (for variant/class names)."""
    return _norm_str(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=65536)
def _norm_str(value: str) -> str:
    return _SEPARATORS.sub(" ", value.strip().lower())


DRUG_FILES = ("vocab/drugs.tsv",)


@functools.cache
def _drug_class_table() -> dict[str, tuple[str, ...]]:
    for name in DRUG_FILES:
        if resource_path(name).exists():
            return {
                norm_text(row["drug"]): tuple(
                    norm_text(c) for c in (row.get("classes") or "").split("|") if c.strip()
                )
                for row in load_tsv(name)
            }
    return {}


@functools.lru_cache(maxsize=65536)
def drug_classes(drug: str) -> tuple[str, ...]:
    """Classes of a drug (lower-case INN) from the criteria vocabulary (`vocab/drugs.tsv`), if present."""
    return _drug_class_table().get(norm_text(drug), ())


@functools.lru_cache(maxsize=4096)
def class_alternatives(klass: str) -> frozenset[str]:
    """ "anti-PD-1/PD-L1" -> {"anti pd 1/pd l1", "anti pd 1", "anti pd l1"} (normalised)."""
    out = {norm_text(klass)}
    if "/" in klass:
        head, *rest = klass.split("/")
        out.add(norm_text(head))
        prefix = "anti-" if head.lower().startswith("anti") else ""
        out.update(norm_text(prefix + r if prefix and not r.lower().startswith("anti") else r) for r in rest)
    return frozenset(out)
