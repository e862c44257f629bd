"""Search trials: full text (BM25 via bm25s over title, conditions, interventions, keywords and
eligibility), filters (status, phase, condition, centre, sex, age) and "recruiting within N km of a
city or point", sorted by relevance or distance, paginated.

The index (`trial_index.py`) lives in memory per database and is rebuilt when the trials change (row
count or the `trials_version` meta key bumped by imports). Distances are computed with numpy over the
recruiting sites that have coordinates (within the latitude band of the requested radius, and only
for trials that pass the other filters), and a trial's distance is its *nearest* recruiting site. A
site counts as recruiting when its own status is RECRUITING, or when it has no status of its own
(UNKNOWN) and the trial as a whole is RECRUITING: registries often omit per-site statuses, and
dropping those sites would wrongly hide a trial whose only recruiting site it is."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select

from oncofed.domain import GeoPoint, Trial, TrialSite, TrialStatus
from oncofed.errors import N_, InputError
from oncofed.ingest.trials.sites import normalise
from oncofed.resources import load_tsv, load_yaml
from oncofed.services.trials.index import TrialIndex, bump_version, get_index
from oncofed.store.db import Database
from oncofed.store.mapping import trial_to_domain
from oncofed.store.models import TrialRow, TrialSiteRow
from oncofed.store.repositories import TrialRepository

__all__ = ["Hit", "SearchResult", "TrialIndex", "TrialQuery", "bump_version", "get_index", "search_trials"]


@dataclass
class TrialQuery:
    q: str = ""
    status: list[str] = field(default_factory=list)
    phase: list[str] = field(default_factory=list)
    condition: str = ""
    centre: str = ""
    sex: str = ""
    age: float | None = None
    city: str = ""
    lat: float | None = None
    lon: float | None = None
    within_km: float | None = None
    sort: str = ""  # relevance | distance | "" (relevance with text, distance with a place, else id)
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    trial: Trial
    score: float | None
    distance_km: float | None
    nearest_site: dict[str, Any] | None


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    origin: GeoPoint | None
    sort: str


def resolve_place(city: str = "", lat: float | None = None, lon: float | None = None) -> GeoPoint | None:
    if lat is not None or lon is not None:
        if lat is None or lon is None:
            raise InputError(
                N_("give both latitude and longitude"),
                field="lat/lon",
                fix=N_("for example lat=45.76 and lon=4.84"),
                code="search.lat_lon",
            )
        try:
            return GeoPoint(lat, lon)
        except ValueError as exc:
            raise InputError(
                N_("(%(lat)s, %(lon)s) is not a point on Earth"),
                field="lat/lon",
                fix=N_("latitude between -90 and 90, longitude between -180 and 180 (or leave both empty)"),
                code="search.not_on_earth",
                params={"lat": lat, "lon": lon},
            ) from exc
    if not city.strip():
        return None
    key = normalise(city)
    for row in load_tsv("cities.tsv"):
        if normalise(row["name"]) == key:
            return GeoPoint(float(row["latitude"]), float(row["longitude"]))
    for c in load_yaml("centres.yaml")["centres"]:
        if normalise(c["city"]) == key:
            return GeoPoint(float(c["latitude"]), float(c["longitude"]))
    raise InputError(
        N_("unknown city %(city)s"),
        field="city",
        fix=N_("use a city of the network's list, or a latitude and longitude"),
        code="search.city",
        params={"city": repr(city)},
    )


def search_trials(db: Database, query: TrialQuery) -> SearchResult:
    if query.page < 1 or not 1 <= query.per_page <= 500:
        raise InputError(
            N_("the page must be 1 or more and the page size between 1 and 500"),
            field="page",
            code="search.page",
        )
    if query.within_km is not None and query.within_km < 0:
        raise InputError(N_("the distance must be positive"), field="within_km", code="search.distance")
    origin = resolve_place(query.city, query.lat, query.lon)
    if query.within_km is not None and origin is None:
        raise InputError(
            N_("a distance needs a place"),
            field="within_km",
            fix=N_("give a city, or a latitude and longitude"),
            code="search.distance_place",
        )
    index = get_index(db)
    # Cheap vectorised filters first; per-trial Python checks (phase, condition) and the distance
    # computation then only look at the trials still in the running.
    mask = np.ones(index.n, dtype=bool)
    if query.status:
        mask &= index.status_mask([TrialStatus.parse(s).value for s in query.status])
    if query.centre:
        centre_mask = np.zeros(index.n, dtype=bool)
        centre_mask[list(index.centre_of.get(query.centre, ()))] = True
        mask &= centre_mask
    if query.sex:
        sex = query.sex.strip().upper()
        if sex not in ("FEMALE", "MALE", "ALL"):
            raise InputError(
                N_("sex %(sex)s is not FEMALE, MALE or ALL"),
                field="sex",
                code="search.sex",
                params={"sex": repr(query.sex)},
            )
        if sex != "ALL":
            mask &= (index.sex == "ALL") | (index.sex == sex)
    if query.age is not None:
        if not 0 <= query.age <= 130:
            raise InputError(N_("age must be between 0 and 130 years"), field="age", code="search.age")
        mask &= ~(index.min_age > query.age) & ~(index.max_age < query.age)  # NaN = no limit
    dist = site = None
    if origin is not None:
        dist, site = index.nearest(origin, query.within_km, among=mask)
        if query.within_km is not None:
            mask &= dist <= query.within_km
    if query.phase:
        wanted = {p.strip().upper() for p in query.phase if p.strip()}
        drop = [i for i in np.flatnonzero(mask) if not index.phases[i] & wanted]
        mask[drop] = False
    if query.condition.strip():
        needle = query.condition.strip().lower()
        drop = [i for i in np.flatnonzero(mask) if needle not in index.conditions[i]]
        mask[drop] = False
    scores = None
    if query.q.strip():
        scores = index.scores(query.q)
        mask &= scores > 0
    sort = query.sort or ("relevance" if scores is not None else "distance" if origin is not None else "id")
    if sort == "distance" and dist is None:
        raise InputError(
            N_("sorting by distance needs a place"),
            field="sort",
            fix=N_("give a city, or a latitude and longitude"),
            code="search.sort_place",
        )
    candidates = np.flatnonzero(mask)
    if sort == "relevance" and scores is not None:
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
    elif sort == "distance" and dist is not None:
        order = candidates[np.lexsort((candidates, dist[candidates]))]
    else:
        order = candidates
    start = (query.page - 1) * query.per_page
    page_idx = order[start : start + query.per_page]
    trials = _load_page(db, [index.ids[i] for i in page_idx])
    hits = []
    for i in page_idx:
        trial, site_rows = trials[index.ids[i]]
        nearest = None
        if site is not None and site[i] >= 0 and int(site[i]) in site_rows:
            r = site_rows[int(site[i])]
            nearest = {"facility": r.facility, "centre_id": r.centre_id, "city": r.city, "status": r.status}
        hits.append(
            Hit(
                trial=trial,
                score=round(float(scores[i]), 4) if scores is not None else None,
                distance_km=round(float(dist[i]), 1) if dist is not None and np.isfinite(dist[i]) else None,
                nearest_site=nearest,
            )
        )
    return SearchResult(
        total=len(order), page=query.page, per_page=query.per_page, hits=hits, origin=origin, sort=sort
    )


@functools.lru_cache(maxsize=64)
def _site_status(value: str) -> TrialStatus:
    return TrialStatus.parse(value)


def _load_page(db: Database, page_ids: list[str]) -> dict[str, tuple[Trial, dict[int, Any]]]:
    """The page's trials with their sites, in two Core queries (no ORM identity map or relationship
    loading: that was 40% of a query's time), keyed by id; each with its site rows by row id."""
    if not page_ids:
        return {}
    with db.session() as s:
        rows = s.execute(select(TrialRow.__table__).where(TrialRow.id.in_(page_ids))).all()
        sites: dict[str, list[Any]] = {tid: [] for tid in page_ids}
        stmt = select(TrialSiteRow.__table__).where(TrialSiteRow.trial_id.in_(page_ids))
        for r in s.execute(stmt.order_by(TrialSiteRow.id)):
            sites[r.trial_id].append(r)
    out = {}
    for row in rows:
        trial = trial_to_domain(row, with_sites=False)  # type: ignore[arg-type]
        trial.sites = [
            TrialSite(
                facility=r.facility,
                status=_site_status(r.status),
                centre_id=r.centre_id,
                city=r.city,
                country=r.country,
                postcode=r.postcode,
                latitude=r.latitude,
                longitude=r.longitude,
                target_enrolment=r.target_enrolment,
                contact=r.contact,
            )
            for r in sites[row.id]
        ]  # fmt: skip  (as `site_to_domain`, with the status parse memoised: it was 10% of a query)
        out[row.id] = (trial, {r.id: r for r in sites[row.id]})
    return out


def get_trial(db: Database, trial_id: str) -> Trial:
    with db.session() as s:
        return TrialRepository(s).get(trial_id)
