"""Feasibility: per centre, how many distinct patients could enter a trial, disclosing only
controlled counts (see `disclosure.py`).

Each centre is counted inside its own partition: a repository scoped to that one centre, for
research purposes (patients objecting to research use are never read), deceased patients left out.
A patient is classified by any `Predicate` returning "met", "possible" or "not_met"; by default the
matcher's vectorised evaluator (`matching.vectorised`, same semantics as `matching.evaluate`) runs
over the whole partition, so feasibility uses the same semantics as matching and pre-screening. Criteria that patient data cannot decide (consent,
investigator judgement, text the criteria engine could not compute) are listed, not counted.

Every question is one audit entry (who asked what, when), and each user has a daily budget of
questions: noise cannot stop an adversary who asks unlimited differently-built questions that
differ by one patient, so the number of questions is bounded and each is on record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from oncofed.criteria.feasibility_spec import criteria_fingerprint
from oncofed.domain import Actor, Criterion, PatientProfile, Role, TrialVerdict
from oncofed.errors import OncofedError
from oncofed.services.feasibility import disclosure
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models_trust import AuditRow
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository

MET, POSSIBLE, NOT_MET = "met", "possible", "not_met"
Predicate = Callable[[PatientProfile], str]
FEASIBILITY_ROLES = frozenset({Role.TRIAL_MANAGER, Role.ADMIN, Role.SYSTEM})
DAILY_BUDGET = 200


class BudgetExceeded(OncofedError):
    """The caller asked more feasibility questions today than their budget allows."""


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


def trial_question(db: Database, trial_id: str) -> Question:
    from oncofed.services.trials.criteria import trial_criteria

    with db.session() as s:
        trial = TrialRepository(s).get(trial_id)
    return Question(f"{trial.id}: {trial.title}", trial_criteria(trial, db), trial_id=trial.id)


def criteria_predicate(criteria: Sequence[Criterion], day: date | None = None) -> Predicate:
    """The matcher's trial verdict as one outcome per patient (one patient at a time): eligible ->
    met, excluded -> not met, anything else (unknown, not evaluated) -> possible."""
    from oncofed.matching.assess import assess_trial

    def predicate(profile: PatientProfile) -> str:
        verdict = assess_trial(criteria, profile, day).verdict
        if verdict is TrialVerdict.EXCLUDED:
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

    @property
    def total_met(self) -> disclosure.NetworkTotal:
        return disclosure.network_total(c.met for c in self.centres)

    @property
    def total_possible(self) -> disclosure.NetworkTotal:
        return disclosure.network_total(c.possible for c in self.centres)

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question.name,
            "trial_id": self.question.trial_id,
            "fingerprint": self.question.fingerprint,
            "asked_at": self.asked_at,
            "criteria_counted": [f"{c.section.value}: {c.text}" for c in self.question.counted],
            "criteria_not_counted": [f"{c.section.value}: {c.text}" for c in self.question.not_counted],
            "disclosure": {
                "threshold": disclosure.THRESHOLD,
                "noise_sd": disclosure.NOISE_SD,
                "noise_clamp": disclosure.NOISE_CLAMP,
            },
            "centres": [
                {
                    "centre_id": c.centre_id,
                    "centre": c.centre_name,
                    "met": c.met.as_json(),
                    "possible": c.possible.as_json(),
                }
                for c in self.centres
            ],
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


def _check_budget(db: Database, actor: Actor) -> None:
    if actor.role is Role.SYSTEM:
        return
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    with db.engine.connect() as conn:
        asked = conn.scalar(
            select(func.count())
            .select_from(AuditRow)
            .where(AuditRow.user_id == actor.user_id, AuditRow.action == "feasibility", AuditRow.at >= today)
        )
    if int(asked or 0) >= DAILY_BUDGET:
        raise BudgetExceeded(
            f"{actor.user_id} asked {asked} feasibility questions today (budget {DAILY_BUDGET})",
            fix="ask again tomorrow, or ask the data-protection officer to review the need",
        )


def run_feasibility(
    db: Database, actor: Actor, question: Question, predicate: Predicate | None = None
) -> FeasibilityResult:
    """Count `question` in every centre's partition and disclose the controlled counts."""
    if actor.role not in FEASIBILITY_ROLES:
        raise OncofedError(f"feasibility counts are for trial managers, not the {actor.role.value} role")
    _check_budget(db, actor)
    classify = predicate_classifier(predicate) if predicate else criteria_classifier(question.counted)
    result = FeasibilityResult(question, asked_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    with db.session() as s:
        for centre in CentreRepository(s).list():
            met, possible = classify_centre(s, centre.id, classify)
            result.centres.append(
                CentreCount(
                    centre.id,
                    centre.short_name or centre.name,
                    disclosure.disclose(s, centre.id, met),
                    disclosure.disclose(s, centre.id, possible),
                )
            )
        detail = f"{question.name} [{question.fingerprint}]"
        audit.record_read(s, audit.event_for(actor, "feasibility", detail=detail))
    return result
