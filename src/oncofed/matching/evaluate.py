"""The evaluator: each criterion of a trial decided against one patient, with evidence.

For every atom (see docs/DEVELOPING.md, "criterion atoms") `atoms.EVALUATORS` decides whether the
statement holds for the patient (True / False / unknown, possibly presumed); `outcomes.statement`
combines them (AND, OR within `attributes["group"]`, atom conditions) and the criterion's
condition and section give its outcome in patient terms: satisfied / violated / unknown /
not_applicable (`outcomes.py`, one implementation shared with the vectorised evaluator).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from oncofed.domain import Atom, Criterion, CriterionOutcome, PatientProfile
from oncofed.matching import atoms as A
from oncofed.matching import trust
from oncofed.matching.atoms import AtomResult, unknown
from oncofed.matching.biomarkers import biomarker
from oncofed.matching.evidence import AtomEvidence, sentence
from oncofed.matching.facts import PatientView, as_float
from oncofed.matching.numeric import NUMERIC_OPERATORS, compare, lab_threshold, record_uln
from oncofed.matching.outcomes import (
    HELD,
    OUTCOMES,
    TRUE,
    UNDECIDED,
    UNKNOWN,
    VIOLATED,
    Plan,
    and_tri,
    compile_plan,
    condition_value,
    culprits,
    decided,
    or_tri,
    outcome_code,
    statement,
)
from oncofed.matching.trust import ORGAN
from oncofed.matching.weight import exercise, weight_loss

__all__ = [
    "EVALUATORS",
    "AtomEvidence",
    "Plan",
    "checks_of",
    "compile_plan",
    "evaluate_atom",
    "evaluate_criteria",
    "evaluate_criterion",
    "quick_outcome",
    "quick_tri",
]

# The evaluator of each atom kind (docs/DEVELOPING.md); kinds not listed are unknown.
EVALUATORS: dict[str, Callable[[Atom, PatientView, date], AtomResult]] = {
    "age": A.age,
    "sex": A.sex,
    "pregnancy": A.pregnancy,
    "breastfeeding": A.pregnancy,
    "childbearing_potential": A.childbearing_potential,
    "cancer_type": A.cancer_type,
    "stage": A.stage,
    "histology": A.histology,
    "tnm": A.tnm,
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
    "weight_loss": weight_loss,
    "exercise": exercise,
    "prior_malignancy": A.prior_malignancy,
    "infection": A.comorbidity,
    "comorbidity": A.comorbidity,
    "non_evaluable": A.non_evaluable,
    "permission": A.permission,
}


def evaluate_atom(atom: Atom, view: PatientView, day: date) -> AtomResult:
    """Whether the atom's statement holds for the patient (negation and hypotheticals applied).

    Negation flips the truth value only: the explanation still describes the patient's fact."""
    if atom.hypothetical:
        return unknown(f"hypothetical condition: {atom.text or atom.kind}", "hypothetical statement")
    if atom.attributes.get("ambiguous"):  # e.g. a score whose comparison sign the registry text lost
        return unknown(
            f"read the criterion: “{atom.text}” (its comparison is not stated)", "ambiguous wording"
        )
    fn = EVALUATORS.get(atom.kind)
    if fn is None:
        return unknown(f"{atom.text or atom.kind} (kind {atom.kind!r} not evaluated automatically)")
    try:
        result = fn(atom, view, day)
    except (TypeError, ValueError) as exc:  # a malformed atom is unknown, never a crash
        return unknown(f"{atom.text or atom.kind}", f"could not evaluate: {exc}")
    if atom.negated and result.holds is not None:
        return AtomResult(not result.holds, result.explanation, result.fact, result.check, result.presumed)
    return result


def _evidence(atom: Atom, r: AtomResult, role: str, view: PatientView) -> AtomEvidence:
    from oncofed.matching.evidence import source_of

    return AtomEvidence(
        r.explanation, r.fact, atom=atom, holds=r.holds, check=r.check, tri=r.tri, role=role,
        source=source_of(r.fact, view),
    )  # fmt: skip


