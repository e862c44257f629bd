"""A stored patient profile as the MatchMiner records the CTML matcher reads: one clinical record and
one genomic record per genomic fact (the reverse of `ingest/patients/matchminer.py`).

Only what the profile states is written: no birth date -> no `BIRTH_DATE` (age criteria then fail,
as in MatchMiner); a negated biomarker ("no EGFR mutation") is an absence, not a record; facts of
other kinds (IHC, PD-L1 scores) have no CTML genomic field and are left out. The diagnosis is the
OncoTree *name* CTML trials are written with: the name the record came with when it was a
MatchMiner record (so a stored patient matches exactly what its own records match), else the most
specific code's name (`oncofed.criteria.oncotree`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from oncofed.criteria import oncotree
from oncofed.domain import Fact, PatientProfile

# the import lower-cases signature statuses; CTML trials write them capitalised ("Yes")
SIGNATURE_FIELDS = {
    "APOBEC": "APOBEC_STATUS",
    "POLE": "POLE_STATUS",
    "TOBACCO": "TOBACCO_STATUS",
    "UVA": "UVA_STATUS",
    "TEMOZOLOMIDE": "TEMOZOLOMIDE_STATUS",
}
MMR_VALUES = {"dMMR": "Deficient (MMR-D / MSI-H)", "pMMR": "Proficient (MMR-P / MSS)"}
CNV_CALLS = {"amplification": "High level amplification", "deletion": "Homozygous deletion"}
_PROTEIN = re.compile(r"^(p\.)?[A-Z*][0-9]+[A-Za-z*_0-9]*$")


def profile_records(profile: PatientProfile) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(clinical record, genomic records) of `profile`, joined by `_id` = `CLINICAL_ID` = the patient id."""
    clinical: dict[str, Any] = {
        "_id": profile.id,
        "SAMPLE_ID": profile.id,
        "VITAL_STATUS": "deceased" if profile.deceased else "alive",
    }
    if profile.sex in ("FEMALE", "MALE"):
        clinical["GENDER"] = profile.sex.title()
    if profile.birth_date is not None:
        clinical["BIRTH_DATE"] = datetime(
            profile.birth_date.year, profile.birth_date.month, profile.birth_date.day
        )
    diagnosis = diagnosis_name(profile)
    if diagnosis:
        clinical["ONCOTREE_PRIMARY_DIAGNOSIS_NAME"] = diagnosis
    genomic: list[dict[str, Any]] = []
    reported: list[date] = []
    for fact in profile.facts:
        if fact.kind != "biomarker" or fact.negated or not fact.code:
            continue
        kind = str(fact.attributes.get("kind") or "").lower()
        if fact.code.upper() == "TMB" or kind == "tmb":
            number = _number(fact.value)
            if number is not None:
                clinical["TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE"] = number
            continue
        record = _genomic_record(fact, kind)
        if record is not None:
            genomic.append({"CLINICAL_ID": profile.id, "SAMPLE_ID": profile.id, **record})
            if fact.when is not None:
                reported.append(fact.when)
    if reported:
        latest = max(reported)
        clinical["REPORT_DATE"] = datetime(latest.year, latest.month, latest.day)
    return clinical, genomic


def diagnosis_name(profile: PatientProfile) -> str | None:
    """The OncoTree name of the primary cancer (the record's own name first, then the code's)."""
    fact = next((f for f in profile.facts if f.kind == "primary_cancer" and not f.negated), None)
    if fact is not None:
        given = fact.attributes.get("oncotree_name")
        if isinstance(given, str) and given.strip():
            return given.strip()  # what MatchMiner itself would compare, known to our tree or not
        for code in (fact.attributes.get("oncotree_specific"), fact.code):
            if isinstance(code, str) and (name := oncotree.name(code.upper())):
                return name
    return oncotree.name(profile.primary_cancer.upper()) if profile.primary_cancer else None


def _genomic_record(fact: Fact, kind: str) -> dict[str, Any] | None:
    gene = str(fact.code).strip()
    value = str(fact.value if fact.value is not None else "").strip()
    if kind == "mmr" or gene.upper() in ("MMR", "MSI"):
        status = fact.attributes.get("reported") or MMR_VALUES.get(value) or _msi(value)
        return {"VARIANT_CATEGORY": "SIGNATURE", "MMR_STATUS": status} if status else None
    if kind == "signature" or gene.lower().endswith(" signature"):
        name = gene.split()[0].upper()
        column = SIGNATURE_FIELDS.get(name)
        return {"VARIANT_CATEGORY": "SIGNATURE", column: value.capitalize()} if column and value else None
    if kind in ("mutation", "variant"):
        record: dict[str, Any] = {"TRUE_HUGO_SYMBOL": gene, "VARIANT_CATEGORY": "MUTATION", "WILDTYPE": False}
        if _PROTEIN.match(value):
            record["TRUE_PROTEIN_CHANGE"] = value if value.startswith("p.") else f"p.{value}"
        if fact.attributes.get("classification"):
            record["TRUE_VARIANT_CLASSIFICATION"] = fact.attributes["classification"]
        return record
    if kind in ("amplification", "deletion"):
        call = fact.attributes.get("cnv_call") or CNV_CALLS[kind]
        return {"TRUE_HUGO_SYMBOL": gene, "VARIANT_CATEGORY": "CNV", "CNV_CALL": call}
    if kind == "fusion":
        partners = [p.strip() for p in value.split("-")] if value.count("-") == 1 else []
        record = {"TRUE_HUGO_SYMBOL": gene, "VARIANT_CATEGORY": "SV"}
        if len(partners) == 2 and all(partners):
            record["LEFT_PARTNER_GENE"], record["RIGHT_PARTNER_GENE"] = partners
        if fact.attributes.get("comment"):
            record["STRUCTURAL_VARIANT_COMMENT"] = fact.attributes["comment"]
        return record
    return None


def _msi(value: str) -> str | None:
    low = value.lower()
    if low in ("msi-h", "msi high", "dmmr", "deficient"):
        return MMR_VALUES["dMMR"]
    if low in ("mss", "msi-l", "pmmr", "proficient"):
        return MMR_VALUES["pMMR"]
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
