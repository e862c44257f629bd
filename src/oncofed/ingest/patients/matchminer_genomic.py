"""MatchMiner genomic records -> biomarker facts of the clinical record they are joined to
(mutations, copy-number calls, structural variants, signatures), and the fields the importer does not
map kept as `record_field` facts. The files and the clinical record are `matchminer.py`'s."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from oncofed.domain import PatientProfile
from oncofed.errors import N_
from oncofed.ingest.patients.common import Collector, fact

GENOMIC_USED = {
    "_id",
    "CLINICAL_ID",
    "SAMPLE_ID",
    "FIRST",
    "LAST",
    "VARIANT_CATEGORY",
    "HARMONIZED_HUGO_SYMBOL",
    "TRUE_HUGO_SYMBOL",
    "HARMONIZED_PROTEIN_CHANGE",
    "TRUE_PROTEIN_CHANGE",
    "HARMONIZED_VARIANT_CLASSIFICATION",
    "TRUE_VARIANT_CLASSIFICATION",
    "CNV_CALL",
    "STRUCTURAL_VARIANT_TYPE",
    "HARMONIZED_LEFT_PARTNER_GENE",
    "HARMONIZED_RIGHT_PARTNER_GENE",
    "STRUCTURAL_VARIANT_COMMENT",
    "MMR_STATUS",
    "WILDTYPE",
}
SIGNATURES = ("APOBEC_STATUS", "POLE_STATUS", "TOBACCO_STATUS", "UVA_STATUS", "TEMOZOLOMIDE_STATUS")


def keep_unused(p: PatientProfile, row: dict[str, Any], used: set[str], source: str, rec: str) -> None:
    for key, value in row.items():
        if key not in used and value not in (None, ""):
            p.facts.append(
                fact("record_field", source, rec, code=key, value=str(value), display=f"{key} = {value}")
            )


def mmr_fact(p: PatientProfile, status: Any, source: str, rec: str, when: date | None) -> None:
    text = str(status or "").lower()
    value = "dMMR" if "deficient" in text or "msi-h" in text else ("pMMR" if "proficient" in text else None)
    if value:
        p.facts.append(
            fact(
                "biomarker",
                source,
                rec,
                code="MMR",
                value=value,
                display=f"MMR {status}",
                when=when,
                attributes={"kind": "mmr", "reported": status},
            )
        )


def genomic_facts(
    p: PatientProfile,
    row: dict[str, Any],
    source: str,
    rec: str,
    when: date | None,
    _c: Collector,
    issues: Collector,
) -> None:
    category = str(row.get("VARIANT_CATEGORY") or "").upper()
    gene = str(row.get("HARMONIZED_HUGO_SYMBOL") or row.get("TRUE_HUGO_SYMBOL") or "").strip()
    before = len(p.facts)
    if category == "MUTATION" and gene:
        change = str(row.get("HARMONIZED_PROTEIN_CHANGE") or row.get("TRUE_PROTEIN_CHANGE") or "")
        value = re.sub(r"^p\.", "", change) or "mutation"
        klass = row.get("HARMONIZED_VARIANT_CLASSIFICATION") or row.get("TRUE_VARIANT_CLASSIFICATION")
        p.facts.append(
            fact(
                "biomarker",
                source,
                rec,
                code=gene,
                value=value,
                display=f"{gene} {value}",
                when=when,
                attributes={"kind": "mutation", "classification": klass},
            )
        )
    elif category == "CNV" and gene:
        call = str(row.get("CNV_CALL") or "").strip()
        kind = "deletion" if "deletion" in call.lower() else "amplification"
        value = "amplification" if "amplification" in call.lower() else call.lower() or kind
        p.facts.append(
            fact(
                "biomarker",
                source,
                rec,
                code=gene,
                value=value,
                display=f"{gene} {call}",
                when=when,
                attributes={"kind": kind, "cnv_call": call},
            )
        )
    elif category == "SV":
        left = str(row.get("HARMONIZED_LEFT_PARTNER_GENE") or "").strip()
        right = str(row.get("HARMONIZED_RIGHT_PARTNER_GENE") or "").strip()
        partners = [g for g in (left, right) if g]
        code = gene or (partners[0] if partners else "")
        if code:
            value = (
                "-".join(partners) if len(partners) == 2 else (row.get("STRUCTURAL_VARIANT_TYPE") or "fusion")
            )
            p.facts.append(
                fact(
                    "biomarker",
                    source,
                    rec,
                    code=code,
                    value=value,
                    display=f"{code} {value}",
                    when=when,
                    attributes={
                        "kind": "fusion",
                        "sv_type": row.get("STRUCTURAL_VARIANT_TYPE"),
                        "comment": row.get("STRUCTURAL_VARIANT_COMMENT"),
                    },
                )
            )
    elif category == "SIGNATURE":
        mmr_fact(p, row.get("MMR_STATUS"), source, rec, when)
        for key in SIGNATURES:
            if row.get(key):
                name = key.removesuffix("_STATUS")
                p.facts.append(
                    fact(
                        "biomarker",
                        source,
                        rec,
                        code=f"{name} signature",
                        value=str(row[key]).lower(),
                        display=f"{name} signature {row[key]}",
                        when=when,
                        attributes={"kind": "signature"},
                    )
                )
    if len(p.facts) == before:
        mapped = {k for k in row if k in GENOMIC_USED}
        if mapped - {"_id", "CLINICAL_ID", "SAMPLE_ID", "FIRST", "LAST"} or category:
            issues.warn(
                "genomic " + rec,
                "VARIANT_CATEGORY",
                N_("genomic record %(category)s without a usable gene or status"),
                N_("send HARMONIZED_HUGO_SYMBOL with the variant"),
                "import.genomic_unusable",
                category=category or "—",
            )
    keep_unused(p, row, GENOMIC_USED | {"MRN", "BIRTH_DATE"}, source, rec)
