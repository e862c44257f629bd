"""Recruitment against targets: enrolment per site over time, projected completion, sites behind.

Model (stated on every page): accrual is a Poisson process. For the trial, the rate is estimated
from the last 180 days of enrolment (or since the first enrolment when shorter), with the Jeffreys
prior Gamma(1/2, 0) giving the posterior Gamma(1/2 + n, T) per day. The time to the R remaining
enrolments is then T_R = T * B' where B' follows a beta-prime(R, 1/2 + n) distribution (a Gamma
waiting time mixed over the Gamma posterior): its 5%, 50% and 95% quantiles give the projected
completion date and its 90% interval. Each site gets the same model on its own history; a site is
"behind" when it has fewer than 80% of the enrolments its target implies by now (target spread
evenly from activation to the trial's planned completion), and the probability that it reaches its
target by the planned completion date is the negative binomial tail of its posterior predictive.
Aggregates only: no patient identifiers leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from scipy import stats
from sqlalchemy import select

from oncofed.domain import Trial
from oncofed.store.db import Database
from oncofed.store.models_prescreen import EnrolmentRow
from oncofed.store.repositories import TrialRepository

PRIOR_SHAPE = 0.5  # Jeffreys prior for a Poisson rate
WINDOW_DAYS = 180
BEHIND_RATIO = 0.8
MODEL = (
    "Poisson accrual; rate posterior Gamma(1/2 + n, T) from the last 180 days (Jeffreys prior); "
    "time to the remaining enrolments ~ T x beta-prime(R, 1/2 + n); 5%-50%-95% quantiles."
)


@dataclass
class Projection:
    remaining: int
    rate_per_month: float | None
    median: date | None
    low: date | None  # 5%
    high: date | None  # 95%
    note: str = ""


@dataclass
class SiteProgress:
    site_key: str
    name: str
    centre_id: str | None
    status: str
    target: int | None
    enrolled: int
    first_enrolment: date | None
    expected_by_now: float | None
    behind: bool
    p_reach_target: float | None
    rate_per_month: float | None
    monthly: dict[str, int] = field(default_factory=dict)


@dataclass
class TrialRecruitment:
    trial: Trial
    as_of: date
    target: int | None
    target_source: str
    enrolled: int
    sites: list[SiteProgress]
    projection: Projection
    cumulative: list[tuple[date, int]]
    warnings: list[str]
    model: str = MODEL


def _posterior(dates: list[date], start: date | None, as_of: date) -> tuple[float, float] | None:
    """(shape, exposure days) of the Gamma rate posterior, or None without any exposure."""
    if start is None or start > as_of:
        return None
    window_start = max(start, as_of - timedelta(days=WINDOW_DAYS))
    exposure = (as_of - window_start).days + 1
    n = sum(1 for d in dates if window_start <= d <= as_of)
    return PRIOR_SHAPE + n, float(exposure)


def project(remaining: int, posterior: tuple[float, float] | None, as_of: date) -> Projection:
    if remaining <= 0:
        return Projection(0, None, as_of, as_of, as_of, "target reached")
    if posterior is None:
        return Projection(remaining, None, None, None, None, "no enrolment history yet: no projection")
    shape, exposure = posterior
    rate_month = shape / exposure * 30.44
    if shape <= PRIOR_SHAPE:
        note = "no enrolment in the last 180 days: the projection is very uncertain"
    else:
        note = ""
    q = stats.betaprime.ppf([0.05, 0.5, 0.95], remaining, shape) * exposure
    horizon = 365 * 100

    def day(x: float) -> date | None:
        return as_of + timedelta(days=int(round(x))) if x < horizon else None

    return Projection(remaining, round(rate_month, 2), day(q[1]), day(q[0]), day(q[2]), note)


def _p_reach(remaining: int, posterior: tuple[float, float] | None, days_left: int) -> float | None:
    """P(at least `remaining` enrolments in `days_left`) under the negative binomial predictive."""
    if remaining <= 0:
        return 1.0
    if posterior is None or days_left <= 0:
        return 0.0 if days_left <= 0 else None
    shape, exposure = posterior
    p = exposure / (exposure + days_left)
    return float(stats.nbinom.sf(remaining - 1, shape, p))


def trial_recruitment(db: Database, trial_id: str, as_of: date | None = None) -> TrialRecruitment:
    as_of = as_of or date.today()
    with db.session() as s:
        trial = TrialRepository(s).get(trial_id)
        rows = list(
            s.execute(
                select(EnrolmentRow.site_key, EnrolmentRow.enrolled_on).where(
                    EnrolmentRow.trial_id == trial_id, EnrolmentRow.enrolled_on <= as_of
                )
            )
        )
    by_site: dict[str, list[date]] = defaultdict(list)
    for key, on in rows:
        by_site[key].append(on)
    warnings: list[str] = []
    site_targets = [s.target_enrolment for s in trial.sites if s.target_enrolment]
    if trial.enrolment:
        target, source = trial.enrolment, "trial"
    elif site_targets:
        target, source = sum(site_targets), "sum of site targets"
        warnings.append("the trial has no overall target: the sum of the site targets is used")
    else:
        target, source = None, "none"
        warnings.append(
            "this trial has no enrolment target (neither overall nor per site): progress and projections "
            "need one; set the trial's planned enrolment or its sites' targets"
        )
    end = trial.completion_date
    if end is None:
        warnings.append("no planned completion date: sites cannot be judged behind schedule")
    sites: list[SiteProgress] = []
    known = set()
    for site in trial.sites:
        key = site.centre_id or site.facility
        known.add(key)
        dates = sorted(by_site.get(key, []))
        sites.append(
            _site_progress(
                trial,
                key,
                site.facility,
                site.centre_id,
                site.status.value,
                site.target_enrolment,
                dates,
                as_of,
            )
        )
    for key, dates in by_site.items():  # enrolments at a site no longer listed: never dropped
        if key not in known:
            sites.append(_site_progress(trial, key, key, None, "UNLISTED", None, sorted(dates), as_of))
            warnings.append(f"{len(dates)} enrolment(s) at {key}, which is no longer a site of the trial")
    all_dates = sorted(d for ds in by_site.values() for d in ds)
    enrolled = len(all_dates)
    cumulative: list[tuple[date, int]] = []
    for i, d in enumerate(all_dates, start=1):
        if cumulative and cumulative[-1][0] == d:
            cumulative[-1] = (d, i)
        else:
            cumulative.append((d, i))
    first = all_dates[0] if all_dates else None
    posterior = _posterior(all_dates, first, as_of)
    if target is None:
        proj = Projection(
            0,
            round(posterior[0] / posterior[1] * 30.44, 2) if posterior else None,
            None,
            None,
            None,
            "no target: accrual rate only",
        )
    else:
        proj = project(target - enrolled, posterior, as_of)
    if target and proj.median and end and proj.median > end:
        warnings.append(
            f"at the current rate the target is reached after the planned completion ({end.isoformat()})"
        )
    return TrialRecruitment(trial, as_of, target, source, enrolled, sites, proj, cumulative, warnings)


def _site_progress(
    trial: Trial,
    key: str,
    name: str,
    centre_id: str | None,
    status: str,
    target: int | None,
    dates: list[date],
    as_of: date,
) -> SiteProgress:
    first = dates[0] if dates else None
    activation = first or (trial.start_date if status == "RECRUITING" else None)
    posterior = _posterior(dates, activation, as_of)
    expected = None
    behind = False
    p_reach = None
    end = trial.completion_date
    if target and activation and end and end > activation:
        frac = min(1.0, max(0.0, (as_of - activation).days / (end - activation).days))
        expected = round(target * frac, 1)
        behind = len(dates) < BEHIND_RATIO * expected and status in ("RECRUITING", "UNLISTED")
        p_reach = _p_reach(target - len(dates), posterior, (end - as_of).days)
    monthly: dict[str, int] = defaultdict(int)
    for d in dates:
        monthly[d.strftime("%Y-%m")] += 1
    rate = round(posterior[0] / posterior[1] * 30.44, 2) if posterior and dates else None
    return SiteProgress(
        key,
        name,
        centre_id,
        status,
        target,
        len(dates),
        first,
        expected,
        behind,
        p_reach,
        rate,
        dict(monthly),
    )


def network_recruitment(db: Database, as_of: date | None = None) -> list[TrialRecruitment]:
    """Each trial that recruits or has enrolments (aggregates only), for the trial manager's network
    view (`presenters.recruitment.summary_json` gives its line)."""
    as_of = as_of or date.today()
    with db.session() as s:
        ids = [t.id for t in TrialRepository(s).list()]
        with_enrolments = set(s.scalars(select(EnrolmentRow.trial_id).distinct()))
    out = []
    for trial_id in ids:
        r = trial_recruitment(db, trial_id, as_of)
        if (
            r.trial.status.value not in ("RECRUITING", "ACTIVE_NOT_RECRUITING")
            and trial_id not in with_enrolments
        ):
            continue
        out.append(r)
    return out
