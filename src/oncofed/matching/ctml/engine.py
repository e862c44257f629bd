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
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from oncofed.errors import InputError

STRUCTURED_SV_FROM = datetime(2018, 12, 1)

LEVEL_KEYS = {
    "step": ("step_code", "step_internal_id"),
    "arm": ("arm_code", "arm_internal_id"),
    "dose_level": ("level_code", "level_internal_id"),
}
LEVEL_NAMES = {"step": "step", "arm": "arm", "dose_level": "dose"}

# trial key -> candidate sample fields, first present wins (MatchMiner V2, then CTIMS names)
GENOMIC_FIELDS: dict[str, tuple[str, ...]] = {
    "HUGO_SYMBOL": ("TRUE_HUGO_SYMBOL", "HARMONIZED_HUGO_SYMBOL", "HUGO_SYMBOL"),
    "PROTEIN_CHANGE": ("TRUE_PROTEIN_CHANGE", "HARMONIZED_PROTEIN_CHANGE", "PROTEIN_CHANGE"),
    "WILDCARD_PROTEIN_CHANGE": ("TRUE_PROTEIN_CHANGE", "HARMONIZED_PROTEIN_CHANGE", "PROTEIN_CHANGE"),
    "VARIANT_CLASSIFICATION": (
        "TRUE_VARIANT_CLASSIFICATION",
        "HARMONIZED_VARIANT_CLASSIFICATION",
        "VARIANT_CLASSIFICATION",
    ),
    "EXON": ("TRUE_TRANSCRIPT_EXON", "HARMONIZED_TRANSCRIPT_EXON", "EXON"),
    "VARIANT_CATEGORY": ("VARIANT_CATEGORY",),
    "CNV_CALL": ("CNV_CALL",),
    "WILDTYPE": ("WILDTYPE",),
    "MMR_STATUS": ("MMR_STATUS",),
    "MS_STATUS": ("MMR_STATUS",),
    "APOBEC_SIGNATURE": ("APOBEC_STATUS",),
    "POLE_SIGNATURE": ("POLE_STATUS",),
    "TOBACCO_SIGNATURE": ("TOBACCO_STATUS", "TABACCO_STATUS"),
    "TEMOZOLOMIDE_SIGNATURE": ("TEMOZOLOMIDE_STATUS",),
    "UVA_SIGNATURE": ("UVA_STATUS",),
    "FUSION_PARTNER_HUGO_SYMBOL": ("FUSION_PARTNER_HUGO_SYMBOL",),
    "LEFT_PARTNER_GENE": ("LEFT_PARTNER_GENE", "HARMONIZED_LEFT_PARTNER_GENE"),
    "RIGHT_PARTNER_GENE": ("RIGHT_PARTNER_GENE", "HARMONIZED_RIGHT_PARTNER_GENE"),
    "STRUCTURAL_VARIANT_COMMENT": ("STRUCTURAL_VARIANT_COMMENT",),
}
SIGNATURE_KEYS = {
    "APOBEC_SIGNATURE",
    "POLE_SIGNATURE",
    "TOBACCO_SIGNATURE",
    "TEMOZOLOMIDE_SIGNATURE",
    "UVA_SIGNATURE",
    "MMR_STATUS",
    "MS_STATUS",
}
IGNORED_CLINICAL = {"HER2_STATUS", "ER_STATUS", "PR_STATUS", "DISEASE_STATUS"}
IGNORED_GENOMIC = {"DISPLAY_NAME"}
CNV_MAP = {
    "High Amplification": "High level amplification",
    "Homozygous Deletion": "Homozygous deletion",
    "Low Amplification": "Gain",
    "Heterozygous Deletion": "Heterozygous deletion",
}
MMR_MAP = {
    "MMR-Proficient": "Proficient (MMR-P / MSS)",
    "MMR-Deficient": "Deficient (MMR-D / MSI-H)",
    "MSI-H": "Deficient (MMR-D / MSI-H)",
    "MSI-L": "Proficient (MMR-P / MSS)",
    "MSS": "Proficient (MMR-P / MSS)",
}
OPEN_STATUS = "open to accrual"


# ---------------------------------------------------------------------------------- value helpers


def is_negate(value: Any) -> tuple[Any, bool]:
    if isinstance(value, str) and value.startswith("!"):
        return value[1:], True
    return value, False


def first_field(doc: dict[str, Any], names: Iterable[str]) -> tuple[str | None, Any]:
    for name in names:
        if name in doc:
            return name, doc[name]
    return None, None


