"""The evaluator over many patients at once (trial -> candidate patients), for pre-screening.

Usage (the pre-screening service calls exactly this)::

    batch = PatientBatch.from_profiles(PatientRepository(session, actor).list(centre_id=c, limit=None), day)
    result = evaluate_trial_over_patients(criteria, batch)   # criteria: Sequence[Criterion]
    result.verdicts          # int8 (criteria x patients), cohorts resolved: 0 violated, 1 unknown,
                             # 2 satisfied, 3 not applicable (codes of matching/outcomes.py)
    result.trial_verdict     # int8 per patient: 0 excluded, 1 unknown, 2 eligible, 3 not evaluated
    result.met, result.not_met, result.unknown   # per-patient counts (satisfied, violated, unknown)
    result.eligible          # bool per patient: trial verdict eligible
    result.possible          # bool per patient: plausible candidate (not excluded, not "probably not")
    result.probably_not      # bool per patient: unknown with a criterion read as not met, held back
    result.held              # bool (criteria x patients): unknown codes read as not met, held back
    result.score             # the trial score per patient (matching/rank.py, the same function, of the
                             # engine's full reading: `trust.reading`, as `assess.ranking_assess`)

Semantics are those of `matching/evaluate.py`, by construction: atom truth values combine into
outcomes and trial verdicts through the same functions (`matching/outcomes.py`); numeric atoms
(age, ECOG, Karnofsky, labs, prior lines) are compared on numpy columns extracted once per batch
with the same rules (`matching/numeric.py`); cancer type, sex and stage are decided once per distinct value; every other atom is
decided by the scalar evaluator once per (distinct atom, patient) and cached in the batch, so
atoms shared by many trials cost one pass. No Python loop runs per (trial, patient) pair for the
numeric kinds. Patients objecting to research use never reach a batch built through
`PatientRepository(session, actor)` for a research actor (the repository hides them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from oncofed.domain import Atom, Criterion, Fact, PatientProfile, Section
from oncofed.matching import trust
from oncofed.matching.atoms import (
    AtomResult,
    cancer_type,
    given_for_another,
    presumable,
    prior_therapy,
    setting_family,
    sex,
    treatment_matches,
)
from oncofed.matching.cancer_lines import resolve_with_cancers
from oncofed.matching.evaluate import EVALUATORS, evaluate_atom
from oncofed.matching.facts import PatientView, as_float, fact_date, no_systemic_therapy
from oncofed.matching.numeric import compare, compare_range_column, lab_threshold, record_uln
from oncofed.matching.outcomes import ELIGIBLE as _ELIGIBLE
from oncofed.matching.outcomes import EXCLUDED as _EXCLUDED
from oncofed.matching.outcomes import (
    HELD,
    NOT_APPLICABLE,
    SATISFIED,
    UNDECIDED,
    VIOLATED,
    cohort_plan,
    compile_plan,
    condition_value,
    decided_column,
    outcome_column,
    statement,
)
from oncofed.matching.outcomes import UNSURE as _UNSURE
from oncofed.matching.therapy_site import site_target
from oncofed.matching.vocab import another_organ, marker_key

# atom truth values (matching/outcomes.py): FALSE 0, PRESUMED_FALSE 1, UNKNOWN 2, PRESUMED_TRUE 3, TRUE 4
FALSE, PRESUMED_FALSE, UNKNOWN, PRESUMED_TRUE, TRUE = (np.int8(k) for k in range(5))
# criterion outcome codes in `BatchVerdicts.verdicts`
NOT_MET, MET, NA = np.int8(VIOLATED), np.int8(SATISFIED), np.int8(NOT_APPLICABLE)


def _tri(result: AtomResult) -> np.int8:
    return np.int8(result.tri)


def compare_range_columns(op: str, low: np.ndarray, high: np.ndarray, value: object) -> np.ndarray:
    """Truth values of `numeric.compare_range` over columns (decided where the whole range agrees)."""
    decided = compare_range_column(op, low, high, value)
    return np.where(decided < 0, UNKNOWN, np.where(decided > 0, TRUE, FALSE)).astype(np.int8)


@dataclass
class PatientBatch:
    """Columns of many patients, extracted once; atom columns are cached as they are computed."""

    ids: list[str]
    views: list[PatientView]
    day: date
    age: np.ndarray
    ecog_low: np.ndarray
    ecog_high: np.ndarray
    kps_low: np.ndarray
    kps_high: np.ndarray
    lines: np.ndarray
    cancer: np.ndarray
    sex: np.ndarray
    stage: np.ndarray
    _labs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    _atoms: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict)
    _keys: dict[tuple[object, ...], tuple[np.ndarray, list[int]]] = field(default_factory=dict)
    _treatments: TreatmentTable | None = None
    _values: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    _all_labs: dict[str, dict[int, Fact]] | None = None
    _kind_keys: dict[tuple[object, ...], list[tuple[object, ...]]] = field(default_factory=dict)

    @classmethod
    def from_profiles(cls, profiles: Sequence[PatientProfile], day: date | None = None) -> PatientBatch:
        on = day or date.today()
        views = [PatientView.of(p) for p in profiles]
        n = len(views)
        age, lines = np.full(n, np.nan), np.full(n, np.nan)
        ecog_lo, ecog_hi, kps_lo, kps_hi = (np.full(n, np.nan) for _ in range(4))
        cancer, sex_col, stage_col = (np.empty(n, dtype=object) for _ in range(3))
        for i, v in enumerate(views):
            years = v.profile.age_on(on)
            age[i] = np.nan if years is None else years
            lo, hi, fact = v.ecog_range()
            if fact is not None:
                ecog_lo[i], ecog_hi[i] = lo, hi
            klo, khi, _ = v.karnofsky_range()
            kps_lo[i], kps_hi[i] = klo, khi
            count, _ = v.prior_lines()
            lines[i] = np.nan if count is None else count
            cancer[i] = (v.primary_cancer()[0] or "").upper()
            sex_col[i] = (v.profile.sex or "").upper()
            stage_col[i] = v.stage()[0] or ""
        return cls(
            [p.id for p in profiles],
            views,
            on,
            age,
            ecog_lo,
            ecog_hi,
            kps_lo,
            kps_hi,
            lines,
            cancer,
            sex_col,
            stage_col,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def prefetch(self, indices: Iterable[int]) -> None:
        """Make `views[i]` cheap for these patients (a batch built from stored features loads the
        records it needs in one query; this batch already holds every view)."""

    def lab(self, analyte: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(value, ULN, day number of the latest value) per patient; NaN where missing."""
        if analyte not in self._labs:
            n = len(self)
            value, uln, when = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
            for i, f in self._latest_labs().get(analyte.lower(), {}).items():
                x = as_float(f.value)
                value[i] = np.nan if x is None else x
                u = record_uln(f.attributes.get("uln"), analyte)
                uln[i] = np.nan if u is None else u
                when[i] = np.nan if f.when is None else f.when.toordinal()
            self._labs[analyte] = (value, uln, when)
        return self._labs[analyte]

    def _latest_labs(self) -> dict[str, dict[int, Fact]]:
        """analyte (lower case) -> patient index -> latest positive lab fact: `PatientView.latest_lab`
        for every analyte in one pass over the batch's lab facts (first of equal dates kept, as max())."""
        if self._all_labs is None:
            latest: dict[str, dict[int, Fact]] = {}
            for i, v in enumerate(self.views):
                for f in v.facts("lab"):
                    if f.negated:
                        continue
                    per = latest.setdefault((f.code or "").lower(), {})
                    best = per.get(i)
                    if best is None or (f.when or date.min) > (best.when or date.min):
                        per[i] = f
            self._all_labs = latest
        return self._all_labs

    def treatment_table(self) -> TreatmentTable:
        if self._treatments is None:
            self._treatments = _treatment_table(self)
        return self._treatments

    def keys(
        self, name: str, kinds: tuple[str, ...], fields: tuple[str, ...], code: str | None, dates: bool
    ) -> tuple[np.ndarray, list[int]]:
        """(index of each patient's key, one representative patient per distinct key), cached."""
        only = KEY_ATTRIBUTES.get(name.replace("_no_lines", ""))
        codes = KEY_CODES.get(name.replace("_no_lines", ""), {})
        cache_key = (kinds, fields, code, dates, only, tuple(sorted(codes.items())))
        if cache_key not in self._keys:
            seen: dict[tuple[object, ...], int] = {}
            inverse = np.empty(len(self), dtype=np.int64)
            reps: list[int] = []
            # a patient's key: the sorted fact keys of each kind in turn (every fact key starts with
            # its kind, so this splits patients exactly as one sorted tuple over all kinds would)
            per_kind = [self.kind_keys(kind, code, dates, only, codes.get(kind)) for kind in kinds]
            profile_fields = [[key_field(v, n) for v in self.views] for n in fields]
            for i in range(len(self)):
                k = (tuple(col[i] for col in per_kind), tuple(col[i] for col in profile_fields))
                j = seen.get(k)
                if j is None:
                    j = seen[k] = len(reps)
                    reps.append(i)
                inverse[i] = j
            self._keys[cache_key] = (inverse, reps)
        return self._keys[cache_key]

    def kind_keys(
        self,
        kind: str,
        code: str | None,
        dates: bool,
        only: tuple[str, ...] | None,
        restrict: tuple[str, ...] | None = None,
    ) -> list[tuple[object, ...]]:
        """Per patient: the sorted keys of its facts of `kind` (biomarkers of `code` only; only the
        codes in `restrict` when given), cached."""
        cache_key = (kind, code if kind == "biomarker" else None, dates, only, restrict)
        cached = self._kind_keys.get(cache_key)
        if cached is None:
            cached = self._kind_keys[cache_key] = [
                tuple(sorted(_fact_key(f, dates, only) for f in kind_facts(v, kind, code, restrict)))
                for v in self.views
            ]
        return cached

    def by_value(self, column: np.ndarray, decide: Callable[[str, int], np.int8]) -> np.ndarray:
        """Decide once per distinct value of a categorical column (given a patient having it), then broadcast."""
        cached = self._values.get(id(column))
        if cached is None:
            keys, first, inverse = np.unique(column.astype(str), return_index=True, return_inverse=True)
            cached = self._values[id(column)] = (keys, first, inverse)
        keys, first, inverse = cached
        self.prefetch(first)
        decided = np.array([decide(str(k), int(i)) for k, i in zip(keys, first, strict=True)], dtype=np.int8)
        return decided[inverse]


