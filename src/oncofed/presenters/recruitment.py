"""Shapes of recruitment: a trial's line in the network view, its progress per site, the monthly
series (JSON and CSV, for the API, the pages and `oncofed recruitment`), and the server-rendered
charts (SVG).

The charts are hand-written SVG rather than altair + vl-convert: one step line, one band and a few
rules, rendered in well under a millisecond with no JavaScript engine start-up (vl-convert takes
about a second to start), and they inherit the page's CSS.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from oncofed.presenters.i18n import N_, translator
from oncofed.services.recruitment.projections import SiteProgress, TrialRecruitment

NETWORK_COLUMNS = [
    "trial_id",
    "title",
    "status",
    "enrolled",
    "target",
    "target_source",
    "percent",
    "sites",
    "sites_behind",
    "rate_per_month",
    "projected_completion",
    "projected_low",
    "projected_high",
    "planned_completion",
    "projection_note",
]
SITE_COLUMNS = [
    "site",
    "centre_id",
    "status",
    "target",
    "enrolled",
    "percent",
    "first_enrolment",
    "expected_by_now",
    "behind",
    "p_reach_target",
    "rate_per_month",
]


def summary_json(r: TrialRecruitment) -> dict[str, Any]:
    p = r.projection
    return {
        "trial_id": r.trial.id,
        "title": r.trial.title,
        "status": r.trial.status.value,
        "enrolled": r.enrolled,
        "target": r.target,
        "target_source": r.target_source,
        "percent": round(100 * r.enrolled / r.target, 1) if r.target else None,
        "sites": len(r.sites),
        "sites_behind": sum(1 for s in r.sites if s.behind),
        "rate_per_month": p.rate_per_month,
        "projected_completion": p.median.isoformat() if p.median else None,
        "projected_low": p.low.isoformat() if p.low else None,
        "projected_high": p.high.isoformat() if p.high else None,
        "planned_completion": r.trial.completion_date.isoformat() if r.trial.completion_date else None,
        "projection_note": p.note,
    }


def site_json(s: SiteProgress) -> dict[str, Any]:
    return {
        "site": s.name,
        "centre_id": s.centre_id,
        "status": s.status,
        "target": s.target,
        "enrolled": s.enrolled,
        "percent": round(100 * s.enrolled / s.target, 1) if s.target else None,
        "first_enrolment": s.first_enrolment.isoformat() if s.first_enrolment else None,
        "expected_by_now": s.expected_by_now,
        "behind": s.behind,
        "p_reach_target": round(s.p_reach_target, 3) if s.p_reach_target is not None else None,
        "rate_per_month": s.rate_per_month,
        "monthly": dict(sorted(s.monthly.items())),
    }


def monthly_rows(r: TrialRecruitment) -> list[dict[str, Any]]:
    """Enrolment per site and month, with each site's running total (the per-site time series)."""
    rows: list[dict[str, Any]] = []
    for s in r.sites:
        total = 0
        for month, n in sorted(s.monthly.items()):
            total += n
            rows.append(
                {"site": s.name, "centre_id": s.centre_id, "month": month, "enrolled": n, "cumulative": total}
            )
    return rows


def recruitment_json(r: TrialRecruitment) -> dict[str, Any]:
    return {
        **summary_json(r),
        "as_of": r.as_of.isoformat(),
        "model": r.model,
        "warnings": r.warnings,
        "site_progress": [site_json(s) for s in r.sites],
        "cumulative": [{"date": d.isoformat(), "enrolled": n} for d, n in r.cumulative],
    }


def _fmt(d: date) -> str:
    return d.strftime("%Y-%m")