def evaluate_criterion(
    criterion: Criterion, view: PatientView, day: date, cache: dict[int, AtomResult] | None = None
) -> CriterionOutcome:
    """One criterion's outcome with an `AtomEvidence` per atom (and per condition atom) and a plain
    sentence. `cache` (keyed by atom identity) lets a caller evaluating many trials for one patient
    reuse results of shared atoms."""
    memo: dict[int, AtomResult] = {} if cache is None else cache

    def result(atom: Atom) -> AtomResult:
        hit = memo.get(id(atom))
        if hit is None:
            hit = memo[id(atom)] = evaluate_atom(atom, view, day)
        return hit

    plan = compile_plan(criterion)

    def tri(atom: Atom) -> int:
        return result(atom).tri

    holds = statement(plan, tri, and_tri, or_tri)
    cond = int(condition_value(plan.condition, tri, and_tri)) if plan.condition else None
    raw = outcome_code(plan, int(holds), cond)

    def organ(atom: Atom) -> bool:
        return A.other_organ(atom, view)

    code = decided(plan, raw, tri, organ, cond)
    held_back = code == HELD
    code = UNDECIDED if held_back else code
    evidence = [_evidence(a, result(a), "statement", view) for a in criterion.atoms]
    for a in criterion.atoms:
        evidence += [_evidence(c, result(c), "atom_condition", view) for c in a.condition]
    evidence += [_evidence(c, result(c), "condition", view) for c in criterion.condition]
    when = " and ".join(f"“{c.text}”" for c in criterion.condition if c.text)
    text, checks = sentence(plan.inclusion, code, evidence, plan.investigator, f"if {when}" if when else "")
    reading = culprits(plan, tri, organ) if raw == VIOLATED else ()
    if held_back:  # the decision policy (matching/trust.py): read as violated, of a kind that may not exclude
        found, _ = sentence(plan.inclusion, VIOLATED, evidence, plan.investigator, "")
        text, checks = held_sentence(plan, found, reading), (f"confirm the reading: {found.rstrip('. ')}",)
    elif (plan.guarded or plan.capped) and code != VIOLATED and _unguarded(plan, result, cond) == VIOLATED:
        found, _ = sentence(plan.inclusion, VIOLATED, evidence, plan.investigator, "")
        text, checks = guarded_sentence(plan, found)
    elif code == VIOLATED and f"{plan.origin}:{ORGAN}" in map(trust.base, reading):
        text = f"{OTHER_ORGAN}: {text.rstrip('. ')}."
    if code == VIOLATED and reading and (table := trust.policy()) is not None:
        why = policy_sentence([k for k in reading if trust.trusted(table, k)], True)
        text = f"Excludes on its own: {text.rstrip('. ')}. {why}" if why else text
    return CriterionOutcome(
        criterion, OUTCOMES[code], tuple(evidence), text, checks, plan.investigator, held_back, reading
    )


def evaluate_criteria(
    criteria: Sequence[Criterion], profile: PatientProfile | PatientView, day: date | None = None
) -> list[CriterionOutcome]:
    """Every criterion decided for `profile` as of `day` (today by default), cohorts not resolved
    (see `matching.assess.assess_trial` for the trial verdict)."""
    view = profile if isinstance(profile, PatientView) else PatientView.of(profile)
    on = day or date.today()
    cache: dict[int, AtomResult] = {}
    return [evaluate_criterion(c, view, on, cache) for c in criteria]


def _unguarded(plan: Plan, result: Callable[[Atom], AtomResult], cond: int | None) -> int:
    """The outcome the criterion would have without the guards of criteria/coverage.py."""
    bare = replace(plan, capped=frozenset())
    return outcome_code(
        bare, int(statement(bare, lambda a: result(a).tri, and_tri, or_tri)), cond, guard=False
    )


def guarded_sentence(plan: Plan, found: str) -> tuple[str, tuple[str, ...]]:
    """Why a criterion that reads as violated is "unknown" (criteria/coverage.py), the evidence kept
    (sentence shapes listed in presenters/engine_text.py)."""
    found = found.rstrip(". ")
    if plan.scope:
        return (
            f"Not decided: this line is for “{plan.scope}”, a part of the trial that was not recognised. "
            f"Found: {found}.",
            (f"whether the patient is in {plan.scope}",),
        )
    unread = plan.unread or plan.capped_text
    return f"Not decided: only part of the criterion was read (not “{unread}”). Found: {found}.", (
        f"“{unread}”",
    )


# what a cancer type read at the organ level (trust.ORGAN) or within the patient's organ says
OTHER_ORGAN = "Another organ than the line's cancer"
SAME_ORGAN = (
    "The patient's cancer is in an organ the line names: "
    "whether it is the subtype, histology or setting the line asks for is to check."
)