def _signature(atom: Atom) -> tuple[object, ...]:
    attrs = tuple(sorted((k, repr(v)) for k, v in (atom.attributes or {}).items() if k != "group"))
    return (
        atom.kind,
        atom.operator,
        repr(atom.value),
        atom.unit,
        atom.code,
        atom.negated,
        atom.hypothetical,
        atom.window_days,
        attrs,
    )


# a derived key field: whether the record shows the disease gone beyond its recorded stage since
# (PatientView.since_stage: a relapse, a line for advanced disease), read by the stage and setting atoms
SINCE_STAGE = "since_stage"


def key_field(v: PatientView, name: str) -> object:
    """A patient's value of a key field: a profile field, or the derived `SINCE_STAGE`."""
    if name == SINCE_STAGE:
        return v.since_stage(v.stage()[1]) is not None
    return getattr(v.profile, name)


# Atom kinds decided by the scalar evaluator once per distinct patient "key": the facts (and
# profile fields) that evaluator reads for that kind. Patients with equal keys get equal results.
KEYED_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "biomarker": (("biomarker",), ()),
    "prior_therapy": (("treatment", "medication", "procedure"), ()),
    "treatment_naive": (("treatment",), ()),
    "disease_setting": (
        ("disease_status", "metastasis", "stage", "treatment", "prior_lines"),
        ("stage", SINCE_STAGE),
    ),
    "brain_metastases": (("metastasis", "disease_status", "stage"), ("stage", SINCE_STAGE)),
    "metastasis": (("metastasis", "disease_status", "stage"), ("stage", SINCE_STAGE)),
    "leptomeningeal_disease": (
        ("metastasis", "comorbidity", "disease_status", "stage"),
        ("stage", SINCE_STAGE),
    ),
    "measurable_disease": (("measurable_disease", "disease_status"), ()),
    "comorbidity": (("comorbidity",), ()),
    "infection": (("comorbidity", "infection"), ()),
    "prior_malignancy": (("comorbidity", "prior_malignancy"), ()),
    "pregnancy": (("pregnancy", "menopausal_status", "childbearing_potential"), ("sex",)),
    "breastfeeding": (("breastfeeding", "menopausal_status", "childbearing_potential"), ("sex",)),
    "life_expectancy": (("life_expectancy",), ()),
    "weight_loss": (("weight_loss",), ()),
    "exercise": (("exercise",), ()),
    "non_evaluable": ((), ()),
    "permission": ((), ()),
    "childbearing_potential": (("menopausal_status", "childbearing_potential"), ("sex",)),
    "histology": (("primary_cancer", "comorbidity"), ("primary_cancer",)),
    "tnm": (("tnm", "stage"), ("stage",)),
    # a stage at diagnosis the disease has gone beyond since is no current stage (PatientView.since_stage)
    "stage": (("stage",), ("stage", SINCE_STAGE)),
    # "history of DCIS": the primary cancer, or another cancer of the history (atoms.cancer_type)
    "cancer_type_history": (("primary_cancer", "comorbidity"), ("primary_cancer",)),
}
DATE_ATTRIBUTES = ("end", "when_earliest")

