"""Patient travel from what oncofed already holds (issue 21, part 5): kilometres from home to the
treating centre, and the kilometres (and emissions) saved when a patient who could enter a trial
goes to its nearest recruiting site rather than to the first recruiting site the trial lists.

Read inside each centre's partition through `PatientRepository` for research-type purposes
(patients objecting to research use and deceased patients are not counted), trials and sites
through `TrialRepository`, eligibility by the matching engine's vectorised evaluator (the
semantics of pre-screening: a pair counts when the patient is not excluded). Only aggregates per
treating centre are stored (no patient id); a centre with 10 patients or fewer in a figure is
shown as suppressed (the disclosure threshold of feasibility counts). One audit record per run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import mean, median
from typing import Any

import numpy as np
from sqlalchemy import delete, select

from oncofed.domain import Actor, GeoPoint, Role, TrialStatus, haversine_km, nearest_recruiting_site
from oncofed.services.feasibility.disclosure import THRESHOLD
from oncofed.services.sustainability.factors import factor_set
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models_carbon import CarbonTravelRow
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository

TRAVEL_FACTOR = ("patient_travel", "car")


@dataclass
class CentreTravel:
    centre_id: str
    patients: int = 0
    km_home: list[float] | None = None
    pairs: int = 0
    km_first_site: float = 0.0
    km_nearest_site: float = 0.0
    pairs_closer: int = 0


def partition_actor(centre_id: str) -> Actor:
    return Actor(
        user_id=f"travel@{centre_id}", role=Role.SYSTEM, centre_ids=frozenset({centre_id}), purpose="research"
    )


def compute_travel(
    db: Database, requested_by: Actor, progress: Callable[[int, int], None] | None = None
) -> dict[str, dict[str, Any]]:
    """Recompute and store the travel figures of every centre; returns them by centre id."""
    from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
    from oncofed.services.trials.criteria import criteria_by_trial

    fs = factor_set(db)
    factor = fs.factors.get(TRAVEL_FACTOR)
    kg_per_km = factor.kgco2e_per_unit if factor else None
    with db.session() as s:
        centres = CentreRepository(s).list()
        trials = [
            t for t in TrialRepository(s).list(status=TrialStatus.RECRUITING.value) if t.recruiting_sites()
        ]
    criteria = criteria_by_trial(trials, db)
    # each centre's patients are read inside that centre's partition; the evaluation then runs once
    # per trial over all of them (one vectorised batch: the per-call cost dominates, not the size)
    per_centre: dict[str, CentreTravel] = {}
    profiles = []
    for k, centre in enumerate(centres):
        origin = GeoPoint(centre.latitude, centre.longitude)
        with db.session() as s:
            mine = [
                p
                for p in PatientRepository(s, partition_actor(centre.id)).list(
                    centre_id=centre.id, limit=None
                )
                if p.home is not None and not p.deceased and not p.research_objection
            ]
        per_centre[centre.id] = CentreTravel(
            centre.id, len(mine), [haversine_km(p.home, origin) for p in mine if p.home]
        )
        profiles.extend(mine)
        if progress:
            progress(k + 1, len(centres) + 1)
    if profiles:
        batch = PatientBatch.from_profiles(profiles)
        homes = {p.id: (p.home, p.centre_id) for p in profiles}
        for trial in trials:
            first = next((site for site in trial.recruiting_sites() if site.location is not None), None)
            if first is None or first.location is None:
                continue
            result = evaluate_trial_over_patients(criteria[trial.id], batch)
            for pid in np.asarray(result.patient_ids, dtype=object)[np.asarray(result.possible, dtype=bool)]:
                home, centre_id = homes[str(pid)]
                nearest = nearest_recruiting_site(trial, home) if home is not None else None
                if home is None or nearest is None:
                    continue
                d_first = haversine_km(home, first.location)
                ct = per_centre[centre_id]
                ct.pairs += 1
                ct.km_first_site += d_first
                ct.km_nearest_site += nearest[1]
                ct.pairs_closer += nearest[1] < d_first - 1e-9
    if progress:
        progress(len(centres) + 1, len(centres) + 1)
    results = {c: figures(ct, kg_per_km, fs.version) for c, ct in per_centre.items()}
    now = datetime.now(UTC).replace(tzinfo=None)
    with db.session() as s:
        s.execute(delete(CarbonTravelRow))
        s.add_all(CarbonTravelRow(centre_id=c, computed_at=now, figures=f) for c, f in results.items())
        if audit.audited(requested_by):
            event = audit.event_for(
                requested_by,
                "travel.aggregate",
                detail=coded("travel.aggregate", patients=sum(f["patients"] for f in results.values())),
            )
            event.centre_ids = " ".join(sorted(results))
            event.n_records = sum(int(f["patients"]) for f in results.values())
            audit.record_read(s, event)
    return results


def figures(ct: CentreTravel, kg_per_km: float | None, factor_version: str) -> dict[str, Any]:
    km = ct.km_home or []
    saved = ct.km_first_site - ct.km_nearest_site
    return {
        "patients": ct.patients,
        "km_home_median": round(median(km), 1) if km else None,
        "km_home_mean": round(mean(km), 1) if km else None,
        "pairs": ct.pairs,
        "km_first_site": round(ct.km_first_site, 1),
        "km_nearest_site": round(ct.km_nearest_site, 1),
        "km_saved": round(saved, 1),
        "pairs_closer": ct.pairs_closer,
        # one visit = a round trip by car, for every pair: what choosing the nearest site saves per visit
        "kgco2e_saved_per_visit": round(2 * saved * kg_per_km, 1) if kg_per_km is not None else None,
        "kgco2e_per_km": kg_per_km,
        "factor_table": factor_version,
    }


def stored_travel(db: Database) -> tuple[datetime | None, dict[str, dict[str, Any]]]:
    """The stored figures, with cells of 10 patients (or pairs) or fewer suppressed."""
    with db.session() as s:
        rows = list(s.scalars(select(CarbonTravelRow)))
    out = {}
    for r in rows:
        f = dict(r.figures)
        f["suppressed"] = f["patients"] <= THRESHOLD
        if f["suppressed"]:
            f = {
                k: (None if k not in ("factor_table", "kgco2e_per_km", "suppressed") else v)
                for k, v in f.items()
            }
        elif f["pairs"] <= THRESHOLD:
            for key in (
                "pairs",
                "km_first_site",
                "km_nearest_site",
                "km_saved",
                "pairs_closer",
                "kgco2e_saved_per_visit",
            ):
                f[key] = None
            f["pairs_suppressed"] = True
        out[r.centre_id] = f
    computed = max((r.computed_at for r in rows), default=None)
    return computed, out
