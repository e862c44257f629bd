"""Trial set-up at network centres: a trial manager opens an imported trial at one or more centres
(local status, principal investigator, contact, target, opening date). The CLI
(`oncofed trials open|close|setup`), the API (`/api/trial-setup/...`) and the page (`/trial-setup/...`)
call these functions. The set-up is applied to the trial's sites and effective status by the store
(store/trial_setup.py), so it survives re-imports of the registry file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from oncofed.domain import Actor, Role, TrialStatus
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.network.names import resolve_centre
from oncofed.store.db import Database
from oncofed.store.models import MetaRow, TrialRow, TrialSiteRow
from oncofed.store.models_workday import TrialSiteSetupRow
from oncofed.store.trial_setup import OVERRIDABLE, apply_setups, registry_status

SETUP_ROLES = frozenset({Role.TRIAL_MANAGER, Role.ADMIN, Role.SYSTEM})
LOCAL_STATUSES = (
    TrialStatus.RECRUITING,
    TrialStatus.NOT_YET_RECRUITING,
    TrialStatus.SUSPENDED,
    TrialStatus.ACTIVE_NOT_RECRUITING,
    TrialStatus.COMPLETED,
    TrialStatus.WITHDRAWN,
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+(). -]{6,30}$")
SETUP_COLUMNS = ["trial_id", "centre_id", "centre", "local_status", "principal_investigator", "contact_name",
                 "contact_email", "contact_phone", "target", "opening_date", "updated_by", "updated_at"]  # fmt: skip


@dataclass(frozen=True)
class SiteSetup:
    """What a trial manager enters for one centre."""

    centre: str  # id or name ("Gustave Roussy")
    local_status: str = TrialStatus.RECRUITING.value
    principal_investigator: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    target: int | None = None
    opening_date: date | None = None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def check_role(actor: Actor) -> None:
    if actor.role not in SETUP_ROLES:
        raise InputError(
            N_("your role (%(role)s) cannot set up trials"),
            field="role",
            fix=N_("sign in as a trial manager (or ask an administrator)"),
            code="setup.role",
            params={"role": actor.role.value},
        )


def _validate(setup: SiteSetup, registry: str) -> str:
    status = TrialStatus.parse(setup.local_status)
    if status not in LOCAL_STATUSES or not setup.local_status.strip():
        allowed = [s.value for s in LOCAL_STATUSES]
        raise InputError(
            N_("'%(text)s' is not a site status"),
            field="local_status",
            fix=N_("use one of: %(choices)s"),
            code="setup.status",
            params={"text": setup.local_status, "choices": allowed},
        )
    if setup.contact_email and not EMAIL_RE.match(setup.contact_email.strip()):
        raise InputError(
            N_("'%(email)s' is not an e-mail address"),
            field="contact_email",
            fix=N_("for example essais@centre.fr"),
            code="setup.email",
            params={"email": setup.contact_email},
        )
    if setup.contact_phone and not PHONE_RE.match(setup.contact_phone.strip()):
        raise InputError(
            N_("'%(text)s' is not a phone number"),
            field="contact_phone",
            fix=N_("for example +33 1 44 32 40 00"),
            code="setup.phone",
            params={"text": setup.contact_phone},
        )
    if setup.target is not None and not 0 < setup.target <= 100_000:
        raise InputError(
            N_("%(text)s is not a target"),
            field="target",
            fix=N_("a number of patients, for example 12"),
            code="setup.target",
            params={"text": str(setup.target)},
        )
    if status is TrialStatus.RECRUITING:
        if not setup.principal_investigator.strip():
            raise InputError(
                N_("a recruiting site needs its principal investigator"),
                field="principal_investigator",
                fix=N_("name the investigator who leads the trial at this centre"),
                code="setup.investigator",
            )
        if not (setup.contact_name or setup.contact_email or setup.contact_phone).strip():
            raise InputError(
                N_("a recruiting site needs a contact (name, e-mail or phone) for referring clinicians"),
                field="contact",
                fix=N_("give the research nurse's or the trial office's contact"),
                code="setup.contact",
            )
        if registry not in OVERRIDABLE and registry != TrialStatus.RECRUITING.value:
            raise InputError(
                N_("the registry says this trial is %(registry_status)s: it cannot recruit at a centre"),
                field="local_status",
                fix=N_("check the trial's registry record; import its current version if it has reopened"),
                code="setup.registry_closed",
                params={"registry_status": registry.replace("_", " ").lower()},
            )
    return status.value


def open_trial(db: Database, actor: Actor, trial_id: str, setup: SiteSetup) -> dict[str, Any]:
    """Create or update the set-up of `trial_id` at one centre; returns it as a dict."""
    check_role(actor)
    centre = resolve_centre(db, setup.centre, field="centre")
    with db.session() as s:
        row = s.get(TrialRow, trial_id, options=[selectinload(TrialRow.sites)])
        if row is None:
            raise NotFound(
                N_("no trial with id %(trial)s"),
                fix=N_(
                    "find its id with `oncofed trials search WORDS` (on the web: the trial registry page)"
                ),
                code="trial.unknown_id",
                params={"trial": repr(trial_id)},
            )
        status = _validate(setup, registry_status(row))
        found = s.get(TrialSiteSetupRow, (trial_id, centre.id))
        if found is None:
            found = TrialSiteSetupRow(trial_id=trial_id, centre_id=centre.id)
            s.add(found)
        found.local_status = status
        found.principal_investigator = setup.principal_investigator.strip()[:200]
        found.contact_name = setup.contact_name.strip()[:200]
        found.contact_email = setup.contact_email.strip()[:300]
        found.contact_phone = setup.contact_phone.strip()[:50]
        found.target = setup.target
        found.opening_date = setup.opening_date or (date.today() if status == "RECRUITING" else None)
        found.updated_by, found.updated_at = actor.user_id, _utcnow()
        s.flush()
        apply_setups(s, row)
        row.updated_at = func.now()
        _bump(s)
    return next(x for x in list_setups(db, trial_id) if x["centre_id"] == centre.id)


def _bump(s: Any) -> None:
    """Move the registry's version on (the search and match indexes are rebuilt on their next read)."""
    meta = s.get(MetaRow, "trials_version")
    stamp = _utcnow().isoformat()
    if meta is None:
        s.add(MetaRow(key="trials_version", value=stamp))
    else:
        meta.value = stamp