# For these atom kinds, of some fact kinds they read only facts with these codes (lower case) matter:
# the evaluator of leptomeningeal disease looks at comorbidities only for these two codes (without
# this, every distinct set of comorbidities would be a distinct key: ~800 per centre of 50,000).
KEY_CODES: dict[str, dict[str, tuple[str, ...]]] = {
    "leptomeningeal_disease": {"comorbidity": ("leptomeningeal", "leptomeningeal_disease")},
    "cancer_type_history": {"comorbidity": ("prior_malignancy",)},
    "histology": {"comorbidity": ("adenoma",)},
}


def kind_facts(v: PatientView, kind: str, code: str | None, restrict: tuple[str, ...] | None) -> list[Fact]:
    """The facts of `kind` a patient key is made of (see PatientBatch.kind_keys)."""
    facts = v.biomarkers(code) if kind == "biomarker" and code is not None else v.facts(kind)
    if restrict is not None:
        facts = [f for f in facts if (f.code or "").lower() in restrict]
    return facts


# For these atom kinds only some attributes of the facts matter (fewer distinct patient keys).
KEY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "treatment_naive": ("setting", "class", "anticancer"),
    "disease_setting": ("line", "setting", "anticancer"),
    "brain_metastases": ("status",),
    "metastasis": ("status", "count"),
    "leptomeningeal_disease": ("status",),
    "comorbidity": ("active", "status", "controlled", "agent"),
    "infection": ("active", "status", "controlled"),
    "prior_malignancy": ("active", "status", "controlled", "cancer", "text"),
    "cancer_type_history": ("cancer",),
    "histology": ("text",),
    "tnm": ("t", "n", "m"),
    "biomarker": ("kind",),
    "pregnancy": (),
    "breastfeeding": (),
}


