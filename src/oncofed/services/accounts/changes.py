"""An administrator changing a staff account's role and centre scope, or any account's password (a new
one-time password, shown once; a patient's own account too, as their clinician can). Each change is an audit entry in the same transaction, naming who
did it, the account, and what changed — never the password (account_audit.py)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from oncofed.domain.actor import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.services.accounts import account_audit, guards, users
from oncofed.store.db import Database
from oncofed.store.models_patient_space import PatientAccountRow
from oncofed.store.models_trust import ApiTokenRow, SessionRow, UserRow


def _staff_row(s: Session, username: str) -> UserRow:
    row = users.existing(s, username)
    if row.role == Role.PATIENT.value:
        raise InputError(
            N_("%(username)s is a patient's own account: its record and centre do not change"),
            field="username",
            fix=N_("disable it (`oncofed users disable NAME`); its clinician can open a new one"),
            code="account.patient_fixed",
            params={"username": repr(row.username)},
        )
    return row


def set_scope(
    db: Database, username: str, *, actor: Actor, role: str | Role | None, centre_ids: list[str] | None
) -> users.User:
    """Give `username` another role and/or centres (None: unchanged). A role change or a narrower
    scope ends the account's sessions and revokes its tokens (they carried the old rights)."""
    new_role = users.parse_role(role) if isinstance(role, str) else role
    if new_role is Role.PATIENT:
        raise InputError(
            N_("a staff account cannot become a patient account"),
            field="role",
            fix=N_("create the patient's own account from their record"),
            code="account.patient_fixed",
        )
    with db.session() as s:
        row = _staff_row(s, username)
        before_role, before_centres = row.role, list(row.centre_ids or ())
        target_role = new_role or Role(row.role)
        centres = list(dict.fromkeys(centre_ids)) if centre_ids is not None else before_centres
        network_role = target_role not in users.CENTRE_ROLES | users.OPTIONAL_CENTRE_ROLES
        if new_role is not None and centre_ids is None and network_role:
            centres = []  # a network role takes no centre
        users._check_scope(s, target_role, centres)
        if target_role.value != before_role:
            guards.keep_an_administrator(s, row)
        if target_role.value == before_role and centres == before_centres:
            raise InputError(
                N_("nothing to change: %(username)s already has this role and these centres"),
                field="role",
                fix=N_("give --role or --centre with a new value"),
                code="account.no_change",
                params={"username": repr(row.username)},
            )
        row.role, row.centre_ids = target_role.value, centres
        if target_role.value != before_role or not set(centres) >= set(before_centres):
            s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
            for tok in s.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == row.id)):
                tok.revoked = True
        account_audit.record(
            s, actor, "account.scope", row,
            before_role=before_role, before_centres=" ".join(before_centres) or "-",
        )  # fmt: skip
        return users._user(row, s)


def reset_password(db: Database, username: str, *, actor: Actor, password: str | None = None) -> str:
    """A new password for an account (`password`, or a random one-time password returned to be handed
    over); the account's sessions end. A patient's own account given a one-time password asks the
    patient for their own again at the next sign-in. Audited without the password. The CLI
    (`oncofed users reset-password`), the administrator's page and the clinician's (through
    `patients.reset_patient_password`) all come here."""
    from oncofed.services.accounts.patients import one_time_password

    secret = password if password is not None else one_time_password()
    hashed = users.hash_password(secret)
    with db.session() as s:
        row = users.existing(s, username)
        reset_in(s, row, actor=actor, password_hash=hashed, one_time=password is None)
    return secret


def reset_in(s: Session, row: UserRow, *, actor: Actor, password_hash: str, one_time: bool) -> None:
    """Give `row` the new hash in `s`'s transaction: its sessions end, the reset is an audit entry; a
    patient's account given a one-time password waits for the patient's own password again; so does
    a staff account (`UserRow.must_change_password`)."""
    row.password_hash = password_hash
    bound = s.get(PatientAccountRow, row.id)
    if bound is not None and one_time:
        bound.must_set_password = True
    if bound is None:  # a staff account: a one-time password is replaced at the next sign-in
        row.must_change_password = one_time
    s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
    account_audit.record(s, actor, "account.password_reset", row)
