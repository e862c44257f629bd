"""JSON and CSV shapes of a patient's CTML matches (page, API and `oncofed ctml patient`)."""

from __future__ import annotations

from typing import Any

from oncofed.services.matching.ctml import ArmMatch, PatientCtmlReport

# clinical CTML keys -> what a MatchMiner user calls them
CLINICAL_LABELS = {
    "age_numerical": "age",
    "oncotree_primary_diagnosis": "diagnosis",
    "gender": "sex",
    "tmb_numerical": "TMB",
}
CSV_COLUMNS = (
    "trial_id",
    "protocol_no",
    "nct_id",
    "trial_status",
    "level",
    "code",
    "arm_open",
    "kind",
    "criterion",
    "trial_value",
    "patient_value",
    "exclusion",
)


def criterion_rows(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each reason of a match as one row: what kind (age, sex, diagnosis, TMB, gene), the trial's
    value, the patient's value, and whether it is an exclusion that held (the patient lacks it)."""
    rows = []
    for r in reasons:
        if r.get("type") == "clinical":
            ((key, wanted),) = r["criterion"].items()
            label = CLINICAL_LABELS.get(str(key).lower(), str(key).lower())
            negated = isinstance(wanted, str) and wanted.startswith("!")
            rows.append(
                {
                    "kind": label,
                    "criterion": f"{key} {wanted}",
                    "trial_value": wanted,
                    "patient_value": _text(r.get("patient_value")),
                    "exclusion": negated,
                }
            )
        else:
            source = {str(k).lower(): v for k, v in (r.get("criterion") or {}).items()}
            gene = str(source.get("hugo_symbol") or "").lstrip("!")
            rows.append(
                {
                    "kind": "gene" if gene and gene != "None" else "signature",
                    "criterion": r.get("alteration") or "",
                    "trial_value": r.get("alteration") or "",
                    "patient_value": _variants(r.get("patient_value")),
                    "exclusion": bool(r.get("exclusion")),
                }
            )
    return rows


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.removesuffix("T00:00:00")  # a birth date is a day


def _variants(records: Any) -> str:
    """The patient's genomic records that held, as `GENE p.X (category)`; none for an exclusion."""
    if not isinstance(records, list):
        return ""
    out = []
    for rec in records:
        gene = rec.get("TRUE_HUGO_SYMBOL") or rec.get("HARMONIZED_HUGO_SYMBOL") or ""
        change = (
            rec.get("TRUE_PROTEIN_CHANGE")
            or rec.get("HARMONIZED_PROTEIN_CHANGE")
            or rec.get("CNV_CALL")
            or "-".join(str(p) for p in (rec.get("LEFT_PARTNER_GENE"), rec.get("RIGHT_PARTNER_GENE")) if p)
            or next((f"{k}={v}" for k, v in rec.items() if k.endswith("_STATUS")), "")
        )
        category = rec.get("VARIANT_CATEGORY") or ""
        out.append(" ".join(p for p in (str(gene), str(change), f"({category})" if category else "") if p))
    return "; ".join(out)


def arm_json(arm: ArmMatch) -> dict[str, Any]:
    return {
        "level": arm.level,
        "code": arm.code,
        "internal_id": arm.internal_id,
        "description": arm.description,
        "open": arm.open,
        "criteria": criterion_rows(arm.reasons),
        "reasons": arm.reasons,
    }


def report_json(report: PatientCtmlReport) -> dict[str, Any]:
    return {
        "patient": {
            "id": report.patient_id,
            "sex": report.sex,
            "birth_date": report.birth_date.isoformat() if report.birth_date else None,
            "diagnosis": report.diagnosis,
            "deceased": report.deceased,
        },
        "genomic": [
            {
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in g.items()
                if k not in ("CLINICAL_ID",)
            }
            for g in report.genomic
        ],
        "as_of": report.as_of.isoformat(),
        "include_closed": report.include_closed,
        "trials_searched": report.trials_searched,
        "trials": [
            {
                "trial_id": t.trial_id,
                "protocol_no": t.protocol_no,
                "nct_id": t.nct_id,
                "title": t.title,
                "status": t.status,
                "open": t.open,
                "arms": [arm_json(a) for a in t.arms],
            }
            for t in report.trials
        ],
    }


def csv_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per (trial, matched level, criterion) of `report_json`'s output."""
    rows = []
    for t in data["trials"]:
        for a in t["arms"]:
            for c in a["criteria"]:
                rows.append(
                    {
                        "trial_id": t["trial_id"],
                        "protocol_no": t["protocol_no"],
                        "nct_id": t["nct_id"] or "",
                        "trial_status": t["status"],
                        "level": a["level"],
                        "code": a["code"],
                        "arm_open": a["open"],
                        **c,
                    }
                )
    return rows