def _fact_key(f: Fact, dates: bool, only: tuple[str, ...] | None = None) -> tuple[object, ...]:
    attrs = tuple(
        sorted(
            (k, repr(v))
            for k, v in f.attributes.items()
            if (dates or k not in DATE_ATTRIBUTES)
            and (only is None or k in only or (dates and k in DATE_ATTRIBUTES))
        )
    )
    return (
        f.kind,
        (f.code or "").lower(),
        repr(f.value),
        f.unit,
        f.negated,
        attrs,
        f.when if dates else None,
    )


def _patient_key(
    v: PatientView,
    kinds: tuple[str, ...],
    fields: tuple[str, ...],
    code: str | None,
    dates: bool,
    only: tuple[str, ...] | None = None,
) -> tuple[object, ...]:
    facts: list[Fact] = []
    for kind in kinds:
        facts.extend(v.biomarkers(code) if kind == "biomarker" and code is not None else v.facts(kind))
    return (
        tuple(sorted(_fact_key(f, dates, only) for f in facts)),
        tuple(getattr(v.profile, n) for n in fields),
    )


def _keyed_column(atom: Atom, batch: PatientBatch, name: str | None = None) -> np.ndarray:
    name = name or atom.kind
    kinds, fields = KEYED_KINDS[name]
    code = marker_key(atom.code) if atom.kind == "biomarker" else None
    if name == "disease_setting" and (atom.code or "").lower() not in ("first_line", "treatment_naive"):
        kinds, name = (
            tuple(k for k in kinds if k not in ("treatment", "prior_lines")),
            "disease_setting_no_lines",
        )
    inverse, reps = batch.keys(name, kinds, fields, code, atom.window_days is not None)
    batch.prefetch(reps)
    decided = np.array([_tri(evaluate_atom(atom, batch.views[r], batch.day)) for r in reps], dtype=np.int8)
    return decided[inverse]


