"""Synthetic enrolment history for the demo trials, so recruitment charts show real projections.

Each recruiting site opens some weeks after the trial starts and enrols as a Poisson process at
the pace its target implies, times a site "performance" factor drawn from a log-normal (some sites
run ahead, some fall behind, as in real networks). Completed and closed trials stop at their target.
Seeded and vectorised (numpy): a few thousand rows, bulk-inserted in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from oncofed.domain import Trial, TrialStatus
from oncofed.store.models_prescreen import EnrolmentRow

ACCRUING = {
    TrialStatus.RECRUITING,
    TrialStatus.ACTIVE_NOT_RECRUITING,
    TrialStatus.COMPLETED,
    TrialStatus.SUSPENDED,
}


def seed_enrolment_history(session: Session, trials: Sequence[Trial], until: date, seed: int = 42) -> int:
    """Replace the demo enrolment history of `trials` up to `until`; returns the rows written."""
    rng = np.random.default_rng(seed)
    ids = [t.id for t in trials]
    session.flush()  # the trials must exist before their enrolments
    if ids:
        session.execute(
            delete(EnrolmentRow).where(EnrolmentRow.source == "demo", EnrolmentRow.trial_id.in_(ids))
        )
    rows: list[dict[str, Any]] = []
    for trial in trials:
        if trial.status not in ACCRUING or not trial.start_date or not trial.completion_date:
            continue
        if trial.start_date >= until:
            continue
        planned = max(90, (trial.completion_date - trial.start_date).days)
        # closed trials finished accrual some time before the planned end
        stop = min(until, trial.completion_date)
        if trial.status is TrialStatus.SUSPENDED:
            stop = min(stop, trial.start_date + timedelta(days=int(planned * 0.4)))
        capped = trial.status in (TrialStatus.COMPLETED, TrialStatus.ACTIVE_NOT_RECRUITING)
        for site in trial.sites:
            if site.status is TrialStatus.NOT_YET_RECRUITING or not site.target_enrolment:
                continue
            opening = trial.start_date + timedelta(days=int(rng.uniform(0, 0.2) * planned))
            days = (stop - opening).days
            if days <= 0:
                continue
            factor = float(rng.lognormal(mean=-0.1, sigma=0.45))
            if capped:
                factor = max(factor, 1.15)  # closed trials did reach their targets
            rate = site.target_enrolment / planned * factor
            counts = rng.poisson(rate, size=days)
            day_index = np.repeat(np.arange(days), counts)
            limit = site.target_enrolment if capped else int(site.target_enrolment * 1.5)
            day_index = day_index[:limit]
            key = site.centre_id or site.facility
            rows.extend(
                {
                    "trial_id": trial.id,
                    "site_key": key,
                    "centre_id": site.centre_id,
                    "enrolled_on": opening + timedelta(days=int(d)),
                    "patient_id": None,
                    "source": "demo",
                }
                for d in day_index
            )
    if rows:
        session.execute(insert(EnrolmentRow), rows)
    return len(rows)