def held_sentence(plan: Plan, found: str, reading: Sequence[str] = ()) -> str:
    """Why a criterion read as violated is "unknown": its kind of reading may not exclude on its own
    (matching/trust.py), the evidence kept (sentence shapes listed in presenters/engine_text.py). An
    inclusion's cancer type read within the patient's own organ says so (the subtype is to check)."""
    found = found.rstrip(". ")
    read = "Read as not met" if plan.inclusion else "Read as applying"
    if plan.inclusion and f"{plan.origin}:cancer_type" in map(trust.base, reading):
        return f"{read}: {found}. {SAME_ORGAN}"
    return f"{read}: {found}. {policy_sentence(reading, False)}"


def policy_sentence(reading: Sequence[str], trusted: bool) -> str:
    """Why a reading excludes or is held back: its kind (its split part: "read whole"), and how often
    that kind was right on the labelled sets (the shipped table, `trust.counts`)."""
    kind = trust.best_measured(reading)
    if not kind:
        return "" if trusted else "This kind of reading excludes no patient on its own: check it."
    right, events = trust.counts(kind)
    how = trust.PART_WORDS.get(trust.part_of(kind), "")
    said = f"This kind of reading ({how})" if how else "This kind of reading"
    if trusted:  # after the reading's own sentence: "Excludes on its own: <found>. This kind ..."
        return f"{said} was right {right} of {events} times on labelled trials."
    return (
        f"{said} was right {right} of {events} times on labelled trials, not enough to exclude on its own: "
        "check it."
    )


def checks_of(outcome: CriterionOutcome) -> list[str]:
    """What to check to decide an unknown criterion."""
    return list(outcome.checks) if outcome.outcome.value == "unknown" else []


# --- fast path: outcome codes only (no evidence), for ranking many candidate trials -----------


def quick_outcome(plan: Plan, view: PatientView, day: date, cache: dict[int, AtomResult]) -> int:
    """The criterion's outcome code (see `outcomes`; HELD for a violation the policy holds back); same
    logic as `evaluate_criterion`, without building evidence. `cache` is shared with it (by atom identity)."""

    def tri(atom: Atom) -> int:
        return quick_tri(atom, view, day, cache)

    holds = statement(plan, tri, and_tri, or_tri)
    cond = int(condition_value(plan.condition, tri, and_tri)) if plan.condition else None
    code = outcome_code(plan, int(holds), cond)
    return decided(plan, code, tri, lambda atom: A.other_organ(atom, view), cond)


def quick_tri(atom: Atom, view: PatientView, day: date, cache: dict[int, AtomResult]) -> int:
    """An atom's truth value for the patient, memoised in the view (`tri_cache`) and in `cache`."""
    tris = view.tri_cache
    key = id(atom)
    value = tris.get(key)
    if value is not None:
        return value
    hit = cache.get(key)
    if hit is None:
        fast = _fast_tri(atom, view, day)
        if fast is not None:
            tris[key] = fast
            return fast
        hit = cache[key] = evaluate_atom(atom, view, day)
    tris[key] = hit.tri
    return hit.tri


def _fast_tri(atom: Atom, view: PatientView, day: date) -> int | None:
    """Truth value of the common numeric kinds without building explanations, exactly as their
    evaluators in `atoms.py` decide it (same rules, `numeric.py`); None for every other kind."""
    kind = atom.kind
    if kind != "age" and kind != "lab":
        return None
    if atom.hypothetical or atom.operator not in NUMERIC_OPERATORS or atom.attributes.get("ambiguous"):
        return None
    if atom.attributes.get("lln_band"):  # a band of lower limits of normal: atoms.lab decides (verdicts39)
        return None
    target = atom.value if type(atom.value) is float else as_float(atom.value)
    if target is None:
        return None
    if kind == "age":
        years = view.profile.age_on(day)
        if years is None:
            return UNKNOWN
        return _flip(atom, TRUE if compare(atom.operator, years, float(target)) else 0)
    analyte = (atom.code or "").lower()
    f = view.latest_lab(analyte)
    if f is None:
        return UNKNOWN
    value = f.value if type(f.value) is float else as_float(f.value)
    if value is None:
        return UNKNOWN
    if atom.window_days is not None and A._within(day, f.when, atom.window_days) is not True:
        return UNKNOWN
    threshold = lab_threshold(analyte, target, atom.unit, record_uln(f.attributes.get("uln"), analyte))
    if threshold is None:
        return UNKNOWN
    return _flip(atom, TRUE if compare(atom.operator, value, threshold) else 0)


def _flip(atom: Atom, tri: int) -> int:
    return TRUE - tri if atom.negated else tri
