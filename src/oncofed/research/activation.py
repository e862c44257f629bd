"""Site activation of a sponsored trial: milestones, the time each step took, medians, the slowest
step, and inclusions per month against the site's target.

Milestones of a site, in order: selection, contract, approval (ethics / regulatory), opening, first
inclusion, closing. Contract and approval run in parallel after selection (either may come first),
so the steps are: selection -> contract, selection -> approval, the later of the two -> opening,
opening -> first inclusion; activation is selection -> opening. A step is measured only at sites
where both of its ends are known; medians come with quartiles and the number of sites."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

MILESTONES = ("selection", "contract", "approval", "opening", "first_inclusion", "closing")
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    # step: (milestones it starts from (the latest of them), milestone it ends at)
    "contract": (("selection",), "contract"),
    "approval": (("selection",), "approval"),
    "opening": (("contract", "approval"), "opening"),
    "first_inclusion": (("opening",), "first_inclusion"),
}
TOTAL = "activation"  # selection -> opening
# (earlier, later) pairs that must be in this order at a site; contract and approval may swap
ORDER = (
    ("selection", "contract"),
    ("selection", "approval"),
    ("selection", "opening"),
    ("contract", "opening"),
    ("approval", "opening"),
    ("opening", "first_inclusion"),
    ("opening", "closing"),
    ("first_inclusion", "closing"),
)
ON_TRACK_RATIO = 0.8  # as recruitment: behind under 80 % of the enrolments the target implies


def order_problems(dates: Mapping[str, date]) -> list[str]:
    """Milestones out of order at one site, as sentences naming both milestones."""
    out = []
    for a, b in ORDER:
        if a in dates and b in dates and dates[b] < dates[a]:
            out.append(f"{b} ({dates[b].isoformat()}) is before {a} ({dates[a].isoformat()})")
    return out


def step_days(dates: Mapping[str, date]) -> dict[str, int]:
    """Days each step took at one site (only steps whose ends are all known), and the total."""
    out: dict[str, int] = {}
    for step, (starts, end) in STEPS.items():
        if end in dates and all(s in dates for s in starts):
            out[step] = (dates[end] - max(dates[s] for s in starts)).days
    if "selection" in dates and "opening" in dates:
        out[TOTAL] = (dates["opening"] - dates["selection"]).days
    return out


@dataclass(frozen=True)
class StepSummary:
    step: str
    sites: int
    median: float | None
    q1: float | None
    q3: float | None
    minimum: int | None
    maximum: int | None


def summarise(per_site: Sequence[Mapping[str, int]]) -> list[StepSummary]:
    """Median (quartiles, range) of each step and of the total over the sites that have it."""
    out = []
    for step in (*STEPS, TOTAL):
        values = sorted(d[step] for d in per_site if step in d)
        if not values:
            out.append(StepSummary(step, 0, None, None, None, None, None))
            continue
        if len(values) >= 2:
            q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            q1 = q3 = float(values[0])
        out.append(
            StepSummary(step, len(values), float(statistics.median(values)), q1, q3, values[0], values[-1])
        )
    return out


def slowest_step(summary: Sequence[StepSummary]) -> str | None:
    """The step with the longest median (the total is not a step)."""
    steps = [s for s in summary if s.step != TOTAL and s.median is not None]
    return max(steps, key=lambda s: (s.median, s.sites)).step if steps else None


def months_between(first: date, last: date) -> list[str]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_end(month: str) -> date:
    y, m = int(month[:4]), int(month[5:7])
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return nxt - timedelta(days=1)


@dataclass
class MonthAgainstTarget:
    month: str
    enrolled: int
    cumulative: int
    expected: float | None  # cumulative enrolments the target implies by the month's end
    on_track: bool | None


@dataclass
class SiteMonths:
    months: list[MonthAgainstTarget] = field(default_factory=list)
    note: str = ""


def months_against_target(
    monthly: Mapping[str, int],
    target: int | None,
    opened: date | None,
    planned_end: date | None,
    as_of: date,
) -> SiteMonths:
    """Inclusions per month from the site's opening (or first inclusion) to `as_of`, with the
    cumulative count the target implies when spread evenly from opening to the planned end."""
    first_month = min(monthly) if monthly else None
    start = opened or (date.fromisoformat(first_month + "-01") if first_month else None)
    if start is None:
        return SiteMonths([], "not opened and no inclusion yet")
    if start > as_of:
        return SiteMonths([], f"opens on {start.isoformat()}")
    first = min(start, date.fromisoformat(first_month + "-01")) if first_month else start
    note = ""
    if not target:
        note = "no target for this site: inclusions only"
    elif planned_end is None or planned_end <= start:
        note = "no planned end after opening: the target cannot be spread over months"
    rows = []
    total = 0
    span = (planned_end - start).days if planned_end and planned_end > start else 0
    for month in months_between(first, as_of):
        n = int(monthly.get(month, 0))
        total += n
        expected = None
        on_track = None
        if target and span:
            end = min(month_end(month), as_of)
            frac = min(1.0, max(0.0, (end - start).days / span))
            expected = round(target * frac, 1)
            on_track = total >= ON_TRACK_RATIO * expected if expected > 0 else True
        rows.append(MonthAgainstTarget(month, n, total, expected, on_track))
    return SiteMonths(rows, note)
