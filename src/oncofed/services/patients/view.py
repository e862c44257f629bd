"""What one view of a patient shows (the patient's page): the record and its corrections, read in one
session through the actor-scoped repository, so the view is one read and one audit entry.

The corrections belong to the record: reading them is part of that access, not a second one. The
data-protection officer sees one `patient.read` per view, naming the patient and the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oncofed.domain import Actor, PatientProfile
from oncofed.services.patients.corrections import corrections_in
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository


@dataclass(frozen=True)
class PatientView:
    profile: PatientProfile
    corrections: list[dict[str, Any]] = field(default_factory=list)  # newest first


def patient_view(db: Database, actor: Actor, patient_id: str) -> PatientView:
    """The record (not found outside the actor's centres, refusal audited) and its corrections, with
    one audited read."""
    with db.session() as s:
        profile = PatientRepository(s, actor).get(patient_id)
        return PatientView(profile, corrections_in(s, profile.id))