@dataclass
class TreatmentTable:
    """Every treatment fact of the batch as rows: patient, distinct (drug, class) pair, negated, end day."""

    patient: np.ndarray
    pair: np.ndarray
    negated: np.ndarray
    end: np.ndarray
    pairs: list[Fact]  # one representative fact per distinct (drug, class, other indication)
    any_positive: np.ndarray


def _treatment_table(batch: PatientBatch) -> TreatmentTable:
    patient, pair, negated, end = [], [], [], []
    seen: dict[tuple[str, str, str], int] = {}
    reps: list[Fact] = []
    for i, v in enumerate(batch.views):
        for f in v.facts("treatment"):
            # a drug given for another indication matches other atoms than the same drug given for the cancer
            other = (
                str(f.attributes.get("indication") or "") if f.attributes.get("anticancer") is False else ""
            )
            key = ((f.code or "").lower(), str(f.attributes.get("class", "")).lower(), other)
            j = seen.get(key)
            if j is None:
                j = seen[key] = len(reps)
                reps.append(f)
            d = fact_date(f)
            patient.append(i)
            pair.append(j)
            negated.append(f.negated)
            end.append(np.nan if d is None else d.toordinal())
    p = np.array(patient, dtype=np.int64)
    neg = np.array(negated, dtype=bool)
    any_pos = np.bincount(p[~neg], minlength=len(batch)) > 0 if len(p) else np.zeros(len(batch), dtype=bool)
    return TreatmentTable(p, np.array(pair, dtype=np.int64), neg, np.array(end, dtype=float), reps, any_pos)


def _another_indication(atom: Atom, batch: PatientBatch) -> bool:
    """Whether a therapy atom in general words meets a drug given for another indication in the batch: then
    `atoms.prior_therapy` decides it per patient key (`atoms.given_for_another`)."""
    return any(f.attributes.get("anticancer") is False for f in batch.treatment_table().pairs) and any(
        given_for_another(atom, v) is not None for v in batch.views
    )


