"""From aggregates to an honest comparison: network value, per-centre value with its interval,
funnel limits at the centre's volume, band (within / above / below), small-sample flag, trends.
No ranks: centres are listed by name, and bands say only whether a centre is outside the limits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from oncofed.quality import funnel
from oncofed.quality.indicators import Indicator

MIN_PUBLISHED = 30  # fewer than 30 in the denominator: not published (HAS e-Satis rule)
ADJUSTMENTS = ("auto", "none", "multiplicative", "additive")


@dataclass
class CentreFigure:
    centre_id: str
    n: int
    k: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    limits: dict[str, float | None]
    band: str  # within | above | below | small_sample | not_compared
    beyond_998: bool
    published: bool
    excluded: dict[str, int]
    q1: float | None = None
    q3: float | None = None
    assessment: str = ""  # better | worse | "" (from the band and the indicator's direction)


@dataclass
class IndicatorResult:
    indicator: Indicator
    period_from: str
    period_to: str
    trend_unit: str
    network: dict[str, Any]
    centres: list[CentreFigure]
    excluded: dict[str, int]
    overdispersion: dict[str, Any]
    adjustment: str
    funnel_curve: list[dict[str, float]]
    trend: list[dict[str, Any]] = field(default_factory=list)


def _value(kind: str, n: int, k: int, sx: float | None, med: float | None) -> float | None:
    if n <= 0:
        return None
    if kind == "proportion":
        return k / n
    if kind == "mean":
        return (sx or 0.0) / n
    return med


def _sd(n: int, sx: float | None, sxx: float | None) -> float:
    if n < 2 or sx is None or sxx is None:
        return math.nan
    var = (sxx - sx * sx / n) / (n - 1)
    return math.sqrt(max(var, 0.0))


def unit_variance(ind: Indicator, theta: float, sigma: float) -> float:
    """Variance of one observation under the network value: theta(1-theta) or sigma^2."""
    return theta * (1 - theta) if ind.kind == "proportion" else sigma * sigma


def limits_at(
    ind: Indicator, theta: float, sigma: float, n: int, method: str, od: funnel.Overdispersion | None
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for level, name in ((0.95, "95"), (0.998, "998")):
        if not ind.compared or n <= 0:
            lo, hi = None, None
        elif method in ("multiplicative", "additive") and od is not None:
            lo, hi = funnel.adjusted_limits(theta, unit_variance(ind, theta, sigma) / n, level, method, od)
        elif ind.kind == "proportion":
            lo, hi = funnel.proportion_limits(theta, n, level)
        else:
            lo, hi = funnel.normal_limits(theta, sigma * sigma / n, level)
        if ind.kind == "proportion" and lo is not None and hi is not None:
            lo, hi = max(lo, 0.0), min(hi, 1.0)
        out[f"lower_{name}"], out[f"upper_{name}"] = lo, hi
    return out


def band_of(value: float | None, limits: dict[str, float | None]) -> tuple[str, bool]:
    lo, hi = limits.get("lower_95"), limits.get("upper_95")
    if value is None or lo is None or hi is None:
        return "not_compared", False
    lo3, hi3 = limits.get("lower_998"), limits.get("upper_998")
    if value > hi:
        return "above", bool(hi3 is not None and value > hi3)
    if value < lo:
        return "below", bool(lo3 is not None and value < lo3)
    return "within", False


def analyse(
    ind: Indicator,
    rows: list[dict[str, Any]],
    period_from: str,
    period_to: str,
    trend_unit: str = "month",
    adjustment: str = "auto",
    centre_ids: list[str] | None = None,
) -> IndicatorResult:
    """Turn `engine.aggregate` rows into the comparison (one call per indicator and period)."""
    if adjustment not in ADJUSTMENTS:
        raise ValueError(f"adjustment must be one of {ADJUSTMENTS}")
    kept = [r for r in rows if r["excluded_by"] == ""]
    net = next((r for r in kept if r["g_centre"] == 1 and r["g_period"] == 1), None)
    n_net = int(net["n"]) if net else 0
    k_net = int(net["k"] or 0) if net else 0
    theta = _value(ind.kind, n_net, k_net, net["sx"] if net else None, net["med"] if net else None)
    sigma = _sd(n_net, net["sx"], net["sxx"]) if net else math.nan
    excluded_net: dict[str, int] = {}
    excluded_by_centre: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["excluded_by"] and r["g_period"] == 1:
            if r["g_centre"] == 1:
                excluded_net[r["excluded_by"]] = int(r["n"])
            else:
                excluded_by_centre.setdefault(r["centre_id"], {})[r["excluded_by"]] = int(r["n"])
    per_centre: dict[str, dict[str, Any]] = {
        r["centre_id"]: r for r in kept if r["g_centre"] == 0 and r["g_period"] == 1
    }

    # over-dispersion from every centre with data (published or not), as Spiegelhalter does
    od = None
    if ind.compared and theta is not None and n_net > 0:
        ys, vs = [], []
        for pc in per_centre.values():
            n = int(pc["n"])
            y = _value(ind.kind, n, int(pc["k"] or 0), pc["sx"], pc["med"])
            v = unit_variance(ind, theta, sigma) / n
            if y is not None and v > 0:
                ys.append(y)
                vs.append(v)
        od = funnel.overdispersion(ys, vs, theta)
    method = adjustment
    if adjustment == "auto":
        method = "additive" if od is not None and od.significant and od.tau2 > 0 else "none"

    ids = sorted(set(per_centre) | set(centre_ids or []) | set(excluded_by_centre))
    figures = []
    for cid in ids:
        cr = per_centre.get(cid)
        n = int(cr["n"]) if cr else 0
        k = int(cr["k"] or 0) if cr else 0
        value = _value(ind.kind, n, k, cr["sx"] if cr else None, cr["med"] if cr else None)
        if ind.kind == "proportion" and n:
            ci = funnel.proportion_ci(k, n)
        elif ind.kind == "mean" and n:
            ci = funnel.mean_ci(value or 0.0, _sd(n, cr["sx"], cr["sxx"]) if cr else math.nan, n)
        else:
            ci = (math.nan, math.nan)
        limits = limits_at(ind, theta or 0.0, sigma, n, method, od) if theta is not None else {}
        published = n >= MIN_PUBLISHED
        band, beyond = band_of(value, limits) if published else ("small_sample", False)
        assessment = ""
        if band in ("above", "below"):
            assessment = "better" if (band == "above") == (ind.better == "higher") else "worse"
        figures.append(
            CentreFigure(
                centre_id=cid,
                n=n,
                k=k if ind.kind == "proportion" else None,
                value=value,
                ci_low=None if math.isnan(ci[0]) else ci[0],
                ci_high=None if math.isnan(ci[1]) else ci[1],
                limits=limits,
                band=band,
                beyond_998=beyond,
                published=published,
                excluded=excluded_by_centre.get(cid, {}),
                q1=(cr["q1"] if cr and ind.kind == "median" else None),
                q3=(cr["q3"] if cr and ind.kind == "median" else None),
                assessment=assessment,
            )
        )

    curve: list[dict[str, float]] = []
    if ind.compared and theta is not None and figures:
        top = max(max(f.n for f in figures), MIN_PUBLISHED) * 1.1
        steps = sorted({max(1, round(top * (i / 60) ** 2)) for i in range(1, 61)} | {MIN_PUBLISHED})
        for n in steps:
            lim = limits_at(ind, theta, sigma, n, method, od)
            curve.append({"n": float(n), **{k: float(v) for k, v in lim.items() if v is not None}})

    trend = []
    for r in sorted((r for r in kept if r["g_period"] == 0), key=lambda r: (str(r["period"]), r["g_centre"])):
        n = int(r["n"])
        trend.append(
            {
                "period": str(r["period"]),
                "centre_id": None if r["g_centre"] == 1 else r["centre_id"],
                "n": n,
                "value": _value(ind.kind, n, int(r["k"] or 0), r["sx"], r["med"]),
                "published": n >= MIN_PUBLISHED or r["g_centre"] == 1,
            }
        )
    network = {
        "n": n_net,
        "k": k_net if ind.kind == "proportion" else None,
        "value": theta,
        "sd": None if math.isnan(sigma) else sigma,
        "q1": net["q1"] if net and ind.kind == "median" else None,
        "q3": net["q3"] if net and ind.kind == "median" else None,
    }
    od_json = {
        "units": od.units if od else 0,
        "phi": od.phi if od else None,
        "tau2": od.tau2 if od else None,
        "p_value": od.p_value if od else None,
        "significant": od.significant if od else False,
        "winsorised_fraction": 0.10,
    }
    return IndicatorResult(
        ind, period_from, period_to, trend_unit, network, figures, excluded_net, od_json, method, curve, trend
    )
