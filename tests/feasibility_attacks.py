"""The feasibility attacks of the outside probe (issue 17), written as code: shared by
tests/test_trust_feasibility.py (each attack must fail) and benchmarks/bench_trust_attacks.py (the
smallest count error an attacker reaches within the budget, stated in docs/SECURITY.md).

- `p_minus_q`: pairs P = any_of(cancer X, Z) and Q = Z AND NOT cancer X. |P| - |Q| = |X| exactly
  for any Z, so averaging P - Q over many pairs estimates the (suppressed) count of cancer X. The
  probe moved Z = "age >= a" one year at a time (`naive_pairs`); a careful attacker changes the
  kind of Z every time so that no two questions are one criterion apart (`varied_pairs`).
- `age_probe`: "cancer X AND age >= a" for a = 50, 51, ...: the answer flips where the only patient
  with cancer X stops being counted, which gave his age when 0 was shown and 1..10 was not.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from oncofed.criteria.feasibility_spec import parse_spec
from oncofed.domain import Actor, PatientProfile, Role
from oncofed.services.feasibility.counts import BudgetExceeded, Question, run_feasibility
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository

RARE = "MEL"  # the attacked cancer type: a handful of patients at one centre
CENTRE = "curie"
TARGET_AGE = 57  # the only man with the rare cancer


def build_network(db: Database, rare: int = 3, others: int = 150) -> None:
    """One centre with `others` patients of common cancers (ages 30-79, both sexes, stages, ECOG) and
    `rare` patients with the rare cancer, the first a man of TARGET_AGE (ECOG 1, stage IV)."""
    load_centres(db)
    common = ["BRCA", "LUAD", "COAD", "PRAD"]
    profiles = [
        PatientProfile(
            id=f"{CENTRE}-{i:05d}",
            centre_id=CENTRE,
            sex="FEMALE" if i % 2 else "MALE",
            age_years=float(30 + (i * 7) % 50),
            primary_cancer=common[i % len(common)],
            stage=["I", "II", "III", "IV"][i % 4],
            ecog=i % 3,
        )
        for i in range(others)
    ]
    profiles += [
        PatientProfile(
            id=f"{CENTRE}-r{k:03d}",
            centre_id=CENTRE,
            sex="MALE" if k == 0 else "FEMALE",
            age_years=float(TARGET_AGE if k == 0 else 40 + k),
            primary_cancer=RARE,
            stage="IV" if k == 0 else "II",
            ecog=1 if k == 0 else 0,
        )
        for k in range(rare)
    ]
    with db.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(profiles)


def attacker(n: int = 0) -> Actor:
    return Actor(f"attacker-{n}", Role.TRIAL_MANAGER, purpose="feasibility")


def question(doc: dict[str, Any]) -> Question:
    return Question(*parse_spec(doc, "attack"))


def naive_pairs(n: int = 90) -> Iterator[tuple[Question, Question]]:
    """The probe's pairs: Z = "age >= a", a moved one year at a time."""
    for a in range(n):
        z = {"age": f">= {a}"}
        yield (
            question({"inclusion": [{"any_of": [{"cancer_type": [RARE]}, z]}]}),
            question({"inclusion": [z], "exclusion": [{"cancer_type": [RARE]}]}),
        )


# Z of a different kind (or combination of kinds) each time: no two questions one criterion apart
_KINDS: list[dict[str, Any]] = [
    {"age": ">= 30"},
    {"sex": "FEMALE"},
    {"cancer_type": ["BRCA", "LUAD"]},
    {"stage": ["III", "IV"]},
    {"ecog": "<= 1"},
]


def varied_pairs() -> Iterator[tuple[Question, Question]]:
    combos = [c for r in (1, 2) for c in itertools.combinations(range(len(_KINDS)), r)]
    for combo in combos:
        zs = [_KINDS[i] for i in combo]
        p = {"inclusion": [{"any_of": [{"cancer_type": [RARE]}, *zs]}]}
        z_item: dict[str, Any] = zs[0] if len(zs) == 1 else {"any_of": zs}
        q = {"inclusion": [z_item], "exclusion": [{"cancer_type": [RARE]}]}
        yield question(p), question(q)


@dataclass
class AttackResult:
    asked: int = 0
    answered_pairs: int = 0
    differences: list[int] = field(default_factory=list)
    refused: str = ""

    @property
    def estimate(self) -> float | None:
        return statistics.fmean(self.differences) if self.differences else None


def p_minus_q(db: Database, actor: Actor, pairs: Iterator[tuple[Question, Question]]) -> AttackResult:
    """Ask the pairs until refused; average P - Q over the pairs where both counts were shown."""
    out = AttackResult()
    for p, q in pairs:
        try:
            answers = []
            for qu in (p, q):
                out.asked += 1
                cell = _cell(run_feasibility(db, actor, qu).as_json())
                answers.append(cell)
        except BudgetExceeded as exc:
            out.refused = type(exc).__name__ + ": " + exc.message
            break
        out.answered_pairs += 1
        if all(a["value"] is not None for a in answers):
            out.differences.append(answers[0]["value"] - answers[1]["value"])
    return out


def _cell(result: dict[str, Any]) -> dict[str, Any]:
    met: dict[str, Any] = next(c for c in result["centres"] if c["centre_id"] == CENTRE)["met"]
    return met


def age_probe(db: Database, actor: Actor, ages: range) -> list[tuple[int, str]]:
    """(a, label shown for "cancer X AND age >= a") until refused."""
    out = []
    for a in ages:
        try:
            result = run_feasibility(
                db, actor, question({"inclusion": [{"cancer_type": [RARE]}, {"age": f">= {a}"}]})
            ).as_json()
        except BudgetExceeded:
            break
        out.append((a, _cell(result)["label"]))
    return out
