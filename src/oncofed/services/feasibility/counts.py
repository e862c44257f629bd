"""Feasibility: per centre, how many distinct patients could enter a trial, disclosing only
differentially private, banded and rounded counts within a per-user privacy budget (see
`disclosure.py`, `budget.py`, docs/SECURITY.md).

Each centre is counted inside its own partition: a repository scoped to that one centre, for
research purposes (patients objecting to research use are never read), deceased patients left out.
A patient is classified by any `Predicate` returning "met", "possible" or "not_met"; by default the
matcher's vectorised evaluator (`matching.vectorised`, same semantics as `matching.evaluate`) runs
over the whole partition, so feasibility uses the same semantics as matching and pre-screening.
Criteria that patient data cannot decide (consent, investigator judgement, text the criteria engine
could not compute) are listed, not counted.

Every question is one audit entry (who asked what, when) and, unless it repeats a question the same
user asked today, spends privacy budget; a lockout for a differencing pattern is a security event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from oncofed.criteria.feasibility_spec import criteria_fingerprint, describe
from oncofed.domain import Actor, Criterion, PatientProfile, Role, TrialVerdict
from oncofed.errors import N_, OncofedError
from oncofed.services.feasibility import budget, disclosure
from oncofed.services.feasibility.budget import BudgetExceeded, LockedOut  # noqa: F401  (re-exported)
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository

MET, POSSIBLE, NOT_MET = "met", "possible", "not_met"
Predicate = Callable[[PatientProfile], str]
FEASIBILITY_ROLES = frozenset({Role.TRIAL_MANAGER, Role.ADMIN, Role.SYSTEM})


@dataclass
class Question:
    name: str
    criteria: list[Criterion]
    trial_id: str | None = None

    @property
    def counted(self) -> list[Criterion]:
        return [c for c in self.criteria if c.evaluable]

    @property
    def not_counted(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.evaluable]

    @property
    def fingerprint(self) -> str:
        return criteria_fingerprint(self.counted)

    @property
    def asked(self) -> str:
        """What is counted, for the audit log (the DPO reviews questions before lifting a lockout): a
        trial's id (its criteria are on its page), or the criteria as resolved. No patient data."""
        if self.trial_id:
            return f"trial {self.trial_id} ({len(self.counted)} criteria counted)"
        return describe(self.counted)

    @property
    def audit_detail(self) -> str:
        return f"{self.name!r} [{self.fingerprint}] asks: {self.asked}"

    def audit_coded(self, code: str = "feasibility.question") -> dict[str, Any]:
        """The question as its audit entry's coded detail (the counted criteria in the engine's words)."""
        from oncofed.errors import N_, part
        from oncofed.store.audit_words import coded

        asked: Any = self.asked
        if (
            self.trial_id
        ):  # a trial's criteria: said in the reader's words (the engine's own listing otherwise)
            asked = part(
                N_("trial %(trial)s (criteria counted: %(num)s)"), trial=self.trial_id, num=len(self.counted)
            )
        return coded(code, name=self.name, fingerprint=self.fingerprint, asked=asked)


def trial_question(db: Database, trial_id: str) -> Question:
    from oncofed.services.trials.criteria import trial_criteria

    with db.session() as s:
        trial = TrialRepository(s).get(trial_id)
    return Question(f"{trial.id}: {trial.title}", trial_criteria(trial, db), trial_id=trial.id)


def criteria_predicate(criteria: Sequence[Criterion], day: date | None = None) -> Predicate:
    """The matcher's trial verdict as one outcome per patient (one patient at a time): eligible ->
    met, excluded or "probably not" (a criterion read as not met that the decision policy does not let
    exclude alone: no plausible candidate, as in pre-screening's default view) -> not met, anything else
    (unknown, not evaluated) -> possible."""
    from oncofed.matching.assess import assess_trial

    def predicate(profile: PatientProfile) -> str:
        assessed = assess_trial(criteria, profile, day)
        verdict = assessed.verdict
        if verdict is TrialVerdict.EXCLUDED or assessed.probably_not:
            return NOT_MET
        return MET if verdict is TrialVerdict.ELIGIBLE else POSSIBLE

    return predicate


Classifier = Callable[[Sequence[PatientProfile]], tuple[frozenset[str], frozenset[str]]]