def _therapy_column(atom: Atom, batch: PatientBatch) -> np.ndarray:
    """Vectorised `atoms.prior_therapy` (before negation): matching is decided once per distinct
    (drug, class) pair, then rows are reduced per patient with numpy."""
    table = batch.treatment_table()
    n = len(batch)
    code = atom.code or str(atom.value or "")
    klass = atom.attributes.get("class")
    match_pair = np.array([treatment_matches(f, code, klass) for f in table.pairs], dtype=bool)
    row_match = match_pair[table.pair] if len(table.pair) else np.zeros(0, dtype=bool)
    hit = row_match & ~table.negated
    any_hit = np.bincount(table.patient[hit], minlength=n) > 0
    any_neg = np.bincount(table.patient[row_match & table.negated], minlength=n) > 0
    absent = atom.operator == "absent"
    if (
        setting_family(atom)
        or (isinstance(atom.attributes.get("min_days"), int) and atom.window_days is None)
        or atom.attributes.get("to_start")
    ):
        # "at least N days since", "for metastatic disease" (rare): atoms.prior_therapy's rules (start
        # and end dates, the recorded setting) per patient with a hit
        holds_hit = np.full(n, UNKNOWN, dtype=np.int8)
        present = replace(atom, operator="present")
        for i in np.flatnonzero(any_hit):
            holds_hit[i] = _tri(prior_therapy(present, batch.views[i], batch.day))
    elif atom.window_days is None:
        holds_hit = np.full(n, TRUE, dtype=np.int8)
    else:
        cutoff = (batch.day - timedelta(days=atom.window_days)).toordinal()
        with np.errstate(invalid="ignore"):
            inside = hit & (table.end >= cutoff)
        undated = hit & np.isnan(table.end)
        any_inside = np.bincount(table.patient[inside], minlength=n) > 0
        any_undated = np.bincount(table.patient[undated], minlength=n) > 0
        holds_hit = np.where(any_inside, TRUE, np.where(any_undated, UNKNOWN, FALSE)).astype(np.int8)
    if absent:
        holds_hit = (TRUE - holds_hit).astype(np.int8)
    # as atoms.prior_therapy: an explicit "no X" decides; a history not listing X is a presumption
    no_hit = TRUE if absent else FALSE
    presumed = PRESUMED_TRUE if absent else PRESUMED_FALSE
    out = np.full(n, UNKNOWN, dtype=np.int8)
    if presumable(code, klass):
        out[table.any_positive] = presumed
        # "no prior systemic therapy" recorded and no treatment at all: the same presumption (atoms.prior_therapy)
        generic = np.array([no_systemic_therapy(replace(f, negated=True)) for f in table.pairs], dtype=bool)
        if generic.any():
            rows = generic[table.pair] & table.negated
            none = (np.bincount(table.patient[rows], minlength=n) > 0) & ~table.any_positive
            out[none] = presumed
    out[any_neg] = no_hit
    out[any_hit] = holds_hit[any_hit]
    return out


def _lab_column(atom: Atom, batch: PatientBatch) -> np.ndarray:
    analyte = (atom.code or "").lower()
    value, uln, when = batch.lab(analyte)
    out = np.full(len(batch), UNKNOWN, dtype=np.int8)
    threshold = lab_threshold(analyte, atom.value, atom.unit, uln)
    if threshold is None:
        return out
    known = ~np.isnan(value) & ~np.isnan(threshold)
    if atom.window_days is not None:
        known &= when >= (batch.day - timedelta(days=atom.window_days)).toordinal()
    holds = compare(atom.operator, value, threshold)
    out[known] = np.where(holds[known], TRUE, FALSE)
    return out


def _scalar_by_value(
    fn: Callable[[Atom, PatientView, date], AtomResult], column: np.ndarray, atom: Atom, batch: PatientBatch
) -> np.ndarray:
    """For atoms that depend on one patient field only: evaluate once per distinct value."""
    return batch.by_value(column, lambda _k, i: _tri(fn(atom, batch.views[i], batch.day)))


