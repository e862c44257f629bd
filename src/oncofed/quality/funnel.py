"""Funnel-plot control limits and over-dispersion (Spiegelhalter, Stat Med 2005;24:1185-1202).

Proportions: exact binomial limits with the interpolation of Spiegelhalter's appendix (a continuous
limit between the discrete binomial quantiles, from `scipy.stats.binom`). Means: normal limits.
Over-dispersion: z-scores winsorised at 10 % (each tail), then a multiplicative factor phi or an
additive random-effects variance tau^2 (DerSimonian-Laird style moment estimator), as in
Spiegelhalter, "Handling over-dispersion of performance indicators", Qual Saf Health Care 2005;14:347.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVELS = (0.95, 0.998)


def binomial_limit(theta: float, n: int, p: float) -> float:
    """The p-quantile of an observed proportion under Binomial(n, theta), interpolated (continuous).

    r_p is the smallest r with P(R <= r) >= p; alpha = (P(R <= r_p) - p) / P(R = r_p) and the limit
    is (r_p - alpha) / n (Spiegelhalter 2005, appendix A.1.1).
    """
    if n <= 0:
        raise ValueError("n must be positive")
    if theta <= 0.0:
        return 0.0
    if theta >= 1.0:
        return 1.0
    dist = stats.binom(n, theta)
    r = float(dist.ppf(p))
    f_r = float(dist.cdf(r))
    f_prev = float(dist.cdf(r - 1)) if r >= 1 else 0.0
    mass = f_r - f_prev
    alpha = (f_r - p) / mass if mass > 0 else 0.0
    return max(0.0, min(1.0, (r - alpha) / n))


def proportion_limits(theta: float, n: int, level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0
    return binomial_limit(theta, n, tail), binomial_limit(theta, n, 1.0 - tail)


def normal_limits(theta: float, variance_of_mean: float, level: float) -> tuple[float, float]:
    z = float(stats.norm.ppf(1.0 - (1.0 - level) / 2.0))
    half = z * math.sqrt(max(variance_of_mean, 0.0))
    return theta - half, theta + half


def winsorise(z: Sequence[float], fraction: float = 0.10) -> np.ndarray:
    """Pull the lowest and highest `fraction` of z-scores in to the nearest remaining value."""
    arr = np.asarray(z, dtype=float)
    if arr.size == 0 or fraction <= 0:
        return arr.copy()
    k = int(math.floor(arr.size * fraction))
    if k == 0:
        return arr.copy()
    order = np.sort(arr)
    low, high = order[k], order[arr.size - 1 - k]
    return np.clip(arr, low, high)


@dataclass(frozen=True)
class Overdispersion:
    """phi (multiplicative), tau^2 (additive), and the test of phi = 1 (I*phi ~ chi2 with I-1 df)."""

    units: int
    phi: float
    tau2: float
    p_value: float
    q: float

    @property
    def significant(self) -> bool:
        return self.units > 2 and self.p_value < 0.05


def overdispersion(
    values: Sequence[float], variances: Sequence[float], theta: float, winsor: float = 0.10
) -> Overdispersion:
    """Spiegelhalter (2005): z_i = (y_i - theta) / s_i, winsorised; phi = mean(z^2);
    tau^2 = max(0, (I*phi - (I-1)) / (sum w - sum w^2 / sum w)) with w_i = 1 / s_i^2."""
    y = np.asarray(values, dtype=float)
    s2 = np.asarray(variances, dtype=float)
    keep = np.isfinite(y) & (s2 > 0)
    y, s2 = y[keep], s2[keep]
    units = int(y.size)
    if units < 2:
        return Overdispersion(units, 1.0, 0.0, 1.0, 0.0)
    z = winsorise((y - theta) / np.sqrt(s2), winsor)
    q = float(np.sum(z**2))
    phi = q / units
    w = 1.0 / s2
    denom = float(w.sum() - (w**2).sum() / w.sum())
    tau2 = max(0.0, (q - (units - 1)) / denom) if denom > 0 else 0.0
    p_value = float(stats.chi2.sf(q, units - 1))
    return Overdispersion(units, phi, tau2, p_value, q)


def adjusted_limits(
    theta: float, variance: float, level: float, method: str, od: Overdispersion
) -> tuple[float, float]:
    """Normal limits around theta for one unit's variance, inflated by phi or widened by tau^2."""
    if method == "multiplicative":
        return normal_limits(theta, variance * max(od.phi, 1.0), level)
    if method == "additive":
        return normal_limits(theta, variance + od.tau2, level)
    raise ValueError(f"unknown over-dispersion method {method!r} (use multiplicative or additive)")


def proportion_ci(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for k successes out of n."""
    if n <= 0:
        return (math.nan, math.nan)
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="exact")
    return float(ci.low), float(ci.high)


def mean_ci(mean: float, sd: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Student-t interval for a mean."""
    if n < 2:
        return (math.nan, math.nan)
    t = float(stats.t.ppf(1.0 - (1.0 - level) / 2.0, n - 1))
    half = t * sd / math.sqrt(n)
    return mean - half, mean + half
