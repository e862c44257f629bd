"""Funnel limits against scipy's exact binomial quantiles; over-dispersion against a published example."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from oncofed.quality import funnel


@pytest.mark.parametrize("theta,n", [(0.1, 20), (0.5, 10), (0.9, 150), (0.33, 1000)])
@pytest.mark.parametrize("p", [0.001, 0.025, 0.975, 0.999])
def test_binomial_limit_lies_between_the_exact_quantile_and_the_one_below(
    theta: float, n: int, p: float
) -> None:
    r_p = stats.binom.ppf(p, n, theta)
    limit = funnel.binomial_limit(theta, n, p)
    assert (r_p - 1) / n - 1e-12 <= limit <= r_p / n + 1e-12


def test_binomial_limit_interpolation_matches_a_hand_computation() -> None:
    # n = 10, theta = 0.5, p = 0.025: F(1) = 11/1024 < 0.025 <= F(2) = 56/1024, so r_p = 2;
    # alpha = (F(2) - 0.025) / P(R = 2) = (56/1024 - 0.025) / (45/1024)
    alpha = (56 / 1024 - 0.025) / (45 / 1024)
    assert funnel.binomial_limit(0.5, 10, 0.025) == pytest.approx((2 - alpha) / 10, abs=1e-12)


def test_limits_narrow_as_volume_grows_and_contain_the_target() -> None:
    widths = []
    for n in (30, 100, 1000, 10000):
        lo, hi = funnel.proportion_limits(0.8, n, 0.998)
        assert lo < 0.8 < hi
        widths.append(hi - lo)
    assert widths == sorted(widths, reverse=True)
    lo95, hi95 = funnel.proportion_limits(0.8, 500, 0.95)
    lo998, hi998 = funnel.proportion_limits(0.8, 500, 0.998)
    assert lo998 < lo95 < hi95 < hi998


def test_normal_limits_for_a_mean() -> None:
    lo, hi = funnel.normal_limits(78.0, 15.0**2 / 100, 0.95)
    assert hi - 78.0 == pytest.approx(1.959964 * 1.5, rel=1e-5)
    assert 78.0 - lo == pytest.approx(hi - 78.0)


def test_winsorise_pulls_in_the_top_and_bottom_ten_percent() -> None:
    z = np.arange(20, dtype=float)  # 10 % of 20 = 2 values each side
    w = funnel.winsorise(z, 0.10)
    assert w.min() == 2.0 and w.max() == 17.0
    assert list(w[2:18]) == list(z[2:18])


# BCG vaccine trials (Colditz et al. 1994), as `dat.bcg` in R's metafor: tpos, tneg, cpos, cneg.
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def test_additive_random_effects_reproduce_dersimonian_laird_on_the_bcg_trials() -> None:
    """Without winsorisation and with theta at the fixed-effect estimate, Spiegelhalter's additive
    tau^2 is the DerSimonian-Laird estimator. metafor (Viechtbauer 2010) reports for the log risk
    ratios of dat.bcg: fixed effect -0.4303, Q(df = 12) = 152.2330, DL tau^2 = 0.3088, random-effects
    estimate -0.7141 (checked against Stata's metan in metafor's test suite)."""
    y = np.array([math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in BCG])
    v = np.array([1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for a, b, c, d in BCG])
    w = 1 / v
    theta_fe = float((w * y).sum() / w.sum())
    assert theta_fe == pytest.approx(-0.4303, abs=5e-5)
    od = funnel.overdispersion(y, v, theta_fe, winsor=0.0)
    assert od.q == pytest.approx(152.2330, abs=5e-4)
    assert od.tau2 == pytest.approx(0.3088, abs=5e-5)
    assert od.phi == pytest.approx(152.2330 / 13, abs=1e-4)
    w_re = 1 / (v + od.tau2)
    assert float((w_re * y).sum() / w_re.sum()) == pytest.approx(-0.7141, abs=5e-5)
    assert od.significant


def test_winsorisation_lowers_phi_when_one_unit_is_extreme() -> None:
    values = [0.5] * 9 + [0.9]
    variances = [0.25 / 100] * 10
    raw = funnel.overdispersion(values, variances, 0.5, winsor=0.0)
    wins = funnel.overdispersion(values, variances, 0.5, winsor=0.10)
    assert raw.phi > wins.phi


def test_adjusted_limits_widen_with_phi_and_tau2() -> None:
    od = funnel.Overdispersion(units=10, phi=4.0, tau2=0.01, p_value=0.0, q=40.0)
    base = funnel.normal_limits(0.5, 0.0025, 0.95)
    mult = funnel.adjusted_limits(0.5, 0.0025, 0.95, "multiplicative", od)
    add = funnel.adjusted_limits(0.5, 0.0025, 0.95, "additive", od)
    assert mult[1] - 0.5 == pytest.approx(2 * (base[1] - 0.5))
    assert add[1] - 0.5 == pytest.approx(1.959964 * math.sqrt(0.0125), rel=1e-5)


def test_exact_interval_for_a_proportion() -> None:
    lo, hi = funnel.proportion_ci(5, 10)
    assert lo == pytest.approx(stats.beta.ppf(0.025, 5, 6)) and hi == pytest.approx(
        stats.beta.ppf(0.975, 6, 5)
    )
