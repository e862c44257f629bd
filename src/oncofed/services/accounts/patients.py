"""Patient accounts (docs/PATIENTS.md): an account bound to exactly one patient record and its centre,
created by a clinician of that centre or an administrator (never by the patient), with a one-time
password the patient replaces at first sign-in. Every creation is an audit entry naming the patient."""

from __future__ import annotations

import secrets
import uuid

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from oncofed.domain.actor import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.accounts import account_audit, users
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_patient_space import PatientAccountRow
from oncofed.store.models_trust import SessionRow, UserRow
from oncofed.store.repositories import PatientRepository

# who may open a patient's account: their clinician (own centre only, through the repository), an
# administrator, and a person at the command line (the operator actor, audited)
CREATOR_ROLES = frozenset({Role.CLINICIAN, Role.ADMIN, Role.SYSTEM})


def one_time_password() -> str:
    """Printed once for the patient's first sign-in (16 URL-safe characters, ~96 bits)."""
    return secrets.token_urlsafe(12)


def add_patient_account(
    db: Database,
    creator: Actor,
    username: str,
    patient_id: str,
    *,
    display_name: str = "",
    password: str | None = None,
    must_set_password: bool = True,
    password_hash: str | None = None,
) -> tuple[users.User, str]:
    """Create `username` as `patient_id`'s own account; returns (account, one-time password). A
    clinician reaches only patients of their centres (another centre's patient is not found, the
    refusal audited); one account per patient."""
    if creator.role not in CREATOR_ROLES:
        raise InputError(
            N_("your role (%(role)s) cannot create patient accounts"),
            field="role",
            fix=N_("ask the patient's clinician or an administrator"),
            code="account.patient_creator",
            params={"role": creator.role.value},
        )
    name = users.canonical_username(username)
    if not name or len(name) > 100 or any(ch.isspace() for ch in name) or not name.isprintable():
        raise InputError(
            N_("invalid username %(username)s"),
            field="username",
            fix=N_("one word, at most 100 characters"),
            code="account.bad_username",
            params={"username": repr(name)},
        )
    secret = password if password is not None else one_time_password()
    hashed = password_hash or users.hash_password(secret)
    with db.session() as s:
        if creator.role is Role.CLINICIAN:
            profile = PatientRepository(s, creator).get(patient_id)  # own centre only; audited
            pid, centre_id = profile.id, profile.centre_id
        else:
            found = s.execute(
                select(PatientRow.id, PatientRow.centre_id).where(PatientRow.id == patient_id)
            ).first()
            if found is None:
                raise NotFound(
                    N_("no patient %(patient)s"),
                    fix=N_("check the id (`oncofed patients list --centre C`)"),
                    code="account.unknown_patient",
                    params={"patient": repr(patient_id)},
                )
            pid, centre_id = str(found[0]), str(found[1])
        if users._by_name(s, name) is not None:
            raise InputError(
                N_("user %(username)s already exists"),
                field="username",
                fix=N_("choose another name"),
                code="account.exists",
                params={"username": repr(name)},
            )
        if s.scalar(select(PatientAccountRow.user_id).where(PatientAccountRow.patient_id == pid)):
            raise InputError(
                N_("patient %(patient)s already has an account"),
                field="patient",
                fix=N_("disable the old account first (`oncofed users disable NAME`), or keep it"),
                code="account.patient_has_account",
                params={"patient": pid},
            )
        now = users._now()
        row = UserRow(
            id=uuid.uuid4().hex, username=name, display_name=display_name or name, role=Role.PATIENT.value,
            centre_ids=[centre_id], password_hash=hashed, disabled=False, created_at=now,
        )  # fmt: skip
        s.add(row)
        s.flush()
        s.add(
            PatientAccountRow(
                user_id=row.id, patient_id=pid, centre_id=centre_id, must_set_password=must_set_password,
                created_by=creator.user_id, created_at=now,
            )
        )  # fmt: skip
        s.flush()
        if audit.audited(creator):
            event = audit.event_for(creator, "account.patient", patients=[(pid, centre_id)])
            audit.record_read(s, event)
        return users._user(row, s), secret


