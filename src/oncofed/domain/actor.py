"""Who is asking: a user with a role and a centre scope. Isolation decisions start here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PUBLIC = "public"
    CLINICIAN = "clinician"
    RESEARCH_STAFF = "research_staff"
    TRIAL_MANAGER = "trial_manager"
    QUALITY_MANAGER = "quality_manager"
    DPO = "dpo"
    FEDERATION_HR = "federation_hr"  # the collective agreement: grid, costing, every centre (issue 21)
    CENTRE_HR = "centre_hr"  # one centre's staff records and costing, own centre only (issue 21)
    ADMIN = "admin"
    PATIENT = "patient"  # one patient, their own space (/me) only: docs/PATIENTS.md
    SYSTEM = "system"


# Roles that may read patient-level data, always within their own centre scope.
PATIENT_LEVEL_ROLES = frozenset({Role.CLINICIAN, Role.RESEARCH_STAFF, Role.SYSTEM})
# Roles that may read staff records (personal data), centre HR within its own centres only.
STAFF_LEVEL_ROLES = frozenset({Role.FEDERATION_HR, Role.CENTRE_HR, Role.SYSTEM})
# Roles for which patients who object to research use are hidden.
RESEARCH_ROLES = frozenset({Role.RESEARCH_STAFF})
# user_id prefix of a person acting from the command line (the OS user follows)
OPERATOR_PREFIX = "cli:"


@dataclass(frozen=True)
class Actor:
    """The caller of a repository method. `centre_ids` empty means no patient-level scope."""

    user_id: str
    role: Role
    centre_ids: frozenset[str] = field(default_factory=frozenset)
    purpose: str = "care"
    # the one record a patient account is bound to (role PATIENT only; None for staff)
    patient_id: str | None = None

    @classmethod
    def system(cls, purpose: str = "system") -> Actor:
        """The platform itself (imports, demo build): every centre, for internal jobs only."""
        return cls(user_id="system", role=Role.SYSTEM, centre_ids=frozenset({"*"}), purpose=purpose)

    @classmethod
    def operator(cls, os_user: str, purpose: str, centre_ids: frozenset[str] | None = None) -> Actor:
        """A person at the command line (`oncofed match`, `oncofed prescreen`, ...): the platform's
        reach (every centre unless narrowed), but named after the OS user and audited like anyone."""
        return cls(
            user_id=OPERATOR_PREFIX + os_user,
            role=Role.SYSTEM,
            centre_ids=centre_ids if centre_ids is not None else frozenset({"*"}),
            purpose=purpose,
        )

    @property
    def is_internal_job(self) -> bool:
        """The platform's own jobs (imports, demo build, index refresh): the only reads not audited."""
        return self.role is Role.SYSTEM and not self.user_id.startswith(OPERATOR_PREFIX)

    @classmethod
    def public(cls) -> Actor:
        return cls(user_id="anonymous", role=Role.PUBLIC)

    @property
    def all_centres(self) -> bool:
        return "*" in self.centre_ids

    def may_read_patients_of(self, centre_id: str) -> bool:
        """True when this actor may see patient-level records of `centre_id`."""
        if self.role not in PATIENT_LEVEL_ROLES:
            return False
        return self.all_centres or centre_id in self.centre_ids

    @property
    def hides_research_objectors(self) -> bool:
        """Patients objecting to research use never appear for research purposes."""
        return self.role in RESEARCH_ROLES or self.purpose == "research"
