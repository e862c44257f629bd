"""The sponsor's portfolio: which trials the network sponsors (flagged at import, from the registry's
lead sponsor, or by a trial manager), and who may change it. Each site's milestones (imported from CSV
or entered): `services/research/milestones.py`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.ingest.trials.sites import SiteMapper, normalise
from oncofed.services.network.centres import list_centres
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from oncofed.store.models_research import SponsoredTrialRow

SPONSOR_ROLES = frozenset({Role.TRIAL_MANAGER, Role.ADMIN, Role.SYSTEM})


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def check_sponsor_role(actor: Actor) -> None:
    if actor.role not in SPONSOR_ROLES:
        raise InputError(
            N_("the %(role)s role cannot change the sponsor's portfolio"),
            fix=N_("ask a trial manager of the network"),
            code="research.portfolio_role",
            params={"role": actor.role.value},
        )


def sponsored_ids(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(SponsoredTrialRow.trial_id).order_by(SponsoredTrialRow.trial_id)))


def set_sponsored(
    db: Database,
    actor: Actor,
    trial_id: str,
    sponsored: bool = True,
    *,
    source: str = "manual",
    note: str = "",
) -> bool:
    """Flag (or unflag) a trial; returns whether anything changed."""
    check_sponsor_role(actor)
    with db.session() as s:
        if s.get(TrialRow, trial_id) is None:
            raise NotFound(
                N_("no trial %(trial)s in the registry"),
                fix=N_("import it first: oncofed import trials FILE"),
                code="trial.not_in_registry",
                params={"trial": repr(trial_id)},
            )
        row = s.get(SponsoredTrialRow, trial_id)
        if sponsored and row is None:
            s.add(
                SponsoredTrialRow(
                    trial_id=trial_id, source=source, set_by=actor.user_id, set_at=utcnow(), note=note
                )
            )
            return True
        if not sponsored and row is not None:
            s.delete(row)
            return True
        return False


def flag_from_registry(db: Database, actor: Actor, sponsor_names: Iterable[str]) -> list[str]:
    """Flag every trial whose registry lead sponsor is one of `sponsor_names` (the federation's own
    names, matched after normalisation) or one of the network's centres; returns the new ids."""
    check_sponsor_role(actor)
    wanted = {normalise(n) for n in sponsor_names if n}
    mapper = SiteMapper(list_centres(db))
    added = []
    with db.session() as s:
        already = set(s.scalars(select(SponsoredTrialRow.trial_id)))
        for tid, sponsor in s.execute(select(TrialRow.id, TrialRow.sponsor)).all():
            if tid in already or not sponsor:
                continue
            if normalise(sponsor) in wanted or mapper.centre_for(sponsor, "", "France"):
                s.add(
                    SponsoredTrialRow(
                        trial_id=tid,
                        source="registry",
                        set_by=actor.user_id,
                        set_at=utcnow(),
                        note=sponsor[:300],
                    )
                )
                added.append(tid)
    return added


# the sites' milestones (import from CSV, entry on the page) live in services/research/milestones.py; the names
# callers imported from here still resolve (PEP 562), the module imported only when one is asked for
_MOVED = frozenset({"MilestoneImport", "import_milestones", "order_said", "resolve_site", "set_milestone"})


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from oncofed.services.research import milestones

        return getattr(milestones, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
