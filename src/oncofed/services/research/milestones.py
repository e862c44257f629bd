"""Each site's milestones of the sponsor's trials: imported from a CSV (every refused row said with its
code, `ingest.tabular.Reject`) or entered on the page, kept in order; entering one flags the trial as
sponsored (`services/research/sponsor.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor
from oncofed.errors import N_, NN_, InputError, NotFound, part
from oncofed.ingest import tabular
from oncofed.ingest.publications import milestones as milestone_csv
from oncofed.ingest.trials.sites import SiteMapper, normalise
from oncofed.research.activation import MILESTONES, ORDER, order_problems
from oncofed.services.network.centres import list_centres
from oncofed.services.research.sponsor import check_sponsor_role, utcnow
from oncofed.store.db import Database
from oncofed.store.models import TrialRow, TrialSiteRow
from oncofed.store.models_research import SiteMilestoneRow, SponsoredTrialRow


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
                    tabular.Reject.coded(
                        x.line,
                        "trial_id",
                        N_("no trial %(trial)r in the registry"),
                        N_("import the trial first (`oncofed import trials`)"),
                        "research.unknown_trial",
                        x.trial_id,
                        trial=x.trial_id,
                    )  # fmt: skip
                )
                continue
            where = resolve_site(sites.get(x.trial_id, {}), mapper, x.site)
            if where is None:
                listed = sorted({k for k, _ in sites.get(x.trial_id, {}).values()})
                report.rejected.append(
                    tabular.Reject.coded(
                        x.line,
                        "site",
                        N_("%(site)r is not a site of %(trial)s"),
                        N_("use a centre id or facility of the trial: %(sites)s")
                        if listed
                        else N_("use a centre id or facility of the trial (the trial lists no site)"),
                        "research.not_a_site",
                        x.trial_id,
                        site=x.site,
                        trial=x.trial_id,
                        sites=listed[:12],
                    )  # fmt: skip
                )
                continue
            problems = order_problems(x.dates)
            late = [m for m, d in x.dates.items() if d > today]
            if problems or late:
                fix = N_("correct the dates (milestones are dates reached)")
                report.rejected.append(
                    tabular.Reject.coded(
                        x.line,
                        "(order)",
                        N_("out of order: %(problems)s"),
                        fix,
                        "research.order",
                        x.trial_id,
                        problems=order_said(x.dates),
                    )  # fmt: skip
                    if problems
                    else tabular.Reject.coded(
                        x.line,
                        late[0],
                        N_("%(later)s is after today (%(day)s)"),
                        fix,
                        "research.milestone_late",
                        x.trial_id,
                        later=late[0],
                        day=today,
                    )  # fmt: skip
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
                params={"num": len(report.rejected), "first": report.rejected[0].part()},
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