def _equal(doc_value: Any, wanted: Any) -> bool:
    if isinstance(doc_value, list):
        return any(_equal(v, wanted) for v in doc_value)
    if wanted is None:
        return doc_value is None
    if doc_value is None:
        return False
    if isinstance(wanted, bool) or isinstance(doc_value, bool):
        return str(doc_value).strip().lower() == str(wanted).strip().lower()
    if isinstance(wanted, int | float) or isinstance(doc_value, int | float):
        a, b = _to_float(doc_value), _to_float(wanted)
        return a is not None and a == b
    return doc_value == wanted


def _eq_test(wanted: Any) -> Callable[[Any], bool]:
    return lambda v: _equal(v, wanted)


def _in_test(names: set[Any]) -> Callable[[Any], bool]:
    return lambda v: v in names


def _regex_test(rx: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and bool(rx.match(v))


def _str_eq_test(wanted: Any) -> Callable[[Any], bool]:
    return lambda v: v is not None and str(v).strip() == str(wanted).strip()


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _parse_op(text: str) -> tuple[str, str]:
    text = str(text).strip()
    op = "".join(c for c in text if not c.isdigit() and c != "." and not c.isspace())
    num = "".join(c for c in text if c.isdigit() or c == ".")
    if num.startswith("."):
        num = "0" + num
    if op not in ("==", "<=", ">=", ">", "<", "="):
        raise InputError(f"unreadable comparison {text!r}", fix="write e.g. >=18, <40, ==10")
    return ("==" if op == "=" else op), num


def _subtract(day: date, years: int, months: int) -> date:
    total = day.year * 12 + (day.month - 1) - (years * 12 + months)
    y, m = divmod(total, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, d)
        except ValueError:
            continue
    return date(y, m, 28)


def birth_date_of(doc: dict[str, Any]) -> date | None:
    raw = doc.get("BIRTH_DATE_INT")
    if raw is not None:
        try:
            n = int(float(raw))
            return date(n // 10000, (n // 100) % 100, n % 100)
        except (ValueError, TypeError):
            pass
    raw = doc.get("BIRTH_DATE")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        from oncofed.matching.ctml.loader import parse_datetime

        parsed = parse_datetime(raw)
        return parsed.date() if parsed else None
    return None


def report_date_of(doc: dict[str, Any]) -> datetime | None:
    raw = doc.get("REPORT_DATE")
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    if isinstance(raw, str):
        from oncofed.matching.ctml.loader import parse_datetime

        return parse_datetime(raw)
    return None


# ----------------------------------------------------------------------------------- OncoTree map


def default_oncotree_path() -> Path | None:
    """Where the OncoTree name mapping is read from when none is given."""
    env = os.environ.get("ONCOFED_ONCOTREE_MAPPING")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates.append(here.parent / "oncotree_mapping.json")
    rel = Path("shared") / "data" / "matchminer" / "ref" / "oncotree_mapping.json"
    for base in [Path.cwd(), *Path.cwd().parents, *here.parents]:
        candidates.append(base / rel)
    for c in candidates:
        if c.is_file():
            return c
    return None


def load_oncotree(path: str | Path | None = None) -> dict[str, list[str]]:
    """OncoTree node name -> names of the node and its whole subtree (`_SOLID_`, `_LIQUID_` too)."""
    p = Path(path) if path else default_oncotree_path()
    if p is None:
        return oncotree_from_vocabulary()
    try:
        raw = json.loads(Path(p).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the OncoTree mapping ({exc})", file=str(p)) from exc
    return {k: (sorted(v) if isinstance(v, list) else [v]) for k, v in raw.items()}


def oncotree_from_vocabulary() -> dict[str, list[str]]:
    """Fallback when MatchMiner's mapping file is absent: subtrees from the project's own (smaller)
    OncoTree vocabulary (`resources/vocab/oncotree.tsv`); `_LIQUID_` = Lymphoid + Myeloid, `_SOLID_` = the rest."""
    from oncofed.resources import load_tsv

    try:
        rows = load_tsv("vocab/oncotree.tsv")
    except (OSError, ValueError):
        return {}
    name = {r["code"]: r["name"] for r in rows}
    children: dict[str, list[str]] = {}
    for r in rows:
        if r.get("parent"):
            children.setdefault(r["parent"], []).append(r["code"])

    def subtree(code: str) -> list[str]:
        out = [code]
        for c in children.get(code, []):
            out.extend(subtree(c))
        return out

    mapping = {name[c]: sorted({name[x] for x in subtree(c)}) for c in name if c != "TISSUE"}
    liquid = {x for t in ("LYMPH", "MYELOID") if t in name for x in subtree(t)}
    mapping["_LIQUID_"] = sorted(name[x] for x in liquid)
    mapping["_SOLID_"] = sorted(name[x] for x in name if x not in liquid and x != "TISSUE")
    return mapping


# --------------------------------------------------------------------------------------- criteria


@dataclass
class Cond:
    """One condition on one field of a record."""

    key: str  # trial key (upper case)
    fields: tuple[str, ...]  # sample fields, first present wins
    test: Callable[[Any], bool]
    trial_value: Any
    render: bool = True


@dataclass
class GenomicNode:
    """All conditions must hold on one genomic record; `exclusion` = no record may hold them."""

    conds: list[Cond]
    exclusion: bool
    applies: Callable[[dict[str, Any]], bool] = lambda clinical: True


@dataclass
class GenomicCriterion:
    source: dict[str, Any]
    nodes: list[GenomicNode]  # alternatives (structured / free-text SV), split by report date


@dataclass
class ClinicalCriterion:
    key: str
    trial_value: Any
    cond: Cond
    negate: bool


@dataclass
class Path_:
    clinical: list[ClinicalCriterion] = field(default_factory=list)
    genomic: list[GenomicCriterion] = field(default_factory=list)


class CriterionBuilder:
    def __init__(self, oncotree: dict[str, list[str]], as_of: date) -> None:
        self.oncotree = oncotree
        self.as_of = as_of

    # clinical -----------------------------------------------------------------------------------
    def clinical(self, criteria: dict[str, Any]) -> list[ClinicalCriterion]:
        out = []
        for raw_key in sorted(criteria):
            key = raw_key.upper()
            value = criteria[raw_key]
            if key in IGNORED_CLINICAL:
                continue
            if key == "AGE_NUMERICAL":
                out.append(ClinicalCriterion(raw_key, value, self._age(value), False))
                continue
            if key == "TMB_NUMERICAL":
                cond = self._numeric(key, ("TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE",), value)
                out.append(ClinicalCriterion(raw_key, value, cond, False))
                continue
            plain, negate = is_negate(value)
            if key == "ONCOTREE_PRIMARY_DIAGNOSIS":
                names = set(self.oncotree.get(plain, [plain]))
                cond = Cond(key, ("ONCOTREE_PRIMARY_DIAGNOSIS_NAME",), _in_test(names), plain)
            elif key == "GENDER":
                cond = Cond(key, ("GENDER",), _eq_test(plain), plain)
            else:
                cond = Cond(key, (key,), _eq_test(plain), plain)
            out.append(ClinicalCriterion(raw_key, value, cond, negate))
        return out

    def _age(self, value: Any) -> Cond:
        op, num = _parse_op(str(value))
        whole, _, frac = num.partition(".")
        years = int(whole) if whole.isdigit() else 0
        months = round(float("0." + frac) * 12) if frac else 0
        cutoff = _subtract(self.as_of, years, months)
        tests = {
            ">=": lambda b: b <= cutoff,
            ">": lambda b: b < cutoff,
            "<=": lambda b: b >= cutoff,
            "<": lambda b: b > cutoff,
            "==": lambda b: b == cutoff,
        }
        t = tests[op]
        return Cond(
            "AGE_NUMERICAL", ("BIRTH_DATE_INT", "BIRTH_DATE"), lambda b: b is not None and t(b), value
        )

    def _numeric(self, key: str, fields: tuple[str, ...], value: Any) -> Cond:
        op, num = _parse_op(str(value))
        threshold = float(num)
        ops: dict[str, Callable[[float, float], bool]] = {
            ">=": lambda a, b: a >= b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            "<": lambda a, b: a < b,
            "==": lambda a, b: a == b,
        }
        f = ops[op]

        def test(v: Any) -> bool:
            x = _to_float(v)
            return x is not None and f(x, threshold)

        return Cond(key, fields, test, value)

    # genomic ------------------------------------------------------------------------------------
    def genomic(self, criteria: dict[str, Any]) -> GenomicCriterion:
        base: list[Cond] = []
        exclusion = False
        sv = False
        gene: Any = None
        partner: Any = None
        is_signature = any(k.upper() in SIGNATURE_KEYS for k in criteria)
        for raw_key, value in criteria.items():
            key = raw_key.upper()
            if key in IGNORED_GENOMIC:
                continue
            plain, negate = is_negate(value)
            exclusion = exclusion or negate
            fields = GENOMIC_FIELDS.get(key, (key,))
            if key == "HUGO_SYMBOL":
                gene = plain
                base.append(Cond(key, fields, _eq_test(plain), plain, render=not is_signature))
            elif key == "FUSION_PARTNER_HUGO_SYMBOL":
                partner = plain
                base.append(Cond(key, fields, _eq_test(plain), plain))
            elif key == "VARIANT_CATEGORY":
                low = str(plain).lower()
                if low == "structural variation":
                    sv = True
                elif low == "copy number variation":
                    base.append(Cond(key, fields, lambda v: _equal(v, "CNV"), plain))
                elif low == "any variation":
                    base.append(Cond(key, fields, lambda v: v in ("MUTATION", "CNV"), plain))
                else:
                    up = str(plain).upper()
                    base.append(Cond(key, fields, _eq_test(up), plain))
            elif key == "WILDCARD_PROTEIN_CHANGE":
                prefix = str(plain)
                if not prefix.startswith("p."):
                    prefix = "p." + prefix
                rx = re.compile("^" + re.escape(prefix) + "[ACDEFGHIKLMNPQRSTVWY]$", re.IGNORECASE)
                base.append(Cond(key, fields, _regex_test(rx), plain))
            elif key == "CNV_CALL":
                w = CNV_MAP.get(plain, plain)
                base.append(Cond(key, fields, _eq_test(w), plain))
            elif key in ("MMR_STATUS", "MS_STATUS"):
                w = MMR_MAP.get(plain, plain)
                base.append(Cond(key, fields, _eq_test(w), plain))
            elif key == "EXON":
                base.append(
                    Cond(
                        key,
                        fields,
                        _str_eq_test(plain),
                        plain,
                    )
                )
            else:
                base.append(Cond(key, fields, _eq_test(plain), plain))
        if not sv:
            return GenomicCriterion(criteria, [GenomicNode(base, exclusion)])
        # structural variants: free-text comment before 2018-12-01, structured partners after
        others = [c for c in base if c.key not in ("HUGO_SYMBOL", "FUSION_PARTNER_HUGO_SYMBOL")]
        category = Cond(
            "VARIANT_CATEGORY", ("VARIANT_CATEGORY",), lambda v: _equal(v, "SV"), "Structural Variation"
        )
        rx = re.compile(
            rf"(.*\W{re.escape(str(gene))}\W.*)|(^{re.escape(str(gene))}\W.*)|(.*\W{re.escape(str(gene))}$)",
            re.IGNORECASE,
        )
        comment = Cond(
            "STRUCTURAL_VARIANT_COMMENT",
            GENOMIC_FIELDS["STRUCTURAL_VARIANT_COMMENT"],
            lambda v: isinstance(v, str) and bool(rx.match(v)),
            gene,
        )
        unstructured = GenomicNode(
            [*others, category, comment],
            exclusion,
            lambda clin: not _structured_era(clin),
        )
        structured = GenomicNode(
            [*others, category, self._partner_cond(gene, partner)],
            exclusion,
            _structured_era,
        )
        return GenomicCriterion(criteria, [unstructured, structured])

    @staticmethod
    def _partner_cond(left: Any, right: Any) -> Cond:
        def side_test(side: Any) -> Callable[[Any], bool] | None:
            if side is None:
                return None
            s = str(side)
            if s.lower() == "intergenic":
                return lambda v: v is None or v == ""
            if s.lower().replace(" ", "_") == "any_gene":
                return lambda v: v is not None and v != ""
            return lambda v: _equal(v, s)

        lt, rt = side_test(left), side_test(right)
        lf, rf = GENOMIC_FIELDS["LEFT_PARTNER_GENE"], GENOMIC_FIELDS["RIGHT_PARTNER_GENE"]

        def test(doc: Any) -> bool:
            _, lv = first_field(doc, lf)
            _, rv = first_field(doc, rf)
            forward = (lt is None or lt(lv)) and (rt is None or rt(rv))
            backward = (lt is None or lt(rv)) and (rt is None or rt(lv))
            return forward or backward

        return Cond("STRUCTURED_SV", ("__doc__",), test, f"{left}-{right}")


def _structured_era(clinical: dict[str, Any]) -> bool:
    rd = report_date_of(clinical)
    return rd is not None and rd >= STRUCTURED_SV_FROM


# ------------------------------------------------------------------------------------ match trees


def expand_paths(clause: Any) -> list[list[dict[str, Any]]]:
    """A CTML match clause (list or dict) -> its match paths: lists of leaf criteria dicts
    (`{"clinical": {...}}` / `{"genomic": {...}}`), every path a conjunction, the paths alternatives."""
    if isinstance(clause, list):
        return _and([expand_paths(item) for item in clause])
    if not isinstance(clause, dict):
        return [[]]
    parts: list[list[list[dict[str, Any]]]] = []
    for label, value in clause.items():
        items = value if isinstance(value, list) else [value]
        if label.startswith("and"):
            parts.append(_and([expand_paths(i) for i in items]))
        elif label.startswith("or"):
            alternatives: list[list[dict[str, Any]]] = []
            for i in items:
                alternatives.extend(expand_paths(i))
            parts.append(alternatives)
        else:
            parts.append([[{label: value}]])
    return _and(parts)


def _and(groups: list[list[list[dict[str, Any]]]]) -> list[list[dict[str, Any]]]:
    paths: list[list[dict[str, Any]]] = [[]]
    for alternatives in groups:
        if not alternatives:
            continue
        paths = [p + a for p in paths for a in alternatives]
    return paths


# ----------------------------------------------------------------------------------------- engine


@dataclass
class MatchClause:
    protocol_no: str
    nct_id: str | None
    level: str  # step / arm / dose
    code: Any
    internal_id: Any
    suspended: bool
    clause: Any


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


def trial_is_open(trial: dict[str, Any]) -> bool:
    status = trial.get("status")
    if status is None:
        summary = trial.get("_summary") or {}
        st = summary.get("status") if isinstance(summary, dict) else None
        if isinstance(st, list) and st and isinstance(st[0], dict):
            status = st[0].get("value")
    return isinstance(status, str) and status.strip().lower() == OPEN_STATUS


def _suspended(value: Any) -> bool:
    return str(value if value is not None else "n").strip().lower() == "y"


def extract_match_clauses(trial: dict[str, Any]) -> list[MatchClause]:
    """Every match clause of a trial with its level, code and suspension (MatchMiner's walk)."""
    protocol_no = str(trial.get("protocol_no", ""))
    nct_id = trial.get("nct_id")
    out: list[MatchClause] = []
    if "match" in trial:
        out.append(MatchClause(protocol_no, nct_id, "trial", None, None, False, trial["match"]))

    def walk(value: Any, level: str | None) -> None:
        if isinstance(value, dict):
            if "match" in value and level in LEVEL_KEYS:
                code_key, id_key = LEVEL_KEYS[level]
                if level == "step":
                    suspended = all(
                        _suspended(a.get("arm_suspended"))
                        for a in value.get("arm") or []
                        if isinstance(a, dict)
                    )
                elif level == "arm":
                    suspended = _suspended(value.get("arm_suspended"))
                else:
                    suspended = _suspended(value.get("level_suspended"))
                out.append(
                    MatchClause(
                        protocol_no,
                        nct_id,
                        LEVEL_NAMES[level],
                        value.get(code_key),
                        value.get(id_key),
                        suspended,
                        value["match"],
                    )
                )
            for k, v in value.items():
                if k != "match":
                    walk(v, k if isinstance(v, list) else None)
        elif isinstance(value, list):
            for item in value:
                walk(item, level)

    walk(trial.get("treatment_list"), None)
    return out


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
            oncotree if oncotree is not None else load_oncotree(), as_of or date.today()
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


def run_ctml_match(
    trials_path: str | Path,
    clinical_path: str | Path,
    genomic_path: str | Path | None,
    *,
    include_closed: bool = False,
    include_deceased: bool = False,
    oncotree_path: str | Path | None = None,
    as_of: date | None = None,
) -> list[CtmlMatch]:
    """Load the files and return every match (the `oncofed ctml match` command)."""
    from oncofed.matching.ctml.loader import load_patients, load_trials

    trials = load_trials(trials_path)
    # the same trial given twice (e.g. as YAML and as JSON in one directory) is matched once
    seen: set[str] = set()
    unique = []
    for t in trials:
        key = json.dumps(t, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            unique.append(t)
    trials = unique
    clinical = load_patients(clinical_path)
    genomic = load_patients(genomic_path) if genomic_path else []
    patients = index_patients(clinical, genomic)
    matcher = CtmlMatcher(
        patients,
        oncotree=load_oncotree(oncotree_path),
        include_closed=include_closed,
        include_deceased=include_deceased,
        as_of=as_of,
    )
    return matcher.match_trials(trials)