def predicate_classifier(predicate: Predicate) -> Classifier:
    def classify(profiles: Sequence[PatientProfile]) -> tuple[frozenset[str], frozenset[str]]:
        outcomes = {p.id: predicate(p) for p in profiles}
        return (
            frozenset(i for i, o in outcomes.items() if o == MET),
            frozenset(i for i, o in outcomes.items() if o == POSSIBLE),
        )

    return classify


def criteria_classifier(criteria: Sequence[Criterion], day: date | None = None) -> Classifier:
    """The matcher's vectorised evaluator over a whole partition (same semantics as
    `criteria_predicate`, many times faster); the per-patient predicate when it is unavailable."""
    try:
        from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
    except ImportError:  # pragma: no cover - the scalar evaluator is always there
        return predicate_classifier(criteria_predicate(criteria, day))

    def classify(profiles: Sequence[PatientProfile]) -> tuple[frozenset[str], frozenset[str]]:
        if not profiles:
            return frozenset(), frozenset()
        batch = PatientBatch.from_profiles(profiles, day)
        result = evaluate_trial_over_patients(criteria, batch)
        eligible, possible = result.eligible, result.possible
        ids = result.patient_ids
        return (
            frozenset(i for i, ok in zip(ids, eligible, strict=True) if ok),
            frozenset(i for i, ok, met in zip(ids, possible, eligible, strict=True) if ok and not met),
        )

    return classify


def partition_actor(centre_id: str) -> Actor:
    """Reads one centre's partition for research purposes (objectors hidden), for this job only."""
    return Actor(
        user_id=f"feasibility@{centre_id}",
        role=Role.SYSTEM,
        centre_ids=frozenset({centre_id}),
        purpose="research",
    )


def classify_centre(
    session: Any, centre_id: str, classify: Classifier
) -> tuple[frozenset[str], frozenset[str]]:
    """(met ids, possibly-met ids) of the living, non-objecting patients of one centre."""
    profiles = [
        p
        for p in PatientRepository(session, partition_actor(centre_id)).list(centre_id=centre_id, limit=None)
        if not (p.deceased or p.research_objection)
    ]
    return classify(profiles)


def classify_centre_indexed(
    session: Any, centre_id: str, criteria: Sequence[Criterion], day: date | None = None
) -> tuple[frozenset[str], frozenset[str]]:
    """`classify_centre` with the matcher's vectorised evaluator over the match index
    (services/matching/match_index.py): the same living, non-objecting patients of the centre's
    partition and the same verdicts (the evaluator is tested equivalent on stored features and on
    full records), but a few hundred bytes of stored features per patient are read instead of
    every full record (stale features are recomputed first), and only the few patients the
    evaluator needs in full are loaded. About ten times less work per question at 50,000 patients
    (docs/BENCHMARKS.md, load section)."""
    from oncofed.matching.features import FeatureBatch
    from oncofed.matching.vectorised import evaluate_trial_over_patients
    from oncofed.services.matching.match_index import MatchIndex

    index = MatchIndex(session, partition_actor(centre_id))
    data = index.read(centre_id=centre_id, action="feasibility.count")
    if not len(data):
        return frozenset(), frozenset()
    batch = FeatureBatch.from_columns(
        data.ids, data.columns, lambda idx: index.profiles([data.ids[i] for i in idx]), day
    )
    result = evaluate_trial_over_patients(criteria, batch)
    ids = result.patient_ids
    return (
        frozenset(i for i, ok in zip(ids, result.eligible, strict=True) if ok),
        frozenset(
            i for i, ok, met in zip(ids, result.possible, result.eligible, strict=True) if ok and not met
        ),
    )


@dataclass
class CentreCount:
    centre_id: str
    centre_name: str
    met: disclosure.DisclosedCount
    possible: disclosure.DisclosedCount