def atom_column(atom: Atom, batch: PatientBatch) -> np.ndarray:
    """Tri-valued column (0 false, 1 unknown, 2 true) of `atom` over the batch, cached by signature."""
    key = _signature(atom)
    cached = batch._atoms.get(key)
    if cached is not None:
        return cached
    if atom.hypothetical or atom.attributes.get("ambiguous") or len(batch) == 0:
        col = np.full(len(batch), UNKNOWN, dtype=np.int8)
    else:
        kind = atom.kind
        try:
            if kind == "age" and as_float(atom.value) is not None:
                col = compare_range_columns(atom.operator, batch.age, batch.age, atom.value)
            elif kind == "ecog":
                col = compare_range_columns(atom.operator, batch.ecog_low, batch.ecog_high, atom.value)
            elif kind == "karnofsky":
                col = compare_range_columns(atom.operator, batch.kps_low, batch.kps_high, atom.value)
            elif (
                kind == "prior_lines"
                and as_float(atom.value) is not None
                and not atom.attributes.get("adjuvant_months")  # dates of the relapse: per patient
            ):
                col = compare_range_columns(atom.operator, batch.lines, batch.lines, atom.value)
            elif kind == "lab" and not atom.attributes.get(
                "lln_band"
            ):  # a band of LLNs: per patient (atoms.lab)
                col = _lab_column(atom, batch)
            elif (
                kind == "prior_therapy"
                and not atom.attributes.get("qualifier")
                and not atom.attributes.get("current")
                and atom.attributes.get("at_most") is None
                and not atom.attributes.get("medication")
                and not (atom.code or "").endswith("ectomy")
                and site_target(atom)
                is None  # "resection of brain metastases": per patient (therapy_site.py)
                and not _another_indication(atom, batch)
            ):
                col = _therapy_column(atom, batch)
            elif kind == "cancer_type" and atom.historical:
                col = _keyed_column(atom, batch, "cancer_type_history")
                batch._atoms[key] = col
                return col  # evaluate_atom already applied negation
            elif kind in ("cancer_type", "sex"):
                fn, column = {"cancer_type": (cancer_type, batch.cancer), "sex": (sex, batch.sex)}[kind]
                col = _scalar_by_value(fn, column, replace(atom, negated=False), batch)
            elif kind in KEYED_KINDS or kind not in EVALUATORS:
                if kind not in EVALUATORS:  # unknown kinds read nothing: one evaluation decides all
                    col = np.full(len(batch), _tri(evaluate_atom(atom, batch.views[0], batch.day)), np.int8)
                else:
                    col = _keyed_column(atom, batch)
                batch._atoms[key] = col
                return col  # evaluate_atom already applied negation
            else:
                batch.prefetch(range(len(batch)))
                col = np.fromiter(
                    (_tri(evaluate_atom(atom, v, batch.day)) for v in batch.views),
                    dtype=np.int8,
                    count=len(batch),
                )
                batch._atoms[key] = col
                return col  # evaluate_atom already applied negation
        except (TypeError, ValueError):
            col = np.full(len(batch), UNKNOWN, dtype=np.int8)
        if atom.negated:
            col = (TRUE - col).astype(np.int8)
    batch._atoms[key] = col
    return col


def criterion_outcomes(criterion: Criterion, batch: PatientBatch) -> np.ndarray:
    """The criterion's outcome code per patient: `outcomes.statement` and its condition over atom
    columns (np.minimum / np.maximum: the same function the per-patient evaluator runs on ints); a
    violation the decision policy holds back is UNDECIDED here (HELD in `criterion_readings`)."""
    shown = criterion_readings(criterion, batch)[0]
    return np.where(shown == HELD, np.int8(UNDECIDED), shown).astype(np.int8)


def criterion_readings(criterion: Criterion, batch: PatientBatch) -> tuple[np.ndarray, np.ndarray]:
    """The criterion's outcome code per patient as shown (the decision policy in force: HELD for a
    violation it holds back) and as the ranker scores it (`trust.reading`), from one evaluation of its
    atoms and statement."""
    plan = compile_plan(criterion)
    n = len(batch)

    def value(atom: Atom) -> np.ndarray:
        return atom_column(atom, batch)

    holds = np.broadcast_to(np.asarray(statement(plan, value, np.minimum, np.maximum), dtype=np.int8), (n,))
    cond = None
    if plan.condition:
        cond = np.broadcast_to(
            np.asarray(condition_value(plan.condition, value, np.minimum), dtype=np.int8), (n,)
        )
    codes = outcome_column(plan, holds, cond)

    def organ(atom: Atom) -> np.ndarray:
        return organ_column(atom, batch)

    shown = decided_column(plan, codes, value, organ, cond)
    with trust.reading():
        return shown, decided_column(plan, codes, value, organ, cond)


def organ_column(atom: Atom, batch: PatientBatch) -> np.ndarray:
    """`atoms.other_organ` over the batch (bool column), decided once per distinct cancer code."""
    codes = trust.organ_codes(atom)
    if not codes or len(batch) == 0:
        return np.zeros(len(batch), dtype=bool)
    return batch.by_value(batch.cancer, lambda k, _i: np.int8(another_organ(k, codes))).astype(bool)


