"""The evaluator: each criterion of a trial decided against one patient, with evidence.

For every atom (see docs/DEVELOPING.md, "criterion atoms") `atoms.EVALUATORS` decides whether the
statement holds for the patient (True / False / unknown). Atoms combine within a criterion with
AND, except atoms sharing `attributes["group"]`, which are alternatives (OR); three-valued (Kleene)
logic keeps unknowns honest. The section then gives the verdict: an inclusion that holds is `met`,
an exclusion that holds is `not_met`, and anything undecided is `unknown` with what to check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from oncofed.domain import Atom, Criterion, CriterionVerdict, Evidence, PatientProfile, Section, Verdict
from oncofed.matching import atoms as A
from oncofed.matching.atoms import AtomResult, unknown
from oncofed.matching.biomarkers import biomarker
from oncofed.matching.facts import PatientView, as_float
from oncofed.matching.vocab import canonical_threshold, lab_uln

# The evaluator of each atom kind (docs/DEVELOPING.md); kinds not listed are unknown.
EVALUATORS: dict[str, Callable[[Atom, PatientView, date], AtomResult]] = {
    "age": A.age,
    "sex": A.sex,
    "pregnancy": A.pregnancy,
    "breastfeeding": A.pregnancy,
    "cancer_type": A.cancer_type,
    "stage": A.stage,
    "disease_setting": A.disease_setting,
    "biomarker": biomarker,
    "ecog": A.ecog,
    "karnofsky": A.karnofsky,
    "prior_therapy": A.prior_therapy,
    "prior_lines": A.prior_lines,
    "treatment_naive": A.treatment_naive,
    "lab": A.lab,
    "brain_metastases": A.brain_metastases,
    "leptomeningeal_disease": A.leptomeningeal,
    "metastasis": A.metastasis,
    "measurable_disease": A.measurable_disease,
    "life_expectancy": A.life_expectancy,
    "prior_malignancy": A.comorbidity,
    "infection": A.comorbidity,
    "comorbidity": A.comorbidity,
    "non_evaluable": A.non_evaluable,
}


@dataclass(frozen=True)
class AtomEvidence(Evidence):
    """Evidence for one atom: the fact used (with provenance), the atom, and what to check if unknown."""

    atom: Atom | None = None
    holds: bool | None = None
    check: str = ""


def evaluate_atom(atom: Atom, view: PatientView, day: date) -> AtomResult:
    """Whether the atom's statement holds for the patient (negation and hypotheticals applied)."""
    if atom.hypothetical:
        return unknown(f"hypothetical condition: {atom.text or atom.kind}", "hypothetical statement")
    fn = EVALUATORS.get(atom.kind)
    if fn is None:
        return unknown(f"{atom.text or atom.kind} (kind {atom.kind!r} not evaluated automatically)")
    try:
        result = fn(atom, view, day)
    except (TypeError, ValueError) as exc:  # a malformed atom is unknown, never a crash
        return unknown(f"{atom.text or atom.kind}", f"could not evaluate atom: {exc}")
    if atom.negated and result.holds is not None:
        return AtomResult(not result.holds, f"not ({result.explanation})", result.fact, result.check)
    return result


