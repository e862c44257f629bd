"""Seeded synthetic patients for the demo network: realistic shapes, no real person.

Returns plain row dicts (the store's bulk-insert layout) so large networks build quickly; each
fact carries provenance `synthetic` with the generator seed, so nobody mistakes it for a record.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np

from oncofed.domain import Centre
from oncofed.resources import load_tsv, load_yaml

REFERENCE_DAY = date(2026, 11, 1)
METASTATIC_SITES = [("liver", 0.35), ("lung", 0.3), ("bone", 0.4), ("brain", 0.12), ("lymph_node", 0.45)]
COMORBIDITIES = [
    ("hepatitis_b", 0.01),
    ("hepatitis_c", 0.008),
    ("hiv", 0.005),
    ("autoimmune_disease", 0.05),
    ("interstitial_lung_disease", 0.02),
    ("prior_malignancy", 0.06),
    ("organ_transplant", 0.003),
    ("myocardial_infarction", 0.03),
    ("peripheral_neuropathy", 0.08),
]


def _cities_by_region() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in load_tsv("cities.tsv"):
        out.setdefault(row["region"], []).append(row)
    return out


def _fact(kind: str, seed: int, pid: str, **fields: Any) -> dict[str, Any]:
    out = {"kind": kind, "source": "synthetic", "record": f"seed={seed}:{pid}"}
    out.update({k: v for k, v in fields.items() if v is not None})
    return out


def generate_patients(centres: list[Centre], n: int, seed: int = 42) -> Iterator[dict[str, Any]]:
    """Yield `n` synthetic patients as store row dicts, spread over `centres` by their weights."""
    spec = load_yaml("demo_patients.yaml")
    cancers = spec["cancers"]
    lines_spec: dict[str, list[Any]] = spec["therapy_lines"]
    rng = np.random.default_rng(seed)
    weights = np.array([spec["centre_weights"].get(c.id, 1.0) for c in centres], dtype=float)
    centre_idx = rng.choice(len(centres), size=n, p=weights / weights.sum())
    shares = np.array([c["share"] for c in cancers], dtype=float)
    cancer_idx = rng.choice(len(cancers), size=n, p=shares / shares.sum())
    u = rng.random((n, 8))
    normals = rng.standard_normal((n, 12))
    regions = _cities_by_region()
    labs = {row["analyte"]: row for row in load_tsv("labs.tsv")}
    counters: dict[str, int] = {}
    for i in range(n):
        centre = centres[int(centre_idx[i])]
        cancer = cancers[int(cancer_idx[i])]
        counters[centre.id] = counters.get(centre.id, 0) + 1
        pid = f"{centre.id}-{counters[centre.id]:06d}"
        code = cancer["code"]
        female = bool(u[i, 0] < cancer["female"])
        mean, sd = cancer["age"]
        age = int(np.clip(round(mean + sd * normals[i, 0]), 18, 95))
        birth = REFERENCE_DAY - timedelta(days=int(age * 365.25 + rng.integers(0, 365)))
        age = (
            REFERENCE_DAY.year
            - birth.year
            - ((REFERENCE_DAY.month, REFERENCE_DAY.day) < (birth.month, birth.day))
        )
        # home: a city of the centre's region (most patients live near their centre)
        pool = regions.get(centre.region) or [
            {"name": centre.city, "latitude": str(centre.latitude), "longitude": str(centre.longitude)}
        ]
        city = (
            pool[int(rng.integers(0, len(pool)))]
            if u[i, 1] < 0.7
            else {
                "name": centre.city,
                "latitude": str(centre.latitude),
                "longitude": str(centre.longitude),
            }
        )
        lat = float(city["latitude"]) + 0.08 * normals[i, 1]
        lon = float(city["longitude"]) + 0.08 * normals[i, 2]
        metastatic = bool(u[i, 2] < cancer["stage_iv"])
        if code in ("AML", "PCM"):
            stage = None
        elif metastatic:
            stage = "IV"
        else:
            stage = str(rng.choice(["I", "II", "III"], p=[0.3, 0.4, 0.3]))
        ecog = int(rng.choice([0, 1, 2, 3, 4], p=[0.35, 0.4, 0.15, 0.08, 0.02]))
        diag_days = int(rng.integers(30, 365 * 5)) if metastatic else int(rng.integers(10, 365 * 3))
        diagnosed = REFERENCE_DAY - timedelta(days=diag_days)
        facts: list[dict[str, Any]] = [
            _fact("primary_cancer", seed, pid, code=code, display=cancer["name"], when=diagnosed.isoformat()),
        ]
        if stage:
            facts.append(_fact("stage", seed, pid, code=stage, value=stage, display=f"Stage {stage}"))
        facts.append(_fact("ecog", seed, pid, value=ecog, display=f"ECOG {ecog}"))
        if metastatic:
            for site, p in METASTATIC_SITES:
                if rng.random() < p:
                    attrs = None
                    if site == "brain":
                        attrs = {
                            "status": str(
                                rng.choice(["untreated", "treated_stable", "active"], p=[0.4, 0.45, 0.15])
                            )
                        }
                    facts.append(
                        _fact(
                            "metastasis", seed, pid, code=site, display=f"{site} metastases", attributes=attrs
                        )
                    )
        subtype = code
        for bm in cancer.get("biomarkers", []):
            if rng.random() >= bm["p"]:
                continue
            kind = bm["kind"]
            if kind == "ihc_score":
                score = str(rng.choice(["0", "1+", "2+", "3+"], p=[0.35, 0.3, 0.17, 0.18]))
                facts.append(
                    _fact(
                        "biomarker",
                        seed,
                        pid,
                        code="HER2",
                        value=score,
                        display=f"HER2 IHC {score}",
                        attributes={"kind": "ihc"},
                    )
                )
                if score == "3+" and code == "BRCA":
                    subtype = "BRCA_HER2"
            elif kind == "tps":
                tps = int(np.clip(rng.exponential(25), 0, 100))
                facts.append(
                    _fact(
                        "biomarker",
                        seed,
                        pid,
                        code="PD-L1",
                        value=tps,
                        unit="%",
                        display=f"PD-L1 TPS {tps}%",
                        attributes={"kind": "tps"},
                    )
                )
            elif kind == "cps":
                cps = int(np.clip(rng.exponential(15), 0, 100))
                facts.append(
                    _fact(
                        "biomarker",
                        seed,
                        pid,
                        code="PD-L1",
                        value=cps,
                        display=f"PD-L1 CPS {cps}",
                        attributes={"kind": "cps"},
                    )
                )
            else:
                value = bm.get("value") or bm.get("alteration")
                facts.append(
                    _fact(
                        "biomarker",
                        seed,
                        pid,
                        code=bm["code"],
                        value=value,
                        display=f"{bm['code']} {value}",
                        attributes={"kind": kind},
                    )
                )
                if bm["code"] == "EGFR":
                    subtype = "NSCLC_EGFR"
                elif bm["code"] == "ALK":
                    subtype = "NSCLC_ALK"
        if code == "BRCA":
            er_pos = any(f.get("code") == "ER" for f in facts)
            if not er_pos:
                facts.append(
                    _fact(
                        "biomarker",
                        seed,
                        pid,
                        code="ER",
                        value="negative",
                        display="ER negative",
                        attributes={"kind": "ihc"},
                    )
                )
                if subtype == "BRCA":
                    subtype = "BRCA_TN"
        # prior lines of systemic therapy (more for metastatic disease)
        n_lines = (
            int(rng.choice([0, 1, 2, 3, 4], p=[0.3, 0.3, 0.2, 0.12, 0.08]))
            if metastatic
            else int(rng.choice([0, 1], p=[0.6, 0.4]))
        )
        pool_lines = lines_spec.get(subtype) or lines_spec.get(code) or []
        start = diagnosed + timedelta(days=30)
        for line_no in range(min(n_lines, len(pool_lines))):
            end = start + timedelta(days=int(rng.integers(60, 360)))
            if end > REFERENCE_DAY:
                end = REFERENCE_DAY - timedelta(days=14)
            for drug, klass in pool_lines[line_no]:
                facts.append(
                    _fact(
                        "treatment",
                        seed,
                        pid,
                        code=drug,
                        display=drug,
                        when=start.isoformat(),
                        attributes={
                            "class": klass,
                            "line": line_no + 1,
                            "end": end.isoformat(),
                            "setting": "metastatic" if metastatic else "adjuvant",
                        },
                    )
                )
            start = end + timedelta(days=14)
        # laboratory values (latest)
        lab_day = (REFERENCE_DAY - timedelta(days=int(rng.integers(1, 40)))).isoformat()
        z = normals[i, 3:12]
        values = {
            "anc": round(float(max(0.2, 3.8 + 1.6 * z[0])), 2),
            "platelets": int(max(20, 240 + 80 * z[1])),
            "hemoglobin": round(float(max(6.0, 12.3 + 1.6 * z[2])), 1),
            "creatinine_clearance": int(max(15, 85 - 0.5 * (age - 60) + 22 * z[3])),
            "bilirubin": round(float(max(0.2, 0.7 + 0.35 * abs(z[4]) + (0.8 if u[i, 3] < 0.04 else 0))), 2),
            "ast": int(max(8, 28 + 12 * abs(z[5]) + (70 if u[i, 4] < 0.05 else 0))),
            "alt": int(max(6, 26 + 12 * abs(z[6]) + (70 if u[i, 4] < 0.05 else 0))),
            "albumin": round(float(max(2.0, 3.9 + 0.45 * z[7])), 1),
        }
        for analyte, value in values.items():
            lab = labs[analyte]
            facts.append(
                _fact(
                    "lab",
                    seed,
                    pid,
                    code=analyte,
                    value=value,
                    unit=lab["unit"],
                    when=lab_day,
                    display=lab["display"],
                    attributes={"loinc": lab["loinc"]},
                )
            )
        if u[i, 5] < 0.3:
            lvef = int(np.clip(62 + 7 * z[8], 25, 80))
            facts.append(
                _fact(
                    "lab",
                    seed,
                    pid,
                    code="lvef",
                    value=lvef,
                    unit="%",
                    when=lab_day,
                    display="Left ventricular ejection fraction",
                    attributes={"loinc": "10230-1"},
                )
            )
        for condition, p in COMORBIDITIES:
            if rng.random() < p:
                facts.append(
                    _fact("comorbidity", seed, pid, code=condition, display=condition.replace("_", " "))
                )
        if female and age < 45 and u[i, 6] < 0.02:
            facts.append(_fact("pregnancy", seed, pid, value="pregnant", display="pregnant"))
        yield {
            "id": pid,
            "centre_id": centre.id,
            "display_name": f"Synthetic patient {pid}",
            "sex": "FEMALE" if female else "MALE",
            "birth_date": birth,
            "age_years": float(age),
            "primary_cancer": code,
            "stage": stage,
            "ecog": ecog,
            "home_city": city["name"],
            "latitude": round(lat, 4),
            "longitude": round(lon, 4),
            "research_objection": bool(u[i, 7] < spec["research_objection_rate"]),
            "deceased": False,
            "facts": facts,
            "source": "synthetic",
        }