def reset_patient_password(db: Database, actor: Actor, patient_id: str) -> tuple[str, str]:
    """A patient who forgot their password: a new one-time password for `patient_id`'s own account,
    returned as (username, password) to hand over once; the account's sessions end and the patient
    chooses their own at the next sign-in (changes.reset_in: audited `account.password_reset`). The
    roles that may open the account may reset it: a clinician reaches only their centres' patients
    (another centre's patient is not found, the refusal audited)."""
    if actor.role not in CREATOR_ROLES:
        raise InputError(
            N_("your role (%(role)s) cannot reset a patient's password"),
            field="role",
            fix=N_("ask the patient's clinician or an administrator"),
            code="account.patient_resetter",
            params={"role": actor.role.value},
        )
    from oncofed.services.accounts.changes import reset_in

    secret = one_time_password()
    hashed = users.hash_password(secret)
    with db.session() as s:
        pid = PatientRepository(s, actor).get(patient_id).id if actor.role is Role.CLINICIAN else patient_id
        account = s.scalar(
            select(UserRow)
            .join(PatientAccountRow, PatientAccountRow.user_id == UserRow.id)
            .where(PatientAccountRow.patient_id == pid)
        )
        if account is None:
            raise NotFound(
                N_("patient %(patient)s has no account of their own"),
                fix=N_("create it from the patient's page (section “The patient’s own space”)"),
                code="account.patient_no_account",
                params={"patient": repr(patient_id)},
            )
        reset_in(s, account, actor=actor, password_hash=hashed, one_time=True)
        return account.username, secret


def set_own_password(
    db: Database, username: str, current: str, new: str, *, actor: Actor, keep_session: str | None = None
) -> None:
    """A patient or a staff member replacing their password: the current one must be right; the new
    one at least 10 characters and different. Every session of the account ends but `keep_session`
    (the raw cookie of the browser that made the change, if any). A one-time password's "must
    change" state ends. Audited (`actor` is the account's own person)."""
    with db.session() as s:
        row = users.existing(s, username)
        try:
            users._hasher.verify(row.password_hash, current)
        except (VerificationError, InvalidHashError):
            raise InputError(
                N_("the current password is wrong"),
                field="current",
                fix=N_("type the password you signed in with (the one given with your account)"),
                code="account.wrong_password",
            ) from None
        if new == current:
            raise InputError(
                N_("the new password is the same as the current one"),
                field="password",
                fix=N_("choose a password of your own"),
                code="account.same_password",
            )
        row.password_hash = users.hash_password(new)
        row.must_change_password = False
        account_audit.record(s, actor, "account.password_own", row)
        bound = s.get(PatientAccountRow, row.id)
        if bound is not None:
            bound.must_set_password = False
        ended = delete(SessionRow).where(SessionRow.user_id == row.id)
        if keep_session:
            ended = ended.where(SessionRow.token_hash != users._sha256(keep_session))
        s.execute(ended)


def account_of(db: Database, patient_id: str) -> dict[str, object]:
    """The patient's own account, as their clinician's page shows it: {"exists": False} or its name,
    creation and whether the first sign-in is done (the caller has already read the record)."""
    with db.session() as s:
        found = s.execute(
            select(
                UserRow.username,
                UserRow.disabled,
                PatientAccountRow.created_at,
                PatientAccountRow.must_set_password,
            )
            .join(PatientAccountRow, PatientAccountRow.user_id == UserRow.id)
            .where(PatientAccountRow.patient_id == patient_id)
        ).first()
    if found is None:
        return {"exists": False}
    username, disabled, created_at, must_set = found
    return {"exists": True, "username": username, "disabled": disabled,
            "created_at": created_at.isoformat(timespec="minutes"), "signed_in": not must_set}  # fmt: skip
