"""Guards that keep the network manageable (docs/SECURITY.md "Accounts on the web"): the last enabled
administrator is never disabled nor given another role, and nobody disables their own account (`users.set_disabled`, `changes.set_scope`: the
CLI and the administrator's page both come through them)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oncofed.domain.actor import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.store.models_trust import UserRow


def keep_an_administrator(s: Session, row: UserRow) -> None:
    """Refuse a change that takes away `row`'s administration (disabling it, another role) when it is
    the last enabled administrator: nobody could then manage accounts on the web or give one back."""
    if row.role != Role.ADMIN.value or row.disabled:
        return
    others = s.scalar(
        select(func.count())
        .select_from(UserRow)
        .where(UserRow.role == Role.ADMIN.value, UserRow.disabled.is_(False), UserRow.id != row.id)
    )
    if not others:
        raise InputError(
            N_("%(username)s is the last enabled administrator"),
            field="username",
            fix=N_("create or enable another administrator first"),
            code="account.last_admin",
            params={"username": repr(row.username)},
        )


def may_disable(s: Session, actor: Actor, row: UserRow, actor_name: str) -> None:
    """Refuse disabling one's own account (`actor_name`: the actor's canonical username) or the last
    enabled administrator."""
    if actor_name == row.username:
        raise InputError(
            N_("you cannot disable your own account"),
            field="username",
            fix=N_("ask another administrator to do it"),
            code="account.disable_self",
        )
    keep_an_administrator(s, row)
