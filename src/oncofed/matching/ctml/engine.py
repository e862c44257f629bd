"""MatchMiner semantics, in memory: CTML match trees evaluated against clinical + genomic records.

The behaviour follows MatchMiner's engine (matchengine V2 and its CTIMS fork, Apache-2.0), reimplemented:

* **Levels.** Every `match` clause of a trial is evaluated: on a step (`step_code`,
  `step_internal_id`), an arm (`arm_code`, `arm_internal_id`) or a dose level (`level_code`,
  `level_internal_id`). An arm with `arm_suspended: Y`, a dose level with `level_suspended: Y` and
  a step whose arms are *all* suspended (a step without arms counts as such, as in MatchMiner) are
  skipped unless `include_closed`. A trial whose `status` (or `_summary.status[0].value`) is not
  "open to accrual" (any case) is skipped unless `include_closed`.
* **Trees.** `and` / `or` lists nest freely; an item holding both `clinical` and `genomic` means
  both. The tree is expanded into its match paths (disjunctive normal form); a patient matches a
  clause when one path holds.
* **Clinical** criteria are checked key by key on the clinical record: `age_numerical` (`>=18`,
  `<18`, `>=.5` = 6 months) on `BIRTH_DATE_INT` / `BIRTH_DATE` against the comparison date,
  `oncotree_primary_diagnosis` expanded through the OncoTree mapping (a node stands for its whole
  subtree, `_SOLID_` / `_LIQUID_` for all solid / liquid tumours), `gender`, `tmb_numerical`
  (`>=10`, `<40`, `==40`...) on `TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE`; a leading `!` negates the
  key. `her2_status`, `er_status`, `pr_status`, `disease_status` are ignored (as in MatchMiner's
  default configuration); any other key is compared as-is with the upper-cased field.
* **Genomic** criteria: all keys of one `genomic` object must hold on the *same* genomic record
  (`hugo_symbol`, `protein_change`, `wildcard_protein_change` = protein prefix followed by one amino
  acid, `variant_classification`, `variant_category` (`Mutation`, `Copy Number Variation` = CNV,
  `Structural Variation` = SV, `Any Variation` = mutation or CNV), `cnv_call` ("High Amplification",
  "Homozygous Deletion", "Low Amplification" = Gain, "Heterozygous Deletion"), `exon`, `wildtype`,
  `mmr_status` / `ms_status` (MSI-H, MMR-Deficient, MSS...), signatures
  (`apobec_signature`, `pole_signature`, `tobacco_signature`, `temozolomide_signature`,
  `uva_signature`: the gene is then not queried), `fusion_partner_hugo_symbol`). A `!` on any key
  turns the whole object into an exclusion: the patient matches when *no* record has it.
  Structural variants: for reports from 1 December 2018 on, the structured partners
  (`LEFT_PARTNER_GENE` / `RIGHT_PARTNER_GENE`, either order; `any_gene` = any partner,
  `intergenic` = no partner); for older or undated reports, the gene named as a word in the free
  text `STRUCTURAL_VARIANT_COMMENT`.
* **Patients.** Genomic records join their clinical record through `CLINICAL_ID` (= clinical
  `_id`) or, failing that, `SAMPLE_ID`. Field names of MatchMiner V2 (`TRUE_*`) and of CTIMS
  (`HARMONIZED_*`) are both read. Deceased patients (`VITAL_STATUS` other than alive) are skipped
  unless `include_deceased`; a record without `VITAL_STATUS` counts as alive.

Output: one `CtmlMatch` per (trial, sample, match clause), with the reasons: each clinical key and
genomic object that held on the path(s) that matched, with the patient's values.

Modules: `values` (fields, maps, comparisons, dates), `conditions` (criteria compiled into tests),
`trees` (match clauses and their paths), this one (patients and the matcher), `profiles` (stored
patient profiles as MatchMiner records). Files are read by `oncofed.ingest.ctml_files`, stored trials
by `oncofed.services.matching.ctml`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from oncofed.criteria.oncotree import ctml_subtrees
from oncofed.errors import InputError
from oncofed.matching.ctml.conditions import Cond, CriterionBuilder, Path_
from oncofed.matching.ctml.trees import expand_paths, extract_match_clauses, trial_is_open
from oncofed.matching.ctml.values import birth_date_of, first_field


@dataclass
class CtmlMatch:
    protocol_no: str
    nct_id: str | None
    sample_id: str
    match_level: str
    code: Any
    internal_id: Any
    reasons: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "protocol_no": self.protocol_no,
            "nct_id": self.nct_id,
            "sample_id": self.sample_id,
            "match_level": self.match_level,
            "code": self.code,
            "internal_id": self.internal_id,
            "reasons": self.reasons,
        }


@dataclass
class Patients:
    clinical: dict[str, dict[str, Any]]  # clinical id -> record
    genomic: dict[str, list[dict[str, Any]]]  # clinical id -> genomic records


def index_patients(clinical: list[dict[str, Any]], genomic: list[dict[str, Any]]) -> Patients:
    by_id: dict[str, dict[str, Any]] = {}
    by_sample: dict[str, str] = {}
    for i, doc in enumerate(clinical):
        cid = str(doc.get("_id") if doc.get("_id") is not None else doc.get("SAMPLE_ID", f"row{i}"))
        if doc.get("SAMPLE_ID") is None:
            raise InputError("clinical record without SAMPLE_ID", record=i, field="SAMPLE_ID")
        by_id[cid] = doc
        by_sample.setdefault(str(doc["SAMPLE_ID"]), cid)
    gen: dict[str, list[dict[str, Any]]] = {cid: [] for cid in by_id}
    for doc in genomic:
        raw_cid = doc.get("CLINICAL_ID")
        key = (
            str(raw_cid)
            if raw_cid is not None and str(raw_cid) in by_id
            else by_sample.get(str(doc.get("SAMPLE_ID")))
        )
        if key is not None:
            gen[key].append(doc)
    return Patients(by_id, gen)


def _is_alive(doc: dict[str, Any]) -> bool:
    vs = doc.get("VITAL_STATUS")
    return vs is None or str(vs).strip().lower() == "alive"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


GENOMIC_SHOWN = (
    "TRUE_HUGO_SYMBOL",
    "HARMONIZED_HUGO_SYMBOL",
    "TRUE_PROTEIN_CHANGE",
    "HARMONIZED_PROTEIN_CHANGE",
    "TRUE_VARIANT_CLASSIFICATION",
    "HARMONIZED_VARIANT_CLASSIFICATION",
    "VARIANT_CATEGORY",
    "CNV_CALL",
    "WILDTYPE",
    "MMR_STATUS",
    "TRUE_TRANSCRIPT_EXON",
    "HARMONIZED_TRANSCRIPT_EXON",
    "LEFT_PARTNER_GENE",
    "RIGHT_PARTNER_GENE",
    "HARMONIZED_LEFT_PARTNER_GENE",
    "HARMONIZED_RIGHT_PARTNER_GENE",
    "STRUCTURAL_VARIANT_COMMENT",
    "APOBEC_STATUS",
    "POLE_STATUS",
    "TOBACCO_STATUS",
    "TABACCO_STATUS",
    "TEMOZOLOMIDE_STATUS",
    "UVA_STATUS",
)


class CtmlMatcher:
    def __init__(
        self,
        patients: Patients,
        *,
        oncotree: dict[str, list[str]] | None = None,
        include_closed: bool = False,
        include_deceased: bool = False,
        as_of: date | None = None,
    ) -> None:
        self.patients = patients
        self.include_closed = include_closed
        self.include_deceased = include_deceased
        self.builder = CriterionBuilder(
            oncotree if oncotree is not None else ctml_subtrees(), as_of or date.today()
        )

    def match_trials(self, trials: Iterable[dict[str, Any]]) -> list[CtmlMatch]:
        out: list[CtmlMatch] = []
        for trial in trials:
            out.extend(self.match_trial(trial))
        return out

    def match_trial(self, trial: dict[str, Any]) -> list[CtmlMatch]:
        if not self.include_closed and not trial_is_open(trial):
            return []
        ids = [cid for cid, doc in self.patients.clinical.items() if self.include_deceased or _is_alive(doc)]
        out: list[CtmlMatch] = []
        for mc in extract_match_clauses(trial):
            if mc.suspended and not self.include_closed:
                continue
            reasons_by_id: dict[str, list[dict[str, Any]]] = {}
            for path in expand_paths(mc.clause):
                compiled = self._compile(path)
                if not compiled.clinical and not compiled.genomic:
                    continue  # an empty clause matches nobody (MatchMiner runs no query for it)
                for cid in ids:
                    reasons = self._evaluate(compiled, cid)
                    if reasons is not None:
                        bucket = reasons_by_id.setdefault(cid, [])
                        for r in reasons:
                            if r not in bucket:
                                bucket.append(r)
            for cid in ids:
                if cid in reasons_by_id:
                    doc = self.patients.clinical[cid]
                    out.append(
                        CtmlMatch(
                            mc.protocol_no,
                            mc.nct_id,
                            str(doc.get("SAMPLE_ID")),
                            mc.level,
                            mc.code,
                            mc.internal_id,
                            reasons_by_id[cid],
                        )
                    )
        return out

    def _compile(self, path: list[dict[str, Any]]) -> Path_:
        p = Path_()
        for leaf in path:
            for kind, criteria in leaf.items():
                if not isinstance(criteria, dict):
                    continue
                if kind == "clinical":
                    p.clinical.extend(self.builder.clinical(criteria))
                elif kind == "genomic":
                    p.genomic.append(self.builder.genomic(criteria))
        return p

    def _evaluate(self, path: Path_, cid: str) -> list[dict[str, Any]] | None:
        doc = self.patients.clinical[cid]
        reasons: list[dict[str, Any]] = []
        for cc in path.clinical:
            field_name: str | None
            if cc.cond.key == "AGE_NUMERICAL":
                field_name, value = "BIRTH_DATE", birth_date_of(doc)
                if "BIRTH_DATE_INT" in doc and doc["BIRTH_DATE_INT"] is not None:
                    field_name = "BIRTH_DATE_INT"
            else:
                field_name, value = first_field(doc, cc.cond.fields)
            holds = cc.cond.test(value)
            if holds == cc.negate:
                return None
            reasons.append(
                {
                    "type": "clinical",
                    "criterion": {cc.key: cc.trial_value},
                    "field": field_name or cc.cond.fields[0],
                    "patient_value": _jsonable(doc.get(field_name) if field_name else None),
                }
            )
        records = self.patients.genomic.get(cid, [])
        for gc in path.genomic:
            applicable = [n for n in gc.nodes if n.applies(doc)]
            if not applicable:
                return None
            found_reason = None
            for node in applicable:
                hits = [g for g in records if all(_cond_holds(c, g) for c in node.conds if c.render)]
                if node.exclusion and not hits:
                    found_reason = {
                        "type": "genomic",
                        "criterion": gc.source,
                        "exclusion": True,
                        "alteration": "!" + _alteration(gc.source),
                        "patient_value": None,
                    }
                    break
                if not node.exclusion and hits:
                    found_reason = {
                        "type": "genomic",
                        "criterion": gc.source,
                        "exclusion": False,
                        "alteration": _alteration(gc.source),
                        "patient_value": [
                            _jsonable({k: g[k] for k in GENOMIC_SHOWN if g.get(k) is not None}) for g in hits
                        ],
                    }
                    break
            if found_reason is None:
                return None
            reasons.append(found_reason)
        return reasons


def _cond_holds(cond: Cond, record: dict[str, Any]) -> bool:
    if cond.fields == ("__doc__",):
        return cond.test(record)
    _, value = first_field(record, cond.fields)
    return cond.test(value)


def _alteration(source: dict[str, Any]) -> str:
    parts = []
    low = {k.lower(): v for k, v in source.items()}
    gene = low.get("hugo_symbol")
    if gene and str(gene) != "None":
        gene = str(gene).lstrip("!")
        partner = low.get("fusion_partner_hugo_symbol")
        parts.append(f"{gene}-{str(partner).lstrip('!')}" if partner else gene)
    for key in ("protein_change", "wildcard_protein_change", "cnv_call", "variant_classification"):
        if low.get(key):
            parts.append(str(low[key]).lstrip("!"))
    for key, value in low.items():
        if key.endswith("_signature") or key in ("mmr_status", "ms_status"):
            parts.append(f"{key}={str(value).lstrip('!')}")
    if low.get("variant_category") and not any(
        low.get(k) for k in ("protein_change", "wildcard_protein_change", "cnv_call")
    ):
        parts.append(str(low["variant_category"]).lstrip("!"))
    return " ".join(parts) or json.dumps(source, sort_keys=True)