@dataclass
class FeasibilityResult:
    question: Question
    centres: list[CentreCount] = field(default_factory=list)
    asked_at: str = ""
    policy: disclosure.Policy = field(default_factory=disclosure.Policy)
    budget_state: budget.BudgetState | None = None
    repeat: bool = False  # the same question asked earlier today by the same user: its recorded answer

    @property
    def total_met(self) -> disclosure.NetworkTotal:
        return disclosure.network_total(c.met for c in self.centres)

    @property
    def total_possible(self) -> disclosure.NetworkTotal:
        return disclosure.network_total(c.possible for c in self.centres)

    def cells_json(self) -> list[dict[str, Any]]:
        return [
            {
                "centre_id": c.centre_id,
                "centre": c.centre_name,
                "met": c.met.as_json(),
                "possible": c.possible.as_json(),
            }
            for c in self.centres
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question.name,
            "trial_id": self.question.trial_id,
            "fingerprint": self.question.fingerprint,
            "asks": self.question.asked,
            "asked_at": self.asked_at,
            "repeat": self.repeat,
            "criteria_counted": [f"{c.section.value}: {c.text}" for c in self.question.counted],
            "criteria_not_counted": [f"{c.section.value}: {c.text}" for c in self.question.not_counted],
            "disclosure": self.policy.as_json(),
            "budget": self.budget_state.as_json() if self.budget_state else None,
            "centres": self.cells_json(),
            "network": {"met": self.total_met.as_json(), "possible": self.total_possible.as_json()},
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        rows = [
            {
                "centre_id": c.centre_id,
                "centre": c.centre_name,
                "met": c.met.label,
                "met_suppressed": c.met.suppressed,
                "possible": c.possible.label,
                "possible_suppressed": c.possible.suppressed,
            }
            for c in self.centres
        ]
        rows.append(
            {
                "centre_id": "network",
                "centre": "network (shown cells only)",
                "met": self.total_met.as_json()["label"],
                "met_suppressed": False,
                "possible": self.total_possible.as_json()["label"],
                "possible_suppressed": False,
            }
        )
        return rows


CSV_COLUMNS = ["centre_id", "centre", "met", "met_suppressed", "possible", "possible_suppressed"]


def _recorded(question: Question, answer: dict[str, Any]) -> list[CentreCount]:
    return [
        CentreCount(
            c["centre_id"],
            c["centre"],
            disclosure.DisclosedCount.from_json(c["met"]),
            disclosure.DisclosedCount.from_json(c["possible"]),
        )
        for c in answer.get("centres", [])
    ]


def run_feasibility(
    db: Database,
    actor: Actor,
    question: Question,
    predicate: Predicate | None = None,
    policy: disclosure.Policy | None = None,
) -> FeasibilityResult:
    """Count `question` in every centre's partition and disclose the noised, banded counts, after the
    budget admitted it (`BudgetExceeded` / `LockedOut` otherwise). Internal jobs of the platform do not
    spend budget; people at the command line do, under their OS user."""
    if actor.role not in FEASIBILITY_ROLES:
        raise OncofedError(
            N_("feasibility counts are for trial managers, not the %(role)s role"),
            code="feasibility.role",
            params={"role": actor.role.value},
        )
    policy = policy or disclosure.policy()
    detail = question.audit_detail
    charge: budget.Charge | None = None
    try:
        if not actor.is_internal_job:
            charge = budget.reserve(db, actor, question.fingerprint, question.counted, policy, asked=detail)
    except BudgetExceeded as exc:
        if not (isinstance(exc, LockedOut) and exc.new):  # a new lockout is recorded where it is made
            what = "feasibility_locked_out" if isinstance(exc, LockedOut) else "feasibility_budget"
            audit.record_security(db.engine, actor, what, detail=question.audit_coded("feasibility.refused"))
        raise
    result = FeasibilityResult(
        question,
        asked_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        policy=policy,
        budget_state=charge.state if charge else None,
    )
    if charge is not None and charge.repeat_answer is not None:
        result.centres = _recorded(question, charge.repeat_answer)
        result.asked_at = str(charge.repeat_answer.get("asked_at", result.asked_at))
        result.repeat = True
        repeat = question.audit_coded("feasibility.repeat")
        audit.append(db.engine, [audit.event_for(actor, "feasibility", detail=repeat)])
        return result
    with db.session() as s:
        centres = CentreRepository(s).list()
        counts: list[int] = []
        for centre in centres:
            if predicate is not None:
                met, possible = classify_centre(s, centre.id, predicate_classifier(predicate))
            else:
                met, possible = classify_centre_indexed(s, centre.id, question.counted)
            counts += [len(met), len(possible)]
        cells = disclosure.disclose_all(counts, policy.scale)
        result.centres = [
            CentreCount(c.id, c.short_name or c.name, cells[2 * i], cells[2 * i + 1])
            for i, c in enumerate(centres)
        ]
        audit.record_read(s, audit.event_for(actor, "feasibility", detail=question.audit_coded()))
    if charge is not None and charge.question_id is not None:
        budget.record_answer(
            db, charge.question_id, {"asked_at": result.asked_at, "centres": result.cells_json()}
        )
    return result