@dataclass
class BatchVerdicts:
    """One trial over a batch: outcome codes (criteria x patients, cohorts resolved), the trial
    verdict code and the cohort index (-1: none) per patient, and the scores."""

    patient_ids: list[str]
    criteria: tuple[Criterion, ...]
    verdicts: np.ndarray
    trial_verdict: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    cohort: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cohorts: tuple[str, ...] = ()
    # what the score counts (`trust.reading`: held-back violations count), when it differs from the above
    scored: np.ndarray | None = None
    scored_verdict: np.ndarray | None = None
    # criteria x patients: UNDECIDED codes read as violated and held back by the decision policy
    held: np.ndarray | None = None

    @property
    def met(self) -> np.ndarray:
        return np.asarray((self.verdicts == MET).sum(axis=0))

    @property
    def not_met(self) -> np.ndarray:
        return np.asarray((self.verdicts == NOT_MET).sum(axis=0))

    @property
    def unknown(self) -> np.ndarray:
        return np.asarray((self.verdicts == UNDECIDED).sum(axis=0))

    @property
    def eligible(self) -> np.ndarray:
        return np.asarray(self.trial_verdict == _ELIGIBLE)

    @property
    def probably_not(self) -> np.ndarray:
        """Per patient: "probably not eligible — to check" (unknown, with a criterion in force read as
        not met that the decision policy holds back: `outcomes.Resolution.probably_not`)."""
        if self.held is None:
            return np.zeros(len(self.patient_ids), dtype=bool)
        return np.asarray((self.trial_verdict == _UNSURE) & self.held.any(axis=0))

    @property
    def possible(self) -> np.ndarray:
        """Plausible candidates: not excluded and not "probably not" (eligible, or unknowns only)."""
        return np.asarray((self.trial_verdict != _EXCLUDED) & ~self.probably_not)

    @property
    def not_excluded(self) -> np.ndarray:
        """Not excluded by a trusted reading (possible or "probably not")."""
        return np.asarray(self.trial_verdict != _EXCLUDED)

    @property
    def score(self) -> np.ndarray:
        """The trial score per patient: `rank.trial_score` (one function) for each patient."""
        from oncofed.matching.rank import trial_score

        if not self.criteria:
            return np.zeros(len(self.patient_ids))
        inclusion = [c.section is Section.INCLUSION for c in self.criteria]
        codes = self.verdicts if self.scored is None else self.scored
        verdict = self.trial_verdict if self.scored_verdict is None else self.scored_verdict
        return np.array(
            [
                trial_score(codes[:, j].tolist(), inclusion, int(verdict[j]))
                for j in range(len(self.patient_ids))
            ],
            dtype=float,
        )


def evaluate_trial_over_patients(
    criteria: Sequence[Criterion], batch: PatientBatch, day: date | None = None
) -> BatchVerdicts:
    """Every criterion of one trial for every patient of `batch` (as of the batch's day)."""
    if day is not None and day != batch.day:
        raise ValueError(f"the batch was built for {batch.day}, not {day}: build it for that day")
    rows = np.empty((len(criteria), len(batch)), dtype=np.int8)
    read = np.empty_like(rows)
    for k, c in enumerate(criteria):
        rows[k], read[k] = criterion_readings(c, batch)
    plans = [compile_plan(c) for c in criteria]
    plan = cohort_plan(plans)

    def column(a: Atom) -> np.ndarray:
        return atom_column(a, batch)

    res, _ = resolve_with_cancers(rows, plan, plans, column)
    out = BatchVerdicts(
        batch.ids, tuple(criteria), res.codes, res.verdict, res.cohort, plan.labels, held=res.held
    )
    if not np.array_equal(read, rows):  # a violation held back from the verdict: the score counts it
        scored, _ = resolve_with_cancers(read, plan, plans, column)
        out.scored, out.scored_verdict = scored.codes, scored.verdict
    return out
