"""The screening workflow: a status per (trial, candidate) with who, when, reason and note.

Transitions come from `resources/prescreen/screening.yaml`; nonsense (enrolled -> new) is refused
with the allowed next steps. Two people editing the same candidate: the second save names who
changed it first (optimistic locking on a version column, also enforced by the ORM at flush).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from oncofed.domain import Actor
from oncofed.errors import InputError, NotFound, OncofedError
from oncofed.resources import load_yaml
from oncofed.services.prescreen.access import PrescreenPatients, refuse_centre, research_actor, utcnow
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_prescreen import (
    EnrolmentRow,
    PrescreenResultRow,
    ScreeningCandidateRow,
    ScreeningEventRow,
)


class ScreeningConflict(OncofedError):
    """Someone else changed the candidate since it was loaded (HTTP 409)."""


@functools.cache
def workflow() -> dict[str, Any]:
    spec: dict[str, Any] = load_yaml("prescreen/screening.yaml")
    return spec


def allowed_next(status: str) -> list[str]:
    return list(workflow()["transitions"].get(status, []))


def reasons_for(status: str) -> dict[str, str]:
    return dict(workflow()["reasons"].get(status, {}))


def check_transition(current: str, target: str, reason: str) -> None:
    statuses = workflow()["statuses"]
    if target not in statuses:
        raise InputError(
            f"unknown status {target!r}", field="status", fix=f"use one of: {', '.join(statuses)}"
        )
    if target == current:
        raise InputError(f"the candidate is already {current!r}", field="status", fix="choose another status")
    nxt = allowed_next(current)
    if target not in nxt:
        fix = f"from {current!r} you can go to: {', '.join(nxt)}" if nxt else f"{current!r} is final"
        raise InputError(f"cannot change status from {current!r} to {target!r}", field="status", fix=fix)
    if target in workflow()["reason_required"]:
        choices = reasons_for(target)
        if not reason:
            raise InputError(
                f"a reason is required for {target!r}",
                field="reason",
                fix=f"choose one of: {', '.join(choices)}",
            )
        if reason not in choices:
            raise InputError(
                f"unknown reason {reason!r} for {target!r}",
                field="reason",
                fix=f"choose one of: {', '.join(choices)}",
            )


@dataclass(frozen=True)
class StatusChange:
    patient_id: str
    version: int  # the version the user saw (0 = never screened)


@dataclass
class CandidateState:
    trial_id: str
    patient_id: str
    status: str
    version: int
    reason: str
    note: str
    updated_by: str
    updated_at: str


def _state(row: ScreeningCandidateRow) -> CandidateState:
    return CandidateState(
        row.trial_id,
        row.patient_id,
        row.status,
        row.version,
        row.reason,
        row.note,
        row.updated_by,
        row.updated_at.isoformat(timespec="seconds"),
    )


def _check(
    s: Session,
    actor: Actor,
    trial_id: str,
    change: StatusChange,
    target: str,
    reason: str,
    centre_id: str | None = None,
) -> tuple[PrescreenResultRow, ScreeningCandidateRow | None, str]:
    """Everything that can refuse a change, without writing anything. With `centre_id` (the list the
    request's path names), a candidate of another centre's list is refused like an unknown one."""
    ractor = research_actor(actor)
    result = s.get(PrescreenResultRow, (trial_id, change.patient_id))
    visible = (
        result is not None
        and (centre_id is None or result.centre_id == centre_id)
        and s.scalar(
            PrescreenPatients(s, ractor)
            .living_ids(result.centre_id)
            .where(PatientRow.id == change.patient_id)
        )
        is not None
    )
    if result is None or not visible:
        PrescreenPatients(s, ractor).refused(f"screening status of {trial_id}", change.patient_id)
        raise NotFound(
            f"no pre-screened candidate {change.patient_id!r} for trial {trial_id}",
            fix="open the trial's pre-screening list at your centre first",
        )
    row = s.get(ScreeningCandidateRow, (trial_id, change.patient_id))
    current = row.status if row else "new"
    current_version = row.version if row else 0
    if current_version != change.version:
        who = (
            f"{row.updated_by} set it to {row.status!r} at {row.updated_at:%Y-%m-%d %H:%M} UTC" if row else ""
        )
        raise ScreeningConflict(
            f"candidate {change.patient_id} was changed by someone else since you opened it ({who})",
            fix="reload the list, check their change, then apply yours again if it still makes sense",
        )
    check_transition(current, target, reason)
    return result, row, current


def _write(
    s: Session,
    actor: Actor,
    trial_id: str,
    checked: tuple[PrescreenResultRow, ScreeningCandidateRow | None, str],
    target: str,
    reason: str,
    note: str,
) -> ScreeningCandidateRow:
    result, row, current = checked
    now = utcnow()
    if row is None:
        row = ScreeningCandidateRow(
            trial_id=trial_id, patient_id=result.patient_id, centre_id=result.centre_id, updated_at=now
        )
        s.add(row)
    row.status, row.reason, row.note = target, reason if target in ("not_eligible", "declined") else "", note
    row.updated_by, row.updated_at = actor.user_id, now
    s.add(
        ScreeningEventRow(
            trial_id=trial_id,
            patient_id=result.patient_id,
            centre_id=result.centre_id,
            from_status=current,
            to_status=target,
            reason=row.reason,
            note=note,
            user_id=actor.user_id,
            at=now,
        )
    )
    if target == "enrolled":
        s.add(
            EnrolmentRow(
                trial_id=trial_id,
                site_key=result.centre_id,
                centre_id=result.centre_id,
                enrolled_on=now.date(),
                patient_id=result.patient_id,
                source="screening",
            )
        )
    return row


def change_status(
    db: Database,
    actor: Actor,
    trial_id: str,
    changes: Sequence[StatusChange],
    target: str,
    *,
    reason: str = "",
    note: str = "",
    centre_id: str | None = None,
) -> list[CandidateState]:
    """Apply one status to one or many candidates: all or nothing, every problem reported. The web
    passes the `centre_id` of its path: candidates must belong to that centre's list."""
    if centre_id is not None and not research_actor(actor).may_read_patients_of(centre_id):
        with db.session() as s:
            refuse_centre(s, actor, centre_id, f"screening status of {trial_id}")
        raise NotFound(f"no centre {centre_id!r} in your scope", fix="screen only your own centres' lists")
    if not changes:
        raise InputError("no candidate selected", field="patient_id", fix="tick at least one candidate")
    if len(note) > 2000:
        raise InputError("the note is longer than 2,000 characters", field="note", fix="shorten it")
    changes = list({c.patient_id: c for c in changes}.values())  # a candidate ticked twice counts once
    problems: list[tuple[str, OncofedError]] = []
    try:
        with db.session() as s, s.no_autoflush:
            checked = []
            for ch in changes:  # check every candidate first: nothing is written if one is refused
                try:
                    checked.append(_check(s, actor, trial_id, ch, target, reason, centre_id))
                except (InputError, NotFound, ScreeningConflict) as exc:
                    problems.append((ch.patient_id, exc))
            if problems:
                raise _Abort()
            rows = [_write(s, actor, trial_id, c, target, reason, note) for c in checked]
            s.flush()
            states = [_state(r) for r in rows]
    except _Abort:
        if len(problems) == 1:
            raise problems[0][1] from None
        conflict = any(isinstance(e, ScreeningConflict) for _, e in problems)
        listed = "; ".join(f"{pid}: {e.message}" for pid, e in problems)
        kind = ScreeningConflict if conflict else InputError
        raise kind(
            f"{len(problems)} of {len(changes)} candidates refused, nothing changed: {listed}",
            fix="reload the list or untick the candidates listed, then apply again",
        ) from None
    except (StaleDataError, IntegrityError) as exc:
        raise ScreeningConflict(
            "another person saved this candidate at the same moment",
            fix="reload the list, check their change, then apply yours again",
        ) from exc
    return states


class _Abort(Exception):
    pass


# --- the screening log and CONSORT-style counts ----------------------------------------------


LOG_COLUMNS = [
    "at",
    "trial_id",
    "centre_id",
    "patient_id",
    "from_status",
    "to_status",
    "reason",
    "note",
    "user_id",
]


def screening_log(db: Database, actor: Actor, trial_id: str, centre_id: str) -> dict[str, Any]:
    """Every status change at a centre for a trial, plus the CONSORT-style flow of counts."""
    ractor = research_actor(actor)
    if not ractor.may_read_patients_of(centre_id):
        with db.session() as s:
            refuse_centre(s, actor, centre_id, f"screening log of {trial_id}")
        raise NotFound(f"no centre {centre_id!r} in your scope", fix="export only your own centres' logs")
    with db.session() as s:
        repo = PrescreenPatients(s, ractor)
        visible = repo.living_ids(centre_id)
        events = list(
            s.scalars(
                select(ScreeningEventRow)
                .where(
                    ScreeningEventRow.trial_id == trial_id,
                    ScreeningEventRow.centre_id == centre_id,
                    ScreeningEventRow.patient_id.in_(visible),
                )
                .order_by(ScreeningEventRow.at, ScreeningEventRow.id)
            )
        )
        results = list(
            s.execute(
                select(PrescreenResultRow.patient_id, PrescreenResultRow.eligibility).where(
                    PrescreenResultRow.trial_id == trial_id,
                    PrescreenResultRow.centre_id == centre_id,
                    PrescreenResultRow.patient_id.in_(visible),
                )
            )
        )
        current = {
            c.patient_id: c
            for c in s.scalars(
                select(ScreeningCandidateRow).where(
                    ScreeningCandidateRow.trial_id == trial_id,
                    ScreeningCandidateRow.centre_id == centre_id,
                    ScreeningCandidateRow.patient_id.in_(visible),
                )
            )
        }
        # the log shows patient ids and free-text notes: one audit record naming every patient in it
        shown = dict.fromkeys(e.patient_id for e in events)
        repo.audit("prescreen.log", [SimpleNamespace(id=pid, centre_id=centre_id) for pid in shown])
    reached: dict[str, set[str]] = {}
    for e in events:
        reached.setdefault(e.patient_id, set()).add(e.to_status)
    consort = workflow()["consort"]
    counts: dict[str, int] = {
        "screened": len(results),
        "candidates": sum(1 for _, el in results if el in ("eligible", "possible")),
    }
    for box, statuses in consort.items():
        counts[box] = sum(1 for st in reached.values() if st & set(statuses))
    not_included: Counter[str] = Counter()
    for cand in current.values():
        if cand.status in ("not_eligible", "declined", "deferred"):
            not_included[f"{cand.status}: {cand.reason or 'no reason given'}"] += 1
    not_included["not eligible by pre-screening (criteria)"] = sum(
        1 for _, el in results if el == "not_eligible"
    )
    rows = [
        {
            "at": e.at.isoformat(timespec="seconds"),
            "trial_id": e.trial_id,
            "centre_id": e.centre_id,
            "patient_id": e.patient_id,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
            "note": e.note,
            "user_id": e.user_id,
        }
        for e in events
    ]
    return {
        "trial_id": trial_id,
        "centre_id": centre_id,
        "counts": counts,
        "reasons_not_included": dict(sorted(not_included.items())),
        "events": rows,
    }
