"""The administrator's view of the accounts (docs/SECURITY.md "Accounts on the web"): every account
with its role, centres, whether it is a patient's own account, its state and dates, filtered by role,
centre and state; and an account's recent account-audit entries. The changes themselves are made by
the services the CLI calls (users.add_user, changes.set_scope, changes.reset_password,
users.set_disabled): the page and the command line are one path.

A patient's own account is shown as such, with its centre, never with its record's id: the
administrator role sees no patient record (docs/SECURITY.md "Roles"); the clinician's page names it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from oncofed.domain.actor import Role
from oncofed.errors import N_, InputError
from oncofed.services.accounts import users
from oncofed.store import audit, audit_words
from oncofed.store.db import Database
from oncofed.store.models_trust import AuditRow

COLUMNS = [
    "username",
    "name",
    "role",
    "centre_ids",
    "patient_account",
    "disabled",
    "last_login_at",
    "created_at",
]
EVENT_LIMIT = 50
STATES = ("enabled", "disabled")


def account_json(user: users.User) -> dict[str, Any]:
    """One account as the page, the API and the CSV give it (never a password or a record id)."""
    return {
        "username": user.username,
        "name": user.display_name,
        "role": user.role.value,
        "centre_ids": list(user.centre_ids),
        "patient_account": user.role is Role.PATIENT,
        "disabled": user.disabled,
        "last_login_at": user.last_login_at.isoformat(timespec="seconds") if user.last_login_at else None,
        "created_at": user.created_at.isoformat(timespec="seconds"),
    }


def csv_row(account: dict[str, Any]) -> dict[str, Any]:
    return {**account, "centre_ids": " ".join(account["centre_ids"])}


def accounts(
    db: Database, *, role: str | None = None, centre: str | None = None, state: str | None = None
) -> list[dict[str, Any]]:
    """Every account (users.list_users), kept when it has `role`, works for `centre` and is in `state`
    ("enabled" / "disabled"); an empty filter keeps all. An unknown role or state is an InputError."""
    wanted_role = users.parse_role(role) if role else None
    if state and state not in STATES:
        raise InputError(
            N_("unknown account state %(value)s"),
            field="state",
            fix=N_("use one of: %(states)s"),
            code="account.unknown_state",
            params={"value": repr(state), "states": list(STATES)},
        )
    out = []
    for user in users.list_users(db):
        if wanted_role is not None and user.role is not wanted_role:
            continue
        if centre and centre not in user.centre_ids:
            continue
        if state and user.disabled != (state == "disabled"):
            continue
        out.append(account_json(user))
    return out


def account(db: Database, username: str) -> dict[str, Any]:
    """One account (NotFound naming the command that lists them)."""
    return account_json(users.get_user(db, username))


def events(db: Database, username: str, limit: int = EVENT_LIMIT) -> list[dict[str, Any]]:
    """The account-management entries about `username`, newest first: its creation, role and centre
    changes, password resets, its own password changes, disabling, tokens (account_audit.py; their
    detail names the account). The SQL `contains` narrows, the decoded parameter decides."""
    name = users.get_user(db, username).username
    stmt = (
        select(*[getattr(AuditRow, c) for c in audit.AUDIT_COLUMNS])
        .where(AuditRow.action.startswith("account.", autoescape=True))
        .where(AuditRow.detail.contains(name, autoescape=True))
        .order_by(AuditRow.seq.desc())
        .limit(limit * 4)
    )
    out = []
    with db.engine.connect() as conn:
        for found in conn.execute(stmt).mappings():
            row = dict(found)
            coded = audit_words.decode(row["detail"] or "")
            if not coded or coded["params"].get("user") != name:
                continue
            row.update(
                detail=audit_words.english(row["detail"]),
                detail_code=coded["code"],
                detail_params=coded["params"],
                request=coded.get("request") or "",
            )  # fmt: skip  (as audit.search gives an entry)
            out.append(row)
    return out[:limit]
