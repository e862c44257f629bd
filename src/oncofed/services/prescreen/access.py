"""Who may pre-screen what: pre-screening is research use (objectors hidden for every role), the
actor-scoped patient reads it needs, the refusal of a centre outside the caller's scope (a security
event), and the hash of what the evaluator reads from a trial."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Trial
from oncofed.errors import N_, NotFound
from oncofed.matching import trust
from oncofed.services.prescreen.engine import DEFAULT_ENGINE, PrescreenEngine
from oncofed.store import audit, audit_words
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.repositories import CentreRepository, PatientRepository


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def trial_criteria_hash(
    trial: Trial, engine: PrescreenEngine = DEFAULT_ENGINE, db: Database | None = None
) -> str:
    """What the evaluator reads from a trial: a change re-evaluates every pair of that trial. With
    `db`, the trial's stored parse is read into the in-process memo first, so that the fingerprint
    never parses the text again in a fresh worker (seconds per trial, seen in the load test)."""
    if db is not None:
        from oncofed.services.trials.criteria import parsed_criteria

        parsed_criteria(trial, db)
    payload: list[Any] = [trial.eligibility_text, trial.min_age_years, trial.max_age_years, trial.sex]
    # the day too: ages and washout windows move with it, so results are re-evaluated daily
    payload += [trial.extra.get("oncotree"), engine.fingerprint(trial), date.today().isoformat()]
    # and the decision policy in force: a new trust table (or strict) changes which readings exclude
    in_force = trust.policy()
    payload.append(None if in_force is None else sorted(in_force))
    # ... and how its kinds are keyed (the stored held_kinds carry the split: matching/trust.py SPLITS)
    payload.append(trust.split())
    payload.append("held-4")  # stored strings mark held-back readings (code 4) since this marker
    payload.append(
        "held-kinds"
    )  # ... and their kinds of reading (prescreen_results.held_kinds) since this one
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def research_actor(actor: Actor) -> Actor:
    """Pre-screening is research use: objectors are hidden for every role."""
    return dataclasses.replace(actor, purpose="research")


class PrescreenPatients(PatientRepository):
    """The actor-scoped patient repository with the two reads pre-screening needs."""

    def living_ids(self, centre_id: str) -> Select[Any]:
        stmt = self._scoped(select(PatientRow.id)).where(PatientRow.centre_id == centre_id)
        return stmt.where(PatientRow.deceased.is_(False))

    def stamps(
        self, centre_id: str, since: datetime | None = None
    ) -> dict[str, tuple[datetime | None, str | None]]:
        """id -> (updated_at, record hash) of the centre's living patients (updated at/after `since`)."""
        base = cast(Select[Any], select(PatientRow.id, PatientRow.updated_at, PatientRow.record_hash))
        stmt = self._scoped(base).where(PatientRow.centre_id == centre_id, PatientRow.deceased.is_(False))
        if since is not None:
            stmt = stmt.where(PatientRow.updated_at >= since)
        return {pid: (at, rhash) for pid, at, rhash in self.session.execute(stmt)}

    def audit(self, action: str, rows: Sequence[Any]) -> None:
        """Record the read in the audit log (trust area) when the repository provides one."""
        record = getattr(self, "_audit", None)
        if record is not None and rows:
            record(action, rows)


def refuse_centre(session: Session, actor: Actor, centre_id: str, what: str | dict[str, Any]) -> None:
    """A centre outside the caller's scope was asked for: a security event for the DPO (written even
    though the request ends in "not found"). `what`: an action's code or `audit_words.what(...)`."""
    from oncofed.store.audit_words import coded

    audit.record_security(
        session, actor, "refused", centres=[centre_id], detail=coded("refused.centre_scope", what=what)
    )


def check_centre(session: Session, actor: Actor, trial: Trial, centre_id: str) -> str:
    centre = CentreRepository(session).get(centre_id)
    if not actor.may_read_patients_of(centre_id):
        refuse_centre(session, actor, centre_id, audit_words.what("prescreen", trial=trial.id))
        raise NotFound(
            N_("no centre %(centre)s in your scope"),
            fix=N_("pre-screen only the centres you work for (ask an administrator for access)"),
            code="prescreen.centre_out_of_scope",
            params={"centre": centre_id},
        )
    if not any(s.centre_id == centre_id for s in trial.sites):
        raise NotFound(
            N_("trial %(trial)s has no site at %(centre)s"),
            fix=N_("choose one of its centres: %(centres)s"),
            code="prescreen.no_site",
            params={
                "trial": trial.id,
                "centre": centre.name,
                "centres": [s.centre_id for s in trial.sites if s.centre_id],
            },
        )
    return centre.name
