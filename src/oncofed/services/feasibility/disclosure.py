"""Disclosure policy of per-centre feasibility counts: differential privacy with a budget, then the
suppression band and rounding of i2b2/SHRINE, OHDSI and PCORnet practice (see docs/SECURITY.md).

One question releases, for every centre, two counts (patients who meet the criteria, patients who
possibly meet them). A patient record is in one centre and in at most one of the two counts, so adding
or removing one record moves the whole vector by 1 in L1 norm: one draw of OpenDP's discrete Laplace
mechanism over the vector (scale `b`) is `1/b`-differentially private for the question as a whole
(privacy unit: one patient record). Everything shown is computed from the noised vector only
(post-processing keeps the guarantee):

- a noised count of 10 or less is shown as "10 or fewer": the band covers 0, so a true zero is never
  shown as such (a "0" next to "10 or fewer" told an attacker which questions selected nobody), and
  the decision is made on the noised count, so the band's edge says nothing exact either;
- above the band the noised count is rounded to the nearest 5;
- the network total adds the shown cells only and says how many were suppressed.

The noise is fresh for every question: noise stored per set of patients (the former scheme) answered
two questions identically exactly when they selected the same patients, which tells whether a target
is in a set with certainty. Averaging is bounded instead by the budget (`budget.py`): each question
spends `epsilon_per_question` of the user's `epsilon_per_period`, and a repeat of the same question on
the same day returns its recorded answer without spending. OpenDP samples the noise exactly (no
floating-point leak of the Laplace sampler) from the operating system's randomness.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from oncofed.errors import N_, ConfigError

THRESHOLD = 10  # noised counts up to this are shown as "10 or fewer"
ROUNDING = 5  # noised counts above the band are rounded to a multiple of this
MECHANISM = "discrete Laplace (OpenDP make_laplace over the per-centre count vector, L1 sensitivity 1)"


@dataclass(frozen=True)
class Policy:
    """The numbers of the disclosure policy. Defaults: scale 5 (each shown count has a noise standard
    deviation of about 7), 0.2 epsilon per question, 5.0 per user per 30 days (25 questions), and a
    lockout when a user asks more than 10 questions each one criterion away from an earlier one."""

    scale: float = 5.0
    epsilon_per_period: float = 5.0
    period_days: int = 30
    differencing_limit: int = 10

    @property
    def epsilon_per_question(self) -> float:
        return epsilon_of(self.scale)

    @property
    def questions_per_period(self) -> int:
        return int(self.epsilon_per_period / self.epsilon_per_question + 1e-9)

    def as_json(self) -> dict[str, Any]:
        return {
            "mechanism": MECHANISM,
            "scale": self.scale,
            "noise_sd": round(self.scale * 2**0.5, 2),
            "threshold": THRESHOLD,
            "rounding": ROUNDING,
            "epsilon_per_question": round(self.epsilon_per_question, 6),
            "epsilon_per_period": self.epsilon_per_period,
            "period_days": self.period_days,
            "questions_per_period": self.questions_per_period,
            "differencing_limit": self.differencing_limit,
        }


def _env_number(name: str, default: float, low: float, high: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            N_("%(name)s=%(value)s is not a number"),
            fix=N_("e.g. %(name)s=%(default)s"),
            code="config.not_a_number",
            params={"name": name, "value": repr(raw), "default": f"{default:g}"},
        ) from None
    if not low <= value <= high:
        raise ConfigError(
            N_("%(name)s=%(value)s is out of range"),
            fix=N_("use a value between %(low)s and %(high)s"),
            code="config.out_of_range",
            params={"name": name, "value": raw, "low": f"{low:g}", "high": f"{high:g}"},
        )
    return value


def policy() -> Policy:
    """The policy in force: the defaults, or the operator's `ONCOFED_FEASIBILITY_SCALE`,
    `ONCOFED_FEASIBILITY_EPSILON` (per period), `ONCOFED_FEASIBILITY_PERIOD_DAYS` and
    `ONCOFED_FEASIBILITY_DIFFERENCING_LIMIT` (see docs/SECURITY.md before changing them)."""
    d = Policy()
    return Policy(
        scale=_env_number("ONCOFED_FEASIBILITY_SCALE", d.scale, 0.1, 1000),
        epsilon_per_period=_env_number("ONCOFED_FEASIBILITY_EPSILON", d.epsilon_per_period, 0.01, 1000),
        period_days=int(_env_number("ONCOFED_FEASIBILITY_PERIOD_DAYS", d.period_days, 1, 3660)),
        differencing_limit=int(
            _env_number("ONCOFED_FEASIBILITY_DIFFERENCING_LIMIT", d.differencing_limit, 0, 10_000)
        ),
    )


@functools.cache
def _measurement(scale: float) -> Any:
    """OpenDP's discrete Laplace over integer vectors (L1 distance), for one scale."""
    import opendp.prelude as dp

    # "contrib": OpenDP's label for components not yet vetted by its committee (make_laplace is one);
    # the library still proves the privacy map that `epsilon_of` reads
    dp.enable_features("contrib")
    return dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)


def epsilon_of(scale: float) -> float:
    """The epsilon OpenDP's privacy map gives one release at `scale` when one record moves the vector by 1."""
    return float(_measurement(scale).map(1))


def noised(counts: Sequence[int], scale: float) -> list[int]:
    """`counts` plus discrete Laplace noise, one draw of the mechanism over the whole vector."""
    if not counts:
        return []
    return [int(v) for v in _measurement(scale)([int(c) for c in counts])]


@dataclass(frozen=True)
class DisclosedCount:
    value: int | None  # None when suppressed
    suppressed: bool = False
    noised: bool = True

    @property
    def label(self) -> str:
        if self.suppressed:
            return f"{THRESHOLD} or fewer"
        return str(self.value)

    def as_json(self) -> dict[str, object]:
        return {
            "value": self.value,
            "suppressed": self.suppressed,
            "noised": self.noised,
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DisclosedCount:
        value = data.get("value")
        return cls(
            int(value) if value is not None else None,
            bool(data.get("suppressed")),
            bool(data.get("noised", True)),
        )


def shown(noised_count: int) -> DisclosedCount:
    """What a noised count looks like once published: the band, else rounded to ROUNDING."""
    rounded = ROUNDING * round(noised_count / ROUNDING)
    if rounded <= THRESHOLD:
        return DisclosedCount(None, suppressed=True)
    return DisclosedCount(int(rounded))


def disclose_all(counts: Sequence[int], scale: float) -> list[DisclosedCount]:
    """Every cell of one question: one draw of the mechanism over the vector, then the band and rounding."""
    return [shown(v) for v in noised(counts, scale)]


@dataclass(frozen=True)
class NetworkTotal:
    value: int
    suppressed_cells: int

    @property
    def range(self) -> tuple[int, int]:
        """Where the total of the shown cells plus the suppressed ones could lie (noise aside)."""
        return self.value, self.value + THRESHOLD * self.suppressed_cells

    def as_json(self) -> dict[str, object]:
        low, high = self.range
        return {
            "value": self.value,
            "suppressed_cells": self.suppressed_cells,
            "range_with_suppressed": [low, high],
            "label": str(self.value)
            + (f" + {self.suppressed_cells} x ({THRESHOLD} or fewer)" if self.suppressed_cells else ""),
        }


def network_total(cells: Iterable[DisclosedCount]) -> NetworkTotal:
    cells = list(cells)
    return NetworkTotal(
        value=sum(c.value or 0 for c in cells if not c.suppressed),
        suppressed_cells=sum(1 for c in cells if c.suppressed),
    )
