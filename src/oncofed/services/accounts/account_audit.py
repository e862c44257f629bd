"""Every change to an account is an audit entry (docs/SECURITY.md "Account management"): who did it
(the actor), to whom (the account, its role and centres), what changed (never a password or its hash),
in the same database transaction as the change. The DPO answers "who gave this person access, when"
from `/audit` (action `account.*`). The write functions of `services/accounts/` take the actor as a
required argument and call `record` here; `tests/test_account_audit.py` fails if a function that
writes the users table does not."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from oncofed.domain.actor import Actor
from oncofed.store import audit, audit_words
from oncofed.store.models_trust import UserRow

# action -> the detail's code (store/audit_words.py); labels in presenters/labels.py "audit_action"
ACTIONS = {
    "account.create": "account.create",
    "account.scope": "account.scope",
    "account.password_reset": "account.password_reset",
    "account.password_own": "account.password_own",
    "account.disable": "account.disable",
    "account.enable": "account.enable",
    "account.token": "account.token",
}


def record(s: Session, actor: Actor, action: str, row: UserRow, **params: Any) -> None:
    """Queue the entry for `action` on account `row` (appended when `s`'s transaction ends). The
    account's centres are the entry's centres, so a centre's DPO finds its staff's changes."""
    if not audit.audited(actor):  # the platform's own jobs (demo build) only
        return
    assert "password" not in params and "password_hash" not in params
    detail = audit_words.coded(
        ACTIONS[action],
        user=row.username,
        role=row.role,
        centres=" ".join(row.centre_ids or ()) or "-",
        **params,
    )
    event = audit.event_for(actor, action, detail=detail)
    event.centre_ids = " ".join(sorted(row.centre_ids or ()))
    audit.record_read(s, event)
