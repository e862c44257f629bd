"""Repositories. Every read of patient data goes through `PatientRepository`, which takes the
caller's `Actor` and filters by centre: isolation is enforced here, once, not in each route."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session, selectinload

from oncofed.domain import Actor, Centre, PatientProfile, Trial
from oncofed.errors import NotFound
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.mapping import (
    centre_to_domain,
    centre_to_row,
    patient_to_domain,
    patient_to_row_dict,
    trial_to_domain,
    trial_to_row,
    with_record_hash,
)
from oncofed.store.models import CentreRow, MetaRow, PatientRow, TrialRow


class MetaRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(MetaRow, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        row = self.session.get(MetaRow, key)
        if row is None:
            self.session.add(MetaRow(key=key, value=value))
        else:
            row.value = value


class CentreRepository:
    """Centres are public reference data: no actor needed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self) -> builtins.list[Centre]:
        rows = self.session.scalars(select(CentreRow).order_by(CentreRow.city, CentreRow.name))
        return [centre_to_domain(r) for r in rows]

    def get(self, centre_id: str) -> Centre:
        row = self.session.get(CentreRow, centre_id)
        if row is None:
            raise NotFound(
                f"no centre with id {centre_id!r}", fix="list centres with `oncofed centres` or /api/centres"
            )
        return centre_to_domain(row)

    def upsert(self, centre: Centre) -> None:
        row = self.session.get(CentreRow, centre.id)
        if row is None:
            self.session.add(centre_to_row(centre))
        else:
            centre_to_row(centre, row)


