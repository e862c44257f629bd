"""The sponsor's view of its trials: sites and their milestones, activation times per site and per
step with medians and the slowest step, inclusions per site and month against target (from the
recruitment projections), and where screen failures come from (see `screen_failures`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import func, select

from oncofed.research.activation import (
    MILESTONES,
    STEPS,
    TOTAL,
    months_against_target,
    order_problems,
    slowest_step,
    step_days,
    summarise,
)
from oncofed.services.recruitment.projections import trial_recruitment
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from oncofed.store.models_prescreen import EnrolmentRow
from oncofed.store.models_research import SiteMilestoneRow, SponsoredTrialRow

STEP_NAMES = (*STEPS, TOTAL)


def _milestones(db: Database, trial_ids: list[str]) -> dict[str, dict[str, dict[str, date]]]:
    """trial -> site key -> milestone -> date, with first inclusion taken from the enrolments when
    nobody entered it (marked by `_first_from_enrolments`)."""
    out: dict[str, dict[str, dict[str, date]]] = defaultdict(dict)
    with db.session() as s:
        for tid, key, m, on in s.execute(
            select(
                SiteMilestoneRow.trial_id,
                SiteMilestoneRow.site_key,
                SiteMilestoneRow.milestone,
                SiteMilestoneRow.reached_on,
            ).where(SiteMilestoneRow.trial_id.in_(trial_ids))
        ):
            out[tid].setdefault(key, {})[m] = on
    return out


def _first_enrolments(db: Database, trial_ids: list[str]) -> dict[tuple[str, str], date]:
    with db.session() as s:
        rows = s.execute(
            select(EnrolmentRow.trial_id, EnrolmentRow.site_key, func.min(EnrolmentRow.enrolled_on))
            .where(EnrolmentRow.trial_id.in_(trial_ids))
            .group_by(EnrolmentRow.trial_id, EnrolmentRow.site_key)
        ).all()
    return {(t, k): d for t, k, d in rows}


def _with_enrolments(dates: dict[str, date], first: date | None) -> tuple[dict[str, date], bool]:
    if (
        "first_inclusion" not in dates
        and first is not None
        and "opening" in dates
        and first >= dates["opening"]
    ):
        return {**dates, "first_inclusion": first}, True
    return dates, False


def portfolio(db: Database, as_of: date | None = None) -> dict[str, Any]:
    """Every sponsored trial: sites, sites open, median activation, slowest step, inclusions."""
    as_of = as_of or date.today()
    with db.session() as s:
        rows = s.execute(
            select(
                SponsoredTrialRow.trial_id,
                SponsoredTrialRow.source,
                TrialRow.title,
                TrialRow.status,
                TrialRow.enrolment,
            )
            .join(TrialRow, TrialRow.id == SponsoredTrialRow.trial_id)
            .order_by(SponsoredTrialRow.trial_id)
        ).all()
    ids = [r[0] for r in rows]
    milestones = _milestones(db, ids)
    firsts = _first_enrolments(db, ids)
    enrolled: dict[str, int] = defaultdict(int)
    with db.session() as s:
        for tid, n in s.execute(
            select(EnrolmentRow.trial_id, func.count())
            .where(EnrolmentRow.trial_id.in_(ids))
            .group_by(EnrolmentRow.trial_id)
        ):
            enrolled[tid] = int(n)
    trials = []
    all_steps: list[dict[str, int]] = []
    for tid, source, title, status, target in rows:
        per_site = []
        for key, dates in milestones.get(tid, {}).items():
            dates, _ = _with_enrolments(dates, firsts.get((tid, key)))
            per_site.append(step_days(dates))
        all_steps += per_site
        summary = summarise(per_site)
        total = next(x for x in summary if x.step == TOTAL)
        sites_open = sum(
            1
            for d in milestones.get(tid, {}).values()
            if "opening" in d and "closing" not in d and d["opening"] <= as_of
        )
        trials.append(
            {
                "trial_id": tid,
                "title": title,
                "status": status,
                "flagged_by": source,
                "sites_with_milestones": len(milestones.get(tid, {})),
                "sites_open": sites_open,
                "median_activation_days": total.median,
                "activation_sites": total.sites,
                "slowest_step": slowest_step(summary),
                "enrolled": enrolled.get(tid, 0),
                "target": target,
            }
        )
    network = summarise(all_steps)
    return {
        "as_of": as_of.isoformat(),
        "trials": trials,
        "steps": [asdict(x) for x in network],
        "slowest_step": slowest_step(network),
    }


SITE_COLUMNS = [
    "site",
    "centre_id",
    *MILESTONES,
    "first_inclusion_from",
    *[f"{s}_days" for s in STEP_NAMES],
    "problems",
]


def trial_portfolio(db: Database, trial_id: str, as_of: date | None = None) -> dict[str, Any]:
    """One sponsored (or not yet flagged) trial: per site milestones and step days, medians and the
    slowest step, and each site's inclusions per month against its target."""
    as_of = as_of or date.today()
    rec = trial_recruitment(db, trial_id, as_of)  # NotFound for an unknown trial
    with db.session() as s:
        flag = s.get(SponsoredTrialRow, trial_id)
        sponsored = (
            None
            if flag is None
            else {
                "source": flag.source,
                "set_by": flag.set_by,
                "set_at": flag.set_at.isoformat(timespec="minutes"),
            }
        )
    milestones = _milestones(db, [trial_id]).get(trial_id, {})
    firsts = _first_enrolments(db, [trial_id])
    sites = []
    per_site_steps = []
    months = []
    for sp in rec.sites:
        key = sp.site_key
        entered = milestones.get(key, {})
        dates, from_enrolments = _with_enrolments(entered, firsts.get((trial_id, key)))
        steps = step_days(dates)
        per_site_steps.append(steps)
        row: dict[str, Any] = {
            "site": sp.name,
            "site_key": key,
            "centre_id": sp.centre_id,
            "status": sp.status,
        }
        for m in MILESTONES:
            row[m] = dates[m].isoformat() if m in dates else None
        row["first_inclusion_from"] = (
            "enrolments" if from_enrolments else ("entered" if "first_inclusion" in dates else None)
        )
        for step in STEP_NAMES:
            row[f"{step}_days"] = steps.get(step)
        row["problems"] = "; ".join(order_problems(dates))
        row["slowest_step"] = max(
            ((k, v) for k, v in steps.items() if k != TOTAL), key=lambda kv: kv[1], default=(None, 0)
        )[0]
        sites.append(row)
        against = months_against_target(
            sp.monthly, sp.target, dates.get("opening"), rec.trial.completion_date, as_of
        )
        for mo in against.months:
            months.append(
                {
                    "site": sp.name,
                    "centre_id": sp.centre_id,
                    "month": mo.month,
                    "enrolled": mo.enrolled,
                    "cumulative": mo.cumulative,
                    "target": sp.target,
                    "expected": mo.expected,
                    "on_track": mo.on_track,
                }
            )
        row["target"] = sp.target
        row["enrolled"] = sp.enrolled
        row["behind"] = sp.behind
        row["months_note"] = against.note
    summary = summarise(per_site_steps)
    return {
        "trial_id": trial_id,
        "title": rec.trial.title,
        "status": rec.trial.status.value,
        "sponsored": sponsored,
        "as_of": as_of.isoformat(),
        "planned_completion": rec.trial.completion_date.isoformat() if rec.trial.completion_date else None,
        "target": rec.target,
        "enrolled": rec.enrolled,
        "sites": sites,
        "steps": [asdict(x) for x in summary],
        "slowest_step": slowest_step(summary),
        "months": months,
        "warnings": rec.warnings,
    }


STEP_COLUMNS = ["step", "sites", "median", "q1", "q3", "minimum", "maximum"]
MONTH_COLUMNS = ["site", "centre_id", "month", "enrolled", "cumulative", "target", "expected", "on_track"]
PORTFOLIO_COLUMNS = [
    "trial_id",
    "title",
    "status",
    "flagged_by",
    "sites_with_milestones",
    "sites_open",
    "median_activation_days",
    "activation_sites",
    "slowest_step",
    "enrolled",
    "target",
]
