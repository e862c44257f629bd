"""The privacy budget of feasibility questions: a ledger per user, spent atomically, and a tripwire for
differencing (many questions one criterion apart) that locks the user out and tells the DPO.

- Each question spends `policy.epsilon_per_question` of the user's `epsilon_per_period` over a sliding
  window of `period_days`. Checking and spending happen in one transaction holding the user's budget
  lock (PostgreSQL advisory lock, SQLite's write lock; `store/locks.py`), so 40 concurrent requests
  with 19 questions left get 19 answers, never 40 (the former check read a count that the audit row
  written after the answer would only later increase).
- A repeat of the same question (same criteria fingerprint) by the same user on the same UTC day
  returns the answer recorded the first time, without spending: re-asking cannot average the noise,
  and reloading a page costs nothing. Whether a question is a repeat depends on the user's own
  questions only, never on the data.
- Differencing: a question whose criteria differ from an earlier question of the period by exactly one
  criterion (one added, removed, or the same kind of criterion with another value) is a "differencing
  step". Past `policy.differencing_limit` steps in the period the user is locked out until the end of
  the period (or until the DPO lifts it: `oncofed audit unlock USER`), and the lockout is a
  security event of the audit log. It catches the sweeps of the probe (an age threshold moved one year
  at a time, P/Q pairs moved along one criterion); an attacker who varies every question differently
  is bounded by the budget alone, which is what docs/SECURITY.md measures.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Criterion
from oncofed.errors import N_, NotFound, OncofedError
from oncofed.services.feasibility.disclosure import Policy
from oncofed.store import audit, locks
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models_trust import FeasibilityLockoutRow, FeasibilityQuestionRow

LIFT_FIX = N_("ask the data-protection officer to review the questions and lift the lockout")


class BudgetExceeded(OncofedError):
    """The caller has spent their privacy budget for the period (HTTP 429)."""


class LockedOut(BudgetExceeded):
    """The caller is locked out of feasibility questions (differencing pattern; HTTP 429). `new`: this
    question caused the lockout (already recorded as a security event)."""

    new: bool = False


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- what a question asks, criterion by criterion --------------------------------------------


def _atom_key(atom: Any, with_value: bool) -> list[Any]:
    attrs = {k: v for k, v in (atom.attributes or {}).items() if k != "group"}
    grouped = "group" in (atom.attributes or {})
    key: list[Any] = [atom.kind, atom.code, atom.operator, atom.unit, grouped]
    if with_value:
        key += [atom.value, atom.window_days, attrs, atom.negated]
    else:
        key += [sorted(attrs)]
    return key


def criterion_key(c: Criterion, with_value: bool = True) -> str:
    """A canonical text of one criterion (section + atoms), with or without the values compared."""
    atoms = sorted(json.dumps(_atom_key(a, with_value), sort_keys=True, default=str) for a in c.atoms)
    return json.dumps([c.section.value, atoms], sort_keys=True)


@dataclass(frozen=True)
class Signature:
    keys: tuple[str, ...]  # one per counted criterion, with values
    shapes: tuple[str, ...]  # the same criteria without their values

    @classmethod
    def of(cls, criteria: Sequence[Criterion]) -> Signature:
        pairs = sorted((criterion_key(c), criterion_key(c, with_value=False)) for c in criteria)
        return cls(tuple(k for k, _ in pairs), tuple(s for _, s in pairs))

    def as_json(self) -> list[list[str]]:
        return [list(self.keys), list(self.shapes)]

    @classmethod
    def from_json(cls, data: Any) -> Signature:
        if isinstance(data, list) and len(data) == 2 and all(isinstance(x, list) for x in data):
            return cls(tuple(data[0]), tuple(data[1]))
        return cls((), ())


def one_criterion_apart(a: Signature, b: Signature) -> bool:
    """True when `a` and `b` differ by exactly one criterion: one added or removed, or one replaced by
    a criterion of the same kinds with other values (age >= 56 -> age >= 57)."""
    ka, kb = Counter(a.keys), Counter(b.keys)
    only_a, only_b = ka - kb, kb - ka
    n_a, n_b = sum(only_a.values()), sum(only_b.values())
    if (n_a, n_b) in ((1, 0), (0, 1)):
        return True
    if (n_a, n_b) != (1, 1):
        return False
    shape = dict(zip(a.keys, a.shapes, strict=True)) | dict(zip(b.keys, b.shapes, strict=True))
    return shape[next(iter(only_a))] == shape[next(iter(only_b))]


# --- the ledger -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetState:
    user_id: str
    spent: float
    questions: int
    differencing_steps: int
    locked_until: datetime | None
    policy: Policy

    @property
    def remaining(self) -> float:
        return max(0.0, self.policy.epsilon_per_period - self.spent)

    @property
    def questions_left(self) -> int:
        return int(self.remaining / self.policy.epsilon_per_question + 1e-9)

    def as_json(self) -> dict[str, Any]:
        return {
            "user": self.user_id,
            "epsilon_spent": round(self.spent, 6),
            "epsilon_remaining": round(self.remaining, 6),
            "questions_asked": self.questions,
            "questions_left": self.questions_left,
            "differencing_steps": self.differencing_steps,
            "locked_until": self.locked_until.isoformat(timespec="seconds") + "Z"
            if self.locked_until
            else None,
            "period_days": self.policy.period_days,
        }


def _lock_name(user_id: str) -> str:
    return f"feasibility-budget:{user_id}"


def _active_lockout(s: Session, user_id: str, now: datetime) -> FeasibilityLockoutRow | None:
    return s.scalar(
        select(FeasibilityLockoutRow)
        .where(
            FeasibilityLockoutRow.user_id == user_id,
            FeasibilityLockoutRow.until > now,
            FeasibilityLockoutRow.lifted_at.is_(None),
        )
        .order_by(FeasibilityLockoutRow.until.desc())
        .limit(1)
    )


def _window(s: Session, user_id: str, since: datetime) -> list[FeasibilityQuestionRow]:
    return list(
        s.scalars(
            select(FeasibilityQuestionRow)
            .where(FeasibilityQuestionRow.user_id == user_id, FeasibilityQuestionRow.asked_at >= since)
            .order_by(FeasibilityQuestionRow.asked_at, FeasibilityQuestionRow.id)
        )
    )


def state(db: Database, user_id: str, policy: Policy) -> BudgetState:
    now = utcnow()
    with db.session() as s:
        return _state(s, user_id, policy, now)


def _state(s: Session, user_id: str, policy: Policy, now: datetime) -> BudgetState:
    since = now - timedelta(days=policy.period_days)
    spent, n, steps = s.execute(
        select(
            func.coalesce(func.sum(FeasibilityQuestionRow.epsilon), 0.0),
            func.count(),
            func.coalesce(func.sum(case((FeasibilityQuestionRow.differencing.is_(True), 1), else_=0)), 0),
        ).where(FeasibilityQuestionRow.user_id == user_id, FeasibilityQuestionRow.asked_at >= since)
    ).one()
    lock = _active_lockout(s, user_id, now)
    return BudgetState(user_id, float(spent), int(n), int(steps), lock.until if lock else None, policy)


@dataclass
class Charge:
    """A question admitted by the budget: either a repeat (its recorded answer) or a new ledger row."""

    question_id: int | None
    repeat_answer: dict[str, Any] | None
    state: BudgetState


def reserve(
    db: Database,
    actor: Actor,
    fingerprint: str,
    criteria: Sequence[Criterion],
    policy: Policy,
    asked: str = "",
) -> Charge:
    """Admit one question of `actor` or refuse it, atomically: lockout, repeat, budget, differencing.
    `asked` (what the question counts) goes into the lockout's audit record for the DPO's review."""
    user = actor.user_id
    now = utcnow()
    day = now.strftime("%Y-%m-%d")
    signature = Signature.of(criteria)
    with db.session() as s:
        locks.hold(s, _lock_name(user))  # check-then-spend is one step for this user
        lock = _active_lockout(s, user, now)
        if lock is not None:
            raise LockedOut(
                N_(
                    "%(user)s is locked out of feasibility questions until %(until)s UTC: questions one criterion "
                    "away from earlier ones (a differencing pattern)"
                ),
                fix=LIFT_FIX,
                code="feasibility.locked_out",
                params={"user": user, "until": lock.until},
            )
        since = now - timedelta(days=policy.period_days)
        window = _window(s, user, since)
        for row in reversed(window):
            if row.fingerprint == fingerprint and row.day == day and row.answer is not None:
                return Charge(None, dict(row.answer), _state(s, user, policy, now))
        spent = sum(r.epsilon for r in window)
        if spent + policy.epsilon_per_question > policy.epsilon_per_period + 1e-9:
            oldest = window[0].asked_at + timedelta(days=policy.period_days) if window else now
            raise BudgetExceeded(
                N_(
                    "%(user)s has spent the feasibility privacy budget of the last %(days)s days (%(spent)s of "
                    "%(budget)s epsilon, %(questions)s questions)"
                ),
                fix=N_(
                    "the oldest question leaves the window on %(oldest)s UTC; repeating a question already asked "
                    "today is free"
                ),
                code="feasibility.budget_spent",
                params={
                    "user": user, "days": policy.period_days, "spent": f"{spent:.2f}",
                    "budget": f"{policy.epsilon_per_period:g}", "questions": len(window), "oldest": oldest,
                },
            )  # fmt: skip
        differencing = any(one_criterion_apart(signature, Signature.from_json(r.signature)) for r in window)
        steps = sum(1 for r in window if r.differencing) + differencing
        if differencing and steps > policy.differencing_limit:
            until = now + timedelta(days=policy.period_days)
            reason = (
                f"{steps} questions one criterion away from earlier ones within {policy.period_days} days "
                f"(limit {policy.differencing_limit}): a differencing pattern"
            )
            s.add(
                FeasibilityLockoutRow(user_id=user, locked_at=now, until=until, reason=reason, lifted_by="")
            )
            audit.record_security(
                s,
                actor,
                "feasibility_lockout",
                detail=coded(
                    "feasibility.lockout",
                    steps=steps,
                    days=policy.period_days,
                    limit=policy.differencing_limit,
                    until=f"{until:%Y-%m-%d}",
                    asked=asked or "",
                ),
            )
            s.commit()  # the lockout and its audit record stay, the question is refused
            locked = LockedOut(
                N_(
                    "%(user)s is now locked out of feasibility questions until %(until)s UTC: %(steps)s questions "
                    "one criterion away from earlier ones within %(days)s days (limit %(limit)s), a differencing "
                    "pattern"
                ),
                fix=LIFT_FIX,
                code="feasibility.lockout",
                params={
                    "user": user, "until": until, "steps": steps, "days": policy.period_days,
                    "limit": policy.differencing_limit,
                },
            )  # fmt: skip
            locked.new = True
            raise locked
        row = FeasibilityQuestionRow(
            user_id=user,
            asked_at=now,
            day=day,
            fingerprint=fingerprint,
            epsilon=policy.epsilon_per_question,
            signature=signature.as_json(),
            differencing=differencing,
            answer=None,
        )
        s.add(row)
        s.flush()
        return Charge(row.id, None, _state(s, user, policy, now))


def record_answer(db: Database, question_id: int, answer: dict[str, Any]) -> None:
    """Keep the released answer with its ledger row (a repeat today returns it)."""
    with db.session() as s:
        row = s.get(FeasibilityQuestionRow, question_id)
        if row is not None:
            row.answer = answer


def lift_lockout(db: Database, actor: Actor, user_id: str) -> int:
    """The DPO (or an administrator) lifts a user's lockouts; recorded in the audit log. A user who is
    neither an account nor anyone who asked a feasibility question is `NotFound` (a typo, not "no
    lockout")."""
    now = utcnow()
    with db.session() as s:
        if not _known_user(s, user_id):
            raise NotFound(
                N_(
                    "no user %(user)s: no account of that name, and nobody of that name asked a feasibility question"
                ),
                fix=N_(
                    "check the name: `oncofed users list`, or the user column of `oncofed audit list "
                    "--action feasibility` (command-line users are cli:NAME)"
                ),
                code="feasibility.unknown_user",
                params={"user": repr(user_id)},
            )
        rows = list(
            s.scalars(
                select(FeasibilityLockoutRow).where(
                    FeasibilityLockoutRow.user_id == user_id,
                    FeasibilityLockoutRow.until > now,
                    FeasibilityLockoutRow.lifted_at.is_(None),
                )
            )
        )
        for row in rows:
            row.lifted_at, row.lifted_by = now, actor.user_id
        if rows:
            audit.record_security(
                s, actor, "feasibility_unlock", detail=coded("feasibility.unlock", user=user_id)
            )
    return len(rows)


def _known_user(s: Session, user_id: str) -> bool:
    from oncofed.services.accounts.users import canonical_username
    from oncofed.store.models_trust import UserRow

    if s.scalar(select(UserRow.id).where(UserRow.username == canonical_username(user_id)).limit(1)):
        return True
    for model in (FeasibilityQuestionRow, FeasibilityLockoutRow):
        if s.scalar(select(model.id).where(model.user_id == user_id).limit(1)) is not None:
            return True
    return False