class TrialRepository:
    """Trials are public registry data: no actor needed."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, trial_id: str) -> Trial:
        row = self.session.get(TrialRow, trial_id, options=[selectinload(TrialRow.sites)])
        if row is None:
            raise NotFound(f"no trial with id {trial_id!r}", fix="search trials with `oncofed trials search`")
        return trial_to_domain(row)

    def find(self, trial_id: str) -> Trial | None:
        try:
            return self.get(trial_id)
        except NotFound:
            return None

    def list(
        self, *, status: str | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[Trial]:
        stmt = select(TrialRow).options(selectinload(TrialRow.sites)).order_by(TrialRow.id)
        if status:
            stmt = stmt.where(TrialRow.status == status)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        return [trial_to_domain(r) for r in self.session.scalars(stmt)]

    def for_centre(self, centre_id: str) -> builtins.list[Trial]:
        from oncofed.store.models import TrialSiteRow

        ids = select(TrialSiteRow.trial_id).where(TrialSiteRow.centre_id == centre_id).distinct()
        stmt = (
            select(TrialRow)
            .where(TrialRow.id.in_(ids))
            .options(selectinload(TrialRow.sites))
            .order_by(TrialRow.status, TrialRow.title)
        )
        return [trial_to_domain(r) for r in self.session.scalars(stmt)]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(TrialRow)) or 0)

    def upsert(self, trial: Trial, content_hash: str = "") -> None:
        row = self.session.get(TrialRow, trial.id)
        if row is None:
            row = trial_to_row(trial)
            row.content_hash = content_hash
            self.session.add(row)
        else:
            trial_to_row(trial, row)
            row.content_hash = content_hash
            row.updated_at = func.now()
        from oncofed.store.trial_setup import apply_setups

        apply_setups(self.session, row)  # the network's local set-up survives a re-import (issue 18)

    def content_hash(self, trial_id: str) -> str | None:
        return self.session.scalar(select(TrialRow.content_hash).where(TrialRow.id == trial_id))


class PatientRepository:
    """Patient-level data, always seen through the caller's actor.

    - centre isolation: only patients of centres in the actor's scope are visible; anything
      else is reported as not found (never "forbidden", which would confirm it exists);
    - objection to research use: hidden when the actor works for research purposes.
    """

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.actor = actor

    def _scoped(self, stmt: Select[Any]) -> Select[Any]:
        actor = self.actor
        from oncofed.domain.actor import PATIENT_LEVEL_ROLES, Role

        if actor.role is Role.PATIENT:  # a patient's own space: their one record, nothing else
            return stmt.where(PatientRow.id == (actor.patient_id or ""), PatientRow.id != "")
        if actor.role not in PATIENT_LEVEL_ROLES:
            return stmt.where(PatientRow.id.is_(None))  # no patient-level access at all
        if not actor.all_centres:
            stmt = stmt.where(PatientRow.centre_id.in_(sorted(actor.centre_ids)))
        if actor.hides_research_objectors:
            stmt = stmt.where(PatientRow.research_objection.is_(False))
        return stmt

    def get(self, patient_id: str) -> PatientProfile:
        row = self.session.scalar(self._scoped(select(PatientRow).where(PatientRow.id == patient_id)))
        if row is None:
            self.refused("patient.read", patient_id)
            raise NotFound(
                f"no patient {patient_id!r} in your centres", fix="check the id and your centre scope"
            )
        self._audit("patient.read", [row])
        return patient_to_domain(row)

    def list(
        self, *, centre_id: str | None = None, limit: int | None = 100, offset: int = 0
    ) -> builtins.list[PatientProfile]:
        stmt = self._scoped(select(PatientRow)).order_by(PatientRow.id)
        if centre_id is not None:
            stmt = stmt.where(PatientRow.centre_id == centre_id)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        rows = list(self.session.scalars(stmt))
        self._audit("patient.list", rows)
        return [patient_to_domain(r) for r in rows]

    def _audit(self, action: str, rows: Sequence[PatientRow]) -> None:
        """Record this read in the audit log (store/audit.py); internal system jobs are not recorded."""
        if rows and audit.audited(self.actor):
            patients = [(r.id, r.centre_id) for r in rows]
            audit.record_read(self.session, audit.event_for(self.actor, action, patients=patients))

    def refused(self, what: str | dict[str, Any], patient_id: str) -> None:
        """A read of a patient who exists but is outside the caller's scope (another centre, no
        patient-level role, or hidden by objection): a security event in the audit log, written
        even though the request ends in "not found". Ids that exist nowhere are not recorded."""
        if not audit.audited(self.actor):
            return
        found = self.session.execute(
            select(PatientRow.centre_id, PatientRow.research_objection).where(PatientRow.id == patient_id)
        ).first()
        if found is None:
            return
        centre_id, objection = found
        in_scope = self.actor.may_read_patients_of(centre_id)
        hidden = objection and self.actor.hides_research_objectors
        if in_scope and not hidden:
            return  # visible to the caller: not a refusal (the request failed for another reason)
        why = "refused.objection" if in_scope else "refused.other_centre"
        audit.record_security(
            self.session,
            self.actor,
            "refused",
            patients=[(patient_id, centre_id)],
            detail=coded(why, what=what),
        )

    def count(self, *, centre_id: str | None = None) -> int:
        stmt = self._scoped(select(func.count()).select_from(PatientRow))
        if centre_id is not None:
            stmt = stmt.where(PatientRow.centre_id == centre_id)
        return int(self.session.scalar(stmt) or 0)

    def _check_writable(self, centre_ids: Iterable[str]) -> None:
        for cid in set(centre_ids):
            if not self.actor.may_read_patients_of(cid):
                raise NotFound(f"no centre {cid!r} in your scope", fix="write only to your own centre")

    def add_many(self, profiles: Sequence[PatientProfile], source: str = "") -> int:
        """Insert new patients in bulk (one INSERT per batch)."""
        self._check_writable(p.centre_id for p in profiles)
        if not profiles:
            return 0
        self.session.execute(insert(PatientRow), [patient_to_row_dict(p, source) for p in profiles])
        return len(profiles)

    def add_rows(self, rows: Sequence[dict[str, Any]]) -> int:
        """Bulk-insert rows already in the store layout (see mapping.patient_to_row_dict)."""
        self._check_writable(str(r["centre_id"]) for r in rows)
        if rows:
            self.session.execute(insert(PatientRow), [with_record_hash(r) for r in rows])
        return len(rows)

    def upsert(self, profile: PatientProfile, source: str = "") -> bool:
        """Insert or replace one patient; returns True when it was new."""
        self._check_writable([profile.centre_id])
        values = patient_to_row_dict(profile, source)
        row = self.session.get(PatientRow, profile.id)
        if row is not None and not self.actor.may_read_patients_of(row.centre_id):
            raise NotFound(
                f"no patient {profile.id!r} in your centres", fix="check the id and your centre scope"
            )
        if row is None:
            self.session.add(PatientRow(**values))
            return True
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = func.now()
        return False

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are stored in the actor's scope (bulk imports: insert the rest in one go)."""
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        return set(self.session.scalars(self._scoped(select(PatientRow.id).where(PatientRow.id.in_(wanted)))))

    def counts_by_centre(self) -> dict[str, int]:
        """Aggregate counts per centre (no patient-level data) for network views."""
        stmt = select(PatientRow.centre_id, func.count()).group_by(PatientRow.centre_id)
        return {cid: int(n) for cid, n in self.session.execute(stmt)}
