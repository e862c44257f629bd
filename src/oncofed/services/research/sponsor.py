"""The sponsor's portfolio: which trials the network sponsors (flagged at import, from the registry's
lead sponsor, or by a trial manager) and each site's milestones (imported from CSV or entered)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Role
from oncofed.errors import N_, NN_, InputError, NotFound, part
from oncofed.ingest import tabular
from oncofed.ingest.publications import milestones as milestone_csv
from oncofed.ingest.trials.sites import SiteMapper, normalise
from oncofed.research.activation import MILESTONES, ORDER, order_problems
from oncofed.services.network.centres import list_centres
from oncofed.store.db import Database
from oncofed.store.models import TrialRow, TrialSiteRow
from oncofed.store.models_research import SiteMilestoneRow, SponsoredTrialRow

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


@dataclass
class MilestoneImport:
    source: str
    rows: int = 0
    milestones: int = 0
    trials_flagged: list[str] = field(default_factory=list)
    rejected: list[tabular.Reject] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "milestones": self.milestones,
            "trials_flagged": self.trials_flagged,
            "rejected": [r.as_dict() for r in self.rejected],
        }


def _site_index(session: Session, trial_ids: set[str]) -> dict[str, dict[str, tuple[str, str | None]]]:
    """trial -> normalised name / centre id / facility -> (site key, centre id)."""
    out: dict[str, dict[str, tuple[str, str | None]]] = {}
    rows = session.execute(
        select(TrialSiteRow.trial_id, TrialSiteRow.centre_id, TrialSiteRow.facility).where(
            TrialSiteRow.trial_id.in_(trial_ids)
        )
    ).all()
    for tid, cid, facility in rows:
        key = cid or facility
        index = out.setdefault(tid, {})
        index[normalise(facility)] = (key, cid)
        if cid:
            index[cid] = (key, cid)
    return out


def resolve_site(
    index: dict[str, tuple[str, str | None]], mapper: SiteMapper, site: str
) -> tuple[str, str | None] | None:
    if site in index:
        return index[site]
    if normalise(site) in index:
        return index[normalise(site)]
    cid = mapper.centre_for(site, "", "France")
    if cid and cid in index:
        return index[cid]
    return None


def import_milestones(
    db: Database, actor: Actor, path: Path, *, strict: bool = False, today: date | None = None
) -> MilestoneImport:
    """Read a milestone CSV: every accepted row's trial is flagged as sponsored and its dates are
    stored (replacing that site's earlier dates for the same milestones); every refused row is
    reported by line. `strict`: one refused row refuses the whole file. One transaction."""
    check_sponsor_role(actor)
    today = today or date.today()
    source = str(path)
    try:
        text = tabular.decode(path.read_bytes(), source)
    except OSError as exc:
        raise InputError(
            N_("cannot read the file: %(detail)s"),
            file=source,
            fix=N_("check the path"),
            code="file.unreadable",
            params={"detail": exc.strerror or str(exc)},
        ) from exc
    items = list(milestone_csv.read(text, source))
    report = MilestoneImport(path.name)
    lines = [x for x in items if isinstance(x, milestone_csv.MilestoneLine)]
    report.rejected = [x for x in items if isinstance(x, tabular.Reject)]
    mapper = SiteMapper(list_centres(db))
    with db.session() as s:
        known = set(s.scalars(select(TrialRow.id).where(TrialRow.id.in_({x.trial_id for x in lines}))))
        sites = _site_index(s, known)
        accepted = []
        for x in lines:
            if x.trial_id not in known:
                report.rejected.append(
                    tabular.Reject(
                        x.line,
                        "trial_id",
                        f"no trial {x.trial_id!r} in the registry",
                        "import the trial first (oncofed import trials)",
                        x.trial_id,
                    )
                )
                continue
            where = resolve_site(sites.get(x.trial_id, {}), mapper, x.site)
            if where is None:
                listed = sorted({k for k, _ in sites.get(x.trial_id, {}).values()})
                report.rejected.append(
                    tabular.Reject(
                        x.line,
                        "site",
                        f"{x.site!r} is not a site of {x.trial_id}",
                        "use a centre id or facility of the trial: "
                        + (", ".join(listed[:12]) or "(the trial lists no site)"),
                        x.trial_id,
                    )
                )
                continue
            problems = order_problems(x.dates)
            late = [m for m, d in x.dates.items() if d > today]
            if problems or late:
                reason = (
                    "; ".join(problems) if problems else f"{late[0]} is after today ({today.isoformat()})"
                )
                report.rejected.append(
                    tabular.Reject(
                        x.line,
                        problems and "(order)" or late[0],
                        reason,
                        "correct the dates (milestones are dates reached)",
                        x.trial_id,
                    )
                )
                continue
            accepted.append((x, where))
        report.rejected.sort(key=lambda r: r.line)  # in file order
        if strict and report.rejected:
            raise InputError(
                NN_(
                    "%(num)s row refused; nothing was imported (--strict): %(first)s",
                    "%(num)s rows refused; nothing was imported (--strict): %(first)s",
                ),
                file=source,
                fix=N_("correct the rows named above, or import without --strict to keep the good rows"),
                code="research.rows_refused",
                params={"num": len(report.rejected), "first": str(report.rejected[0])},
            )
        now = utcnow()
        for x, (key, cid) in accepted:
            for m, d in x.dates.items():
                _upsert(s, x.trial_id, key, cid, m, d, source=path.name, user=actor.user_id, now=now)
                report.milestones += 1
            report.rows += 1
            if s.get(SponsoredTrialRow, x.trial_id) is None and x.trial_id not in report.trials_flagged:
                s.add(
                    SponsoredTrialRow(
                        trial_id=x.trial_id, source="import", set_by=actor.user_id, set_at=now, note=path.name
                    )
                )
                report.trials_flagged.append(x.trial_id)
    return report


def _upsert(
    s: Session,
    trial_id: str,
    key: str,
    cid: str | None,
    milestone: str,
    on: date,
    *,
    source: str,
    user: str,
    now: datetime,
) -> None:
    row = s.scalar(
        select(SiteMilestoneRow).where(
            SiteMilestoneRow.trial_id == trial_id,
            SiteMilestoneRow.site_key == key,
            SiteMilestoneRow.milestone == milestone,
        )
    )
    if row is None:
        s.add(
            SiteMilestoneRow(
                trial_id=trial_id,
                site_key=key,
                centre_id=cid,
                milestone=milestone,
                reached_on=on,
                source=source,
                updated_by=user,
                updated_at=now,
            )
        )
    else:
        row.reached_on, row.source, row.updated_by, row.updated_at = on, source, user, now


def order_said(dates: dict[str, date]) -> list[dict[str, Any]]:
    """The milestones out of order at one site (as `activation.order_problems` finds them), each a coded
    part naming both milestones and their dates, said in the reader's language (the milestones by their
    labels, the dates as the language writes them)."""
    return [
        part(
            N_("%(later)s (%(later_day)s) is before %(earlier)s (%(earlier_day)s)"),
            later=later,
            later_day=dates[later],
            earlier=earlier,
            earlier_day=dates[earlier],
        )
        for earlier, later in ORDER
        if earlier in dates and later in dates and dates[later] < dates[earlier]
    ]


def set_milestone(
    db: Database,
    actor: Actor,
    trial_id: str,
    site: str,
    milestone: str,
    on: date | None,
    *,
    today: date | None = None,
) -> None:
    """Enter (or clear, with `on=None`) one milestone of one site from the page; the site's dates must
    stay in order. Entering a milestone flags the trial as sponsored."""
    check_sponsor_role(actor)
    today = today or date.today()
    if milestone not in MILESTONES:
        raise InputError(
            N_("unknown milestone %(milestone)s"),
            field="milestone",
            fix=N_("use one of: %(milestones)s"),
            code="research.unknown_milestone",
            params={"milestone": repr(milestone), "milestones": list(MILESTONES)},
        )
    with db.session() as s:
        if s.get(TrialRow, trial_id) is None:
            raise NotFound(
                N_("no trial %(trial)s"),
                fix=N_("see /trials"),
                code="trial.unknown",
                params={"trial": repr(trial_id)},
            )
        where = resolve_site(_site_index(s, {trial_id}).get(trial_id, {}), SiteMapper(list_centres(db)), site)
        if where is None:
            raise InputError(
                N_("%(site)s is not a site of %(trial)s"),
                field="site",
                fix=N_("choose one of the trial's sites"),
                code="research.not_a_site",
                params={"site": repr(site), "trial": trial_id},
            )
        key, cid = where
        rows = s.scalars(
            select(SiteMilestoneRow).where(
                SiteMilestoneRow.trial_id == trial_id, SiteMilestoneRow.site_key == key
            )
        ).all()
        dates = {r.milestone: r.reached_on for r in rows}
        if on is None:
            s.execute(
                delete(SiteMilestoneRow).where(
                    SiteMilestoneRow.trial_id == trial_id,
                    SiteMilestoneRow.site_key == key,
                    SiteMilestoneRow.milestone == milestone,
                )
            )
            return
        if on > today:
            raise InputError(
                N_("%(day)s is after today"),
                field=milestone,
                fix=N_("enter the date the milestone was reached"),
                code="research.milestone_future",
                params={"day": on},
            )
        dates[milestone] = on
        problems = order_problems(dates)
        if problems:
            raise InputError(
                N_("the milestones are out of order: %(problems)s"),
                field=milestone,
                fix=N_("correct this date or the site's other milestones"),
                code="research.milestone_order",
                params={"problems": order_said(dates)},
            )
        now = utcnow()
        _upsert(s, trial_id, key, cid, milestone, on, source="page", user=actor.user_id, now=now)
        if s.get(SponsoredTrialRow, trial_id) is None:
            s.add(
                SponsoredTrialRow(
                    trial_id=trial_id,
                    source="manual",
                    set_by=actor.user_id,
                    set_at=now,
                    note="milestone entered",
                )
            )