def list_setups(db: Database, trial_id: str | None = None) -> list[dict[str, Any]]:
    """The set-ups of one trial (or of every trial), with the centre's name."""
    from oncofed.store.models import CentreRow

    with db.session() as s:
        stmt = (
            select(TrialSiteSetupRow, CentreRow.name)
            .join(CentreRow, CentreRow.id == TrialSiteSetupRow.centre_id)
            .order_by(TrialSiteSetupRow.trial_id, CentreRow.name)
        )
        if trial_id is not None:
            stmt = stmt.where(TrialSiteSetupRow.trial_id == trial_id)
        return [
            {
                "trial_id": r.trial_id,
                "centre_id": r.centre_id,
                "centre": name,
                "local_status": r.local_status,
                "principal_investigator": r.principal_investigator,
                "contact_name": r.contact_name,
                "contact_email": r.contact_email,
                "contact_phone": r.contact_phone,
                "target": r.target,
                "opening_date": r.opening_date.isoformat() if r.opening_date else None,
                "updated_by": r.updated_by,
                "updated_at": r.updated_at.isoformat(timespec="seconds"),
            }  # fmt: skip
            for r, name in s.execute(stmt)
        ]


def registry_overview(db: Database, session: Session | None = None) -> dict[str, Any]:
    """Why a patient may find no open trial: trials per status, and how many recruit at a network centre
    (read in `session` when the caller holds one)."""
    with db.session_or(session) as s:
        by_status = {
            st: int(n) for st, n in s.execute(select(TrialRow.status, func.count()).group_by(TrialRow.status))
        }
        in_network = int(
            s.scalar(
                select(func.count(func.distinct(TrialSiteRow.trial_id)))
                .join(TrialRow, TrialRow.id == TrialSiteRow.trial_id)
                .where(
                    TrialSiteRow.centre_id.is_not(None),
                    TrialSiteRow.status == TrialStatus.RECRUITING.value,
                    TrialRow.status == TrialStatus.RECRUITING.value,
                )
            )
            or 0
        )
    total = sum(by_status.values())
    return {
        "trials": total,
        "by_status": dict(sorted(by_status.items())),
        "recruiting": by_status.get(TrialStatus.RECRUITING.value, 0),
        "unknown": by_status.get(TrialStatus.UNKNOWN.value, 0),
        "recruiting_at_network_centre": in_network,
    }


def explain_no_open_trial(overview: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(reason code, parameters) saying why no trial is open for matching, or ('', {}) when some are;
    the words are `label('wd_why', code, **parameters)` (presenters/labels.py)."""
    if overview["recruiting"]:
        return "", {}
    if not overview["trials"]:
        return "no_trials", {}
    return "none_open", {"num": overview["trials"], "unknown": overview["unknown"]}


def trials_to_set_up(db: Database, limit: int = 50) -> list[dict[str, Any]]:
    """Imported trials that recruit at no network centre yet (a trial manager's to-do list)."""
    with db.session() as s:
        open_here = select(TrialSiteRow.trial_id).where(
            TrialSiteRow.centre_id.is_not(None), TrialSiteRow.status == TrialStatus.RECRUITING.value
        )
        stmt = (
            select(TrialRow.id, TrialRow.title, TrialRow.status, TrialRow.source)
            .where(
                TrialRow.id.not_in(open_here),
                TrialRow.status.in_([*OVERRIDABLE, TrialStatus.RECRUITING.value]),
            )
            .order_by(TrialRow.updated_at.desc(), TrialRow.id)
            .limit(limit)
        )
        return [{"id": i, "title": t, "status": st, "source": src} for i, t, st, src in s.execute(stmt)]