def _and(values: Sequence[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(values: Sequence[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def combine(atoms: Sequence[Atom], holds: Sequence[bool | None]) -> bool | None:
    """AND over atoms, OR within atoms sharing `attributes["group"]` (Kleene three-valued logic)."""
    groups: dict[object, list[bool | None]] = {}
    plain: list[bool | None] = []
    for atom, h in zip(atoms, holds, strict=True):
        group = atom.attributes.get("group") if atom.attributes else None
        if group is None:
            plain.append(h)
        else:
            groups.setdefault(group, []).append(h)
    return _and(plain + [_or(v) for v in groups.values()])


def section_verdict(section: Section, holds: bool | None) -> Verdict:
    if holds is None:
        return Verdict.UNKNOWN
    if section is Section.INCLUSION:
        return Verdict.MET if holds else Verdict.NOT_MET
    return Verdict.NOT_MET if holds else Verdict.MET


def evaluate_criterion(
    criterion: Criterion, view: PatientView, day: date, cache: dict[int, AtomResult] | None = None
) -> CriterionVerdict:
    """One criterion's verdict with an `AtomEvidence` per atom. `cache` (keyed by atom identity)
    lets a caller evaluating many trials for one patient reuse results of shared atoms."""
    if not criterion.atoms:
        ev = AtomEvidence("criterion not computable from the text: check it by reading", check=criterion.text)
        return CriterionVerdict(criterion, Verdict.UNKNOWN, (ev,))
    results: list[AtomResult] = []
    for atom in criterion.atoms:
        if cache is None:
            results.append(evaluate_atom(atom, view, day))
            continue
        key = id(atom)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = evaluate_atom(atom, view, day)
        results.append(hit)
    holds = combine(criterion.atoms, [r.holds for r in results])
    evidence = tuple(
        AtomEvidence(r.explanation, r.fact, atom=a, holds=r.holds, check=r.check)
        for a, r in zip(criterion.atoms, results, strict=True)
    )
    return CriterionVerdict(criterion, section_verdict(criterion.section, holds), evidence)


def evaluate_criteria(
    criteria: Sequence[Criterion], profile: PatientProfile | PatientView, day: date | None = None
) -> list[CriterionVerdict]:
    """Every criterion decided for `profile` as of `day` (today by default)."""
    view = profile if isinstance(profile, PatientView) else PatientView.of(profile)
    on = day or date.today()
    cache: dict[int, AtomResult] = {}
    return [evaluate_criterion(c, view, on, cache) for c in criteria]


def checks_of(verdict: CriterionVerdict) -> list[str]:
    """What to check to decide an unknown criterion (atoms that are unknown)."""
    if verdict.verdict is not Verdict.UNKNOWN:
        return []
    out = []
    for ev in verdict.evidence:
        if isinstance(ev, AtomEvidence) and ev.holds is None and ev.check and ev.check not in out:
            out.append(ev.check)
    return out


# --- fast path: verdict codes only (no evidence), for ranking many candidate trials -----------

TRI = {True: 2, None: 1, False: 0}


@dataclass(frozen=True)
class Plan:
    """A criterion compiled once (at index time): its ungrouped atoms and its OR groups."""

    inclusion: bool
    plain: tuple[Atom, ...]
    groups: tuple[tuple[Atom, ...], ...]


def compile_plan(criterion: Criterion) -> Plan:
    groups: dict[object, list[Atom]] = {}
    plain: list[Atom] = []
    for atom in criterion.atoms:
        group = atom.attributes.get("group") if atom.attributes else None
        if group is None:
            plain.append(atom)
        else:
            groups.setdefault(group, []).append(atom)
    return Plan(
        criterion.section is Section.INCLUSION, tuple(plain), tuple(tuple(g) for g in groups.values())
    )


def quick_verdict(plan: Plan, view: PatientView, day: date, cache: dict[int, AtomResult]) -> int:
    """The criterion's verdict as 0 (not met), 1 (unknown) or 2 (met); same logic as
    `evaluate_criterion`, without building evidence. `cache` is shared with it (by atom identity)."""
    if not plan.plain and not plan.groups:
        return 1

    def tri(atom: Atom) -> int:
        hit = cache.get(id(atom))
        if hit is None:
            fast = _fast_tri(atom, view, day)
            if fast is not None:
                return fast
            hit = cache[id(atom)] = evaluate_atom(atom, view, day)
        return TRI[hit.holds]

    holds = 2
    for atom in plan.plain:
        holds = min(holds, tri(atom))
        if holds == 0:
            break
    if holds:
        for group in plan.groups:
            holds = min(holds, max(tri(a) for a in group))
            if holds == 0:
                break
    return holds if plan.inclusion else 2 - holds


def _fast_tri(atom: Atom, view: PatientView, day: date) -> int | None:
    """Holds (0/1/2) for the common numeric kinds without building explanations, exactly as their
    evaluators in `atoms.py` decide it; None for every other kind (the full evaluator is used)."""
    if atom.hypothetical or atom.operator not in (">=", ">", "<=", "<"):
        return None
    target = as_float(atom.value)
    if target is None:
        return None
    kind = atom.kind
    if kind == "age":
        years = view.profile.age_on(day)
        if years is None:
            return _flip(atom, 1)
        return _flip(atom, 2 if A.compare(atom.operator, years, float(atom.value)) else 0)
    if kind == "lab":
        analyte = (atom.code or "").lower()
        f = view.latest_lab(analyte)
        value = as_float(f.value) if f is not None else None
        if f is None or value is None:
            return _flip(atom, 1)
        if atom.window_days is not None and (
            f.when is None or f.when < day - timedelta(days=atom.window_days)
        ):
            return _flip(atom, 1)
        if (atom.unit or "").replace(" ", "").lower() in ("xuln", "×uln", "uln"):
            uln = as_float(f.attributes.get("uln")) or lab_uln(analyte)
            if uln is None:
                return _flip(atom, 1)
            threshold = target * uln
        else:
            converted = canonical_threshold(analyte, target, atom.unit)
            if converted is None:
                return _flip(atom, 1)
            threshold = converted
        return _flip(atom, 2 if A.compare(atom.operator, value, threshold) else 0)
    return None


def _flip(atom: Atom, tri: int) -> int:
    return 2 - tri if atom.negated else tri
