"""The screening workflow: a status per (trial, candidate) with who, when, reason and note.

Transitions come from `resources/prescreen/screening.yaml`; nonsense (enrolled -> new) is refused
with the allowed next steps. Two people editing the same candidate: the second save names who
changed it first (optimistic locking on a version column, also enforced by the ORM at flush).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from oncofed.domain import Actor
from oncofed.errors import N_, NN_, InputError, NotFound, OncofedError
from oncofed.resources import load_yaml
from oncofed.services.prescreen.access import PrescreenPatients, refuse_centre, research_actor, utcnow
from oncofed.store import audit_words
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

    status = 409


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
            N_("unknown status '%(code)s'"),
            field="status",
            fix=N_("use one of: %(statuses)s"),
            code="prescreen.unknown_status",
            params={"code": target, "statuses": list(statuses)},
        )
    if target == current:
        raise InputError(
            N_("the candidate is already '%(from_status)s'"),
            field="status",
            fix=N_("choose another status"),
            code="prescreen.same_status",
            params={"from_status": current},
        )
    nxt = allowed_next(current)
    if target not in nxt:
        raise InputError(
            N_("cannot change status from '%(from_status)s' to '%(to_status)s'"),
            field="status",
            fix=N_("from '%(from_status)s' you can go to: %(statuses)s")
            if nxt
            else N_("'%(from_status)s' is final"),
            code="prescreen.transition_refused",
            params={"from_status": current, "to_status": target, "statuses": nxt},
        )
    if target in workflow()["reason_required"]:
        choices = reasons_for(target)
        if not reason:
            raise InputError(
                N_("a reason is required for '%(to_status)s'"),
                field="reason",
                fix=N_("choose one of: %(reasons)s"),
                code="prescreen.reason_required",
                params={"to_status": target, "reasons": list(choices)},
            )
        if reason not in choices:
            raise InputError(
                N_("unknown reason '%(code)s' for '%(to_status)s'"),
                field="reason",
                fix=N_("choose one of: %(reasons)s"),
                code="prescreen.unknown_reason",
                params={"code": reason, "to_status": target, "reasons": list(choices)},
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
        PrescreenPatients(s, ractor).refused(
            audit_words.what("screening_status", trial=trial_id), change.patient_id
        )
        raise NotFound(
            N_("no pre-screened candidate %(patient)s for trial %(trial)s"),
            fix=N_("open the trial's pre-screening list at your centre first"),
            code="prescreen.no_candidate",
            params={"patient": change.patient_id, "trial": trial_id},
        )
    row = s.get(ScreeningCandidateRow, (trial_id, change.patient_id))
    current = row.status if row else "new"
    current_version = row.version if row else 0
    if current_version != change.version:
        raise ScreeningConflict(
            N_(
                "candidate %(patient)s was changed by someone else since you opened it (%(who)s set it to '%(to_status)s' on %(when)s UTC)"
            )
            if row
            else N_("candidate %(patient)s was changed by someone else since you opened it"),
            fix=N_("reload the list, check their change, then apply yours again if it still makes sense"),
            code="prescreen.changed_meanwhile",
            params={"patient": change.patient_id}
            | ({"who": row.updated_by, "to_status": row.status, "when": row.updated_at} if row else {}),
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
            refuse_centre(s, actor, centre_id, audit_words.what("screening_status", trial=trial_id))
        raise NotFound(
            N_("no centre %(centre)s in your scope"),
            fix=N_("screen only your own centres' lists"),
            code="prescreen.screen_out_of_scope",
            params={"centre": centre_id},
        )
    if not changes:
        raise InputError(
            N_("no candidate selected"),
            field="patient_id",
            fix=N_("tick at least one candidate"),
            code="prescreen.nothing_selected",
        )
    if len(note) > 2000:
        raise InputError(
            N_("the note is longer than %(limit)s characters"),
            field="note",
            fix=N_("shorten it"),
            code="prescreen.note_too_long",
            params={"limit": 2000},
        )
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
        kind = ScreeningConflict if conflict else InputError
        error = kind(
            NN_(
                "%(refused)s of %(num)s candidate refused, nothing changed: %(listed)s",
                "%(refused)s of %(num)s candidates refused, nothing changed: %(listed)s",
            ),
            fix=N_("reload the list or untick the candidates listed, then apply again"),
            code="prescreen.bulk_refused",
            params={
                "refused": len(problems),
                "num": len(changes),
                "listed": [f"{pid}: {e.message}" for pid, e in problems],
            },
        )
        error.parts = problems  # each candidate's own error, said in the reader's language
        raise error from None
    except (StaleDataError, IntegrityError) as exc:
        raise ScreeningConflict(
            N_("another person saved this candidate at the same moment"),
            fix=N_("reload the list, check their change, then apply yours again"),
            code="prescreen.saved_meanwhile",
        ) from exc
    return states


class _Abort(Exception):
    pass


# the screening log and CONSORT-style counts: screening_log.py (imported here as before)
from oncofed.services.prescreen.screening_log import LOG_COLUMNS as LOG_COLUMNS  # noqa: E402
from oncofed.services.prescreen.screening_log import screening_log as screening_log  # noqa: E402
