"""Where to refer a patient for a trial: the trial's recruiting network sites and the one to propose.

The patient's own centre first when it recruits for the trial (the patient stays with the team that
knows them, and the referral puts them on that centre's pre-screening list), with its distance from
the patient's home when both are placed (else `km` is None: it recruits, the distance is unknown);
else the recruiting centre nearest to the patient's home (or, with
no home on record, nearest to the patient's centre), with its distance; else the first by name. This is
the one answer to "where can this patient be referred": the match page's line for each trial, its
referral form, the API and `oncofed patients refer` (without `--site`) propose the same site and say
why (`why`: "own_centre", "nearest_home", "nearest_centre", "first")."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, GeoPoint, TrialStatus
from oncofed.domain.geo import haversine_km
from oncofed.errors import N_, InputError
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, TrialSiteRow
from oncofed.store.repositories import PatientRepository

OWN_CENTRE, NEAREST_HOME, NEAREST_CENTRE, FIRST = "own_centre", "nearest_home", "nearest_centre", "first"


@dataclass(frozen=True)
class Site:
    centre_id: str
    name: str
    contact: str
    point: GeoPoint | None


def _point(lat: float | None, lon: float | None) -> GeoPoint | None:
    try:
        return GeoPoint(lat, lon) if lat is not None and lon is not None else None
    except ValueError:
        return None


def recruiting_sites(session: Session, trial_ids: list[str]) -> dict[str, list[Site]]:
    """Each trial's recruiting network sites, by centre name."""
    out: dict[str, list[Site]] = {tid: [] for tid in trial_ids}
    rows = session.execute(
        select(
            TrialSiteRow.trial_id,
            TrialSiteRow.centre_id,
            CentreRow.name,
            TrialSiteRow.contact,
            CentreRow.latitude,
            CentreRow.longitude,
        )
        .join(CentreRow, CentreRow.id == TrialSiteRow.centre_id)
        .where(TrialSiteRow.trial_id.in_(trial_ids), TrialSiteRow.status == TrialStatus.RECRUITING.value)
        .order_by(CentreRow.name, CentreRow.id)
    )
    for tid, cid, name, contact, lat, lon in rows:
        if not any(s.centre_id == cid for s in out[tid]):
            out[tid].append(Site(str(cid), name, contact or "", _point(lat, lon)))
    return out


def choose(
    sites: list[Site], own_centre: str, home: GeoPoint | None, centre_point: GeoPoint | None
) -> dict[str, Any]:
    """`{"centre_id", "why", "km"}`: the site to propose among `sites` (None when there is none)."""
    if not sites:
        return {"centre_id": None, "why": None, "km": None}
    for s in sites:
        if s.centre_id == own_centre:
            away = round(haversine_km(home, s.point)) if home is not None and s.point is not None else None
            return {"centre_id": s.centre_id, "why": OWN_CENTRE, "km": away}
    origin, why = (home, NEAREST_HOME) if home is not None else (centre_point, NEAREST_CENTRE)
    placed = [(haversine_km(origin, s.point), s) for s in sites if origin is not None and s.point is not None]
    if placed:
        km, best = min(placed, key=lambda p: (p[0], p[1].name))
        return {"centre_id": best.centre_id, "why": why, "km": round(km)}
    return {"centre_id": sites[0].centre_id, "why": FIRST, "km": None}


def referral_options(
    session: Session, trial_ids: list[str], own_centre: str, home: GeoPoint | None
) -> dict[str, dict[str, Any]]:
    """Per trial: `{"sites": [{"centre_id", "name", "contact"}], "default": {"centre_id", "name", "why",
    "km"}}` (the default's name is "" when the trial recruits at no network centre)."""
    centre = session.get(CentreRow, own_centre)
    centre_point = _point(centre.latitude, centre.longitude) if centre is not None else None
    out: dict[str, dict[str, Any]] = {}
    for tid, sites in recruiting_sites(session, trial_ids).items():
        default = choose(sites, own_centre, home, centre_point)
        name = next((s.name for s in sites if s.centre_id == default["centre_id"]), "")
        out[tid] = {
            "sites": [{"centre_id": s.centre_id, "name": s.name, "contact": s.contact} for s in sites],
            "default": default | {"name": name},
        }
    return out


def patient_referral_options(db: Database, actor: Actor, patient_id: str, trial_id: str) -> dict[str, Any]:
    """The sites of `trial_id` for this patient (read through the caller's scope, for care) and the one
    to propose; refused with a reason when the trial recruits at no network centre."""
    with db.session() as s:
        profile = PatientRepository(s, dataclasses.replace(actor, purpose="care")).get(patient_id)
        options = referral_options(s, [trial_id], profile.centre_id, profile.home)[trial_id]
    if not options["sites"]:
        raise InputError(
            N_("trial %(trial)s recruits at no network centre"),
            field="site",
            fix=N_("ask the trial office to open it at a centre before referring a patient"),
            code="referral.no_site",
            params={"trial": trial_id},
        )
    return {"patient_id": patient_id, "trial_id": trial_id, **options}