def recruitment_svg(r: TrialRecruitment, width: int = 760, height: int = 320, lang: str = "en") -> Markup:
    """Cumulative enrolment, target, projection (median and 90% band), planned completion."""
    tr = translator(lang)
    band_message = N_("90%% interval %(low)s to %(high)s")  # the months of the projection's 90% interval
    median_message = N_("median projection %(date)s")
    words = {
        "aria": tr.gettext("cumulative enrolment of %(trial)s", trial=r.trial.id),
        "target": tr.gettext("target %(n)s", n=tr.number(r.target)) if r.target else "",
        "planned": tr.gettext("planned end"),
        "enrolled": tr.gettext("%(n)s enrolled by %(date)s", n=tr.number(r.enrolled), date=tr.day(r.as_of)),
    }
    left, right, top, bottom = 52, 16, 16, 40
    start = r.trial.start_date or (r.cumulative[0][0] if r.cumulative else r.as_of - timedelta(days=365))
    p = r.projection
    candidates_end = [r.as_of + timedelta(days=30)]
    for d in (p.high or p.median, r.trial.completion_date):
        if d:
            candidates_end.append(d)
    end = max(candidates_end)
    end = min(end, r.as_of + timedelta(days=365 * 8))  # keep the history readable
    ymax = max([r.target or 0, r.enrolled, 1]) * 1.1
    span = max(1, (end - start).days)

    def x(d: date) -> float:
        return left + (width - left - right) * min(1.0, max(0.0, (d - start).days / span))

    def y(n: float) -> float:
        return top + (height - top - bottom) * (1 - n / ymax)

    parts = [
        f'<svg class="recruitment-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(words["aria"])}" xmlns="http://www.w3.org/2000/svg">'
    ]
    parts.append(
        f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" class="plot"/>'
    )
    for i in range(5):  # y grid
        n = ymax / 1.1 * i / 4
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(n):.1f}" y2="{y(n):.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y(n) + 4:.1f}" text-anchor="end">{n:.0f}</text>')
    year = start.year
    while date(year, 1, 1) <= end:  # x ticks: years
        d = date(year, 1, 1)
        if d >= start:
            parts.append(
                f'<line class="grid" x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top}" y2="{height - bottom}"/>'
            )
            parts.append(
                f'<text class="tick" x="{x(d):.1f}" y="{height - bottom + 16}" text-anchor="middle">{year}</text>'
            )
        year += 1
    if p.median and p.low and r.target and p.remaining > 0:
        high = p.high or end
        band = [(x(r.as_of), y(r.enrolled)), (x(p.low), y(r.target)), (x(min(high, end)), y(r.target))]
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in band)
        band_title = tr.gettext(band_message, low=_fmt(p.low), high=_fmt(high))
        median_title = tr.gettext(median_message, date=tr.day(p.median))
        parts.append(f'<polygon class="band" points="{pts}"><title>{escape(band_title)}</title></polygon>')
        parts.append(
            f'<line class="projection" x1="{x(r.as_of):.1f}" y1="{y(r.enrolled):.1f}" '
            f'x2="{x(min(p.median, end)):.1f}" y2="{y(r.target):.1f}"><title>{escape(median_title)}</title></line>'
        )
    if r.target:
        parts.append(
            f'<line class="target" x1="{left}" x2="{width - right}" y1="{y(r.target):.1f}" y2="{y(r.target):.1f}"/>'
        )
        parts.append(
            f'<text class="label" x="{left + 4}" y="{y(r.target) - 4:.1f}">{escape(words["target"])}</text>'
        )
    if r.trial.completion_date and r.trial.completion_date <= end:
        xc = x(r.trial.completion_date)
        parts.append(f'<line class="planned" x1="{xc:.1f}" x2="{xc:.1f}" y1="{top}" y2="{height - bottom}"/>')
        parts.append(
            f'<text class="label" x="{xc - 4:.1f}" y="{top + 12}" text-anchor="end">{escape(words["planned"])}</text>'
        )
    path = [f"M{x(start):.1f},{y(0):.1f}"]
    last = 0
    for d, n in r.cumulative:
        path.append(f"H{x(d):.1f}V{y(n):.1f}")
        last = n
    path.append(f"H{x(r.as_of):.1f}V{y(last):.1f}")
    parts.append(
        f'<path class="enrolled" d="{"".join(path)}"><title>{escape(words["enrolled"])}</title></path>'
    )
    parts.append(
        f'<line class="today" x1="{x(r.as_of):.1f}" x2="{x(r.as_of):.1f}" y1="{top}" y2="{height - bottom}"/>'
    )
    parts.append(
        f'<text class="label" x="{x(r.as_of) + 4:.1f}" y="{height - bottom - 6}">{escape(tr.day(r.as_of))}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def site_sparkline(site: SiteProgress, r: TrialRecruitment, width: int = 160, height: int = 28) -> Markup:
    """One site's cumulative enrolment by month since the trial started, with its target as a rule."""
    start = r.trial.start_date or r.as_of - timedelta(days=365)
    months = max(1, (r.as_of.year - start.year) * 12 + r.as_of.month - start.month + 1)
    top = max(site.target or 0, site.enrolled, 1)
    points, total = [], 0
    for i in range(months):
        y, m = divmod(start.month - 1 + i, 12)
        total += site.monthly.get(f"{start.year + y:04d}-{m + 1:02d}", 0)
        px = 2 + (width - 4) * i / max(1, months - 1)
        points.append(f"{px:.1f},{height - 2 - (height - 4) * total / top:.1f}")
    rule = ""
    if site.target:
        ty = height - 2 - (height - 4) * site.target / top
        rule = f'<line class="target" x1="0" x2="{width}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(site.name)}: {site.enrolled} enrolled">{rule}'
        f'<polyline class="enrolled" points="{" ".join(points)}"/></svg>'
    )
