"""Search trials: full text (BM25 via bm25s over title, conditions, interventions, keywords and
eligibility), filters (status, phase, condition, centre, sex, age) and "recruiting within N km of a
city or point", sorted by relevance or distance, paginated.

The index lives in memory per database and is rebuilt when the trials change (row count or the
`trials_version` meta key bumped by imports). Distances are computed with numpy over every
recruiting site that has coordinates, and a trial's distance is its *nearest* recruiting site. A
site counts as recruiting when its own status is RECRUITING, or when it has no status of its own
(UNKNOWN) and the trial as a whole is RECRUITING: registries often omit per-site statuses, and
dropping those sites would wrongly hide a trial whose only recruiting site it is."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

import bm25s
import numpy as np
import Stemmer
from bm25s.tokenization import Tokenized
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from oncofed.domain import GeoPoint, Trial, TrialStatus
from oncofed.domain.geo import EARTH_RADIUS_KM
from oncofed.errors import InputError
from oncofed.ingest.trials.sites import normalise
from oncofed.resources import load_tsv, load_yaml
from oncofed.store.db import Database
from oncofed.store.mapping import trial_to_domain
from oncofed.store.models import MetaRow, TrialRow, TrialSiteRow
from oncofed.store.repositories import TrialRepository

MAX_INDEXED_CHARS = 20_000  # eligibility text beyond this is not indexed (keeps 100k trials in memory)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_STOP = set(bm25s.stopwords.STOPWORDS_EN)


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


class _Tokenizer:
    def __init__(self) -> None:
        self.stemmer = Stemmer.Stemmer("english")
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        out = []
        for tok in _TOKEN.findall(text.lower()):
            if tok in _STOP:
                continue
            stem = self.cache.get(tok)
            if stem is None:
                stem = self.cache[tok] = self.stemmer.stemWord(tok)
            out.append(stem)
        return out


class TrialIndex:
    """Arrays over every trial, in id order, plus a BM25 index of their text."""

    def __init__(self, db: Database) -> None:
        self.tokenizer = _Tokenizer()
        ids: list[str] = []
        status, sex, min_age, max_age, conditions, phases = [], [], [], [], [], []
        vocab: dict[str, int] = {}
        docs: list[list[int]] = []
        with db.session() as s:
            rows = s.execute(
                select(
                    TrialRow.id, TrialRow.status, TrialRow.sex, TrialRow.min_age_years, TrialRow.max_age_years,
                    TrialRow.conditions, TrialRow.phases, TrialRow.title, TrialRow.interventions,
                    TrialRow.keywords, TrialRow.eligibility_text, TrialRow.acronym,
                ).order_by(TrialRow.id).execution_options(yield_per=2000)
            )  # fmt: skip
            for r in rows:
                ids.append(r.id)
                status.append(r.status)
                sex.append((r.sex or "ALL").upper())
                min_age.append(np.nan if r.min_age_years is None else r.min_age_years)
                max_age.append(np.nan if r.max_age_years is None else r.max_age_years)
                conditions.append(" | ".join(r.conditions or []).lower())
                phases.append(frozenset(r.phases or []))
                text = " ".join(
                    [r.title, r.acronym or "", " ".join(r.conditions or []), " ".join(r.interventions or []),
                     " ".join(r.keywords or []), (r.eligibility_text or "")[:MAX_INDEXED_CHARS]]
                )  # fmt: skip
                docs.append([vocab.setdefault(t, len(vocab)) for t in self.tokenizer(text)])
            self.site_trial, self.site_lat, self.site_lon, self.site_row = [], [], [], []
            centre_of: dict[str, set[int]] = {}
            position = {tid: i for i, tid in enumerate(ids)}
            sites = s.execute(
                select(
                    TrialSiteRow.id, TrialSiteRow.trial_id, TrialSiteRow.centre_id, TrialSiteRow.status,
                    TrialSiteRow.latitude, TrialSiteRow.longitude,
                ).execution_options(yield_per=5000)
            )  # fmt: skip
            recruiting = TrialStatus.RECRUITING.value
            for site in sites:
                i = position.get(site.trial_id)
                if i is None:
                    continue
                if site.centre_id:
                    centre_of.setdefault(site.centre_id, set()).add(i)
                is_recruiting = site.status == recruiting or (
                    site.status == TrialStatus.UNKNOWN.value and status[i] == recruiting
                )
                if is_recruiting and site.latitude is not None and site.longitude is not None:
                    self.site_trial.append(i)
                    self.site_lat.append(site.latitude)
                    self.site_lon.append(site.longitude)
                    self.site_row.append(site.id)
        self.ids = ids
        self.n = len(ids)
        self.status = np.array(status, dtype=object)
        self.sex = np.array(sex, dtype=object)
        self.min_age = np.array(min_age, dtype=float)
        self.max_age = np.array(max_age, dtype=float)
        self.conditions = conditions
        self.phases = phases
        self.centre_of = centre_of
        self.s_trial = np.array(self.site_trial, dtype=np.int64)
        self.s_lat = np.radians(np.array(self.site_lat, dtype=float))
        self.s_lon = np.radians(np.array(self.site_lon, dtype=float))
        self.s_row = np.array(self.site_row, dtype=np.int64)
        self.bm25: bm25s.BM25 | None = None
        if self.n:
            self.bm25 = bm25s.BM25()
            self.bm25.index(Tokenized(ids=docs, vocab=vocab), show_progress=False)

    def scores(self, q: str) -> np.ndarray:
        tokens = self.tokenizer(q)
        if self.bm25 is None or not tokens:
            return np.zeros(self.n)
        return np.asarray(self.bm25.get_scores(tokens), dtype=float)

    def nearest(self, origin: GeoPoint) -> tuple[np.ndarray, np.ndarray]:
        """Per trial: distance (km) to its nearest recruiting site (inf if none) and that site's row id."""
        dist = np.full(self.n, np.inf)
        site = np.full(self.n, -1, dtype=np.int64)
        if not len(self.s_trial):
            return dist, site
        lat0, lon0 = np.radians(origin.latitude), np.radians(origin.longitude)
        h = (
            np.sin((self.s_lat - lat0) / 2) ** 2
            + np.cos(lat0) * np.cos(self.s_lat) * np.sin((self.s_lon - lon0) / 2) ** 2
        )
        d = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        order = np.lexsort(
            (d, self.s_trial)
        )  # by trial, then distance: the first of each trial is its nearest
        first = np.ones(len(order), dtype=bool)
        first[1:] = self.s_trial[order][1:] != self.s_trial[order][:-1]
        best = order[first]
        dist[self.s_trial[best]] = d[best]
        site[self.s_trial[best]] = self.s_row[best]
        return dist, site


_cache: dict[str, tuple[tuple[Any, ...], TrialIndex]] = {}
_lock = threading.Lock()


def bump_version(db: Database) -> None:
    """Mark the trials as changed (imports call this) so the next search rebuilds its index."""
    import uuid

    from oncofed.store.repositories import MetaRepository

    with db.session() as s:
        MetaRepository(s).set("trials_version", uuid.uuid4().hex)


def get_index(db: Database) -> TrialIndex:
    with db.session() as s:
        signature = (
            s.scalar(select(func.count()).select_from(TrialRow)),
            s.scalar(select(MetaRow.value).where(MetaRow.key == "trials_version")),
        )
    with _lock:
        cached = _cache.get(db.url)
        if cached is None or cached[0] != signature:
            cached = (signature, TrialIndex(db))
            _cache[db.url] = cached
        return cached[1]


def resolve_place(city: str = "", lat: float | None = None, lon: float | None = None) -> GeoPoint | None:
    if lat is not None or lon is not None:
        if lat is None or lon is None:
            raise InputError(
                "give both latitude and longitude", field="lat/lon", fix="e.g. lat=45.76&lon=4.84"
            )
        try:
            return GeoPoint(lat, lon)
        except ValueError as exc:
            raise InputError(str(exc), field="lat/lon") from exc
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
        f"unknown city {city!r}", field="city", fix="use a city of the network's list, or lat and lon"
    )


def search_trials(db: Database, query: TrialQuery) -> SearchResult:
    if query.page < 1 or not 1 <= query.per_page <= 500:
        raise InputError("page must be >= 1 and per_page between 1 and 500", field="page")
    if query.within_km is not None and query.within_km < 0:
        raise InputError("the distance must be positive", field="within_km")
    origin = resolve_place(query.city, query.lat, query.lon)
    if query.within_km is not None and origin is None:
        raise InputError("a distance needs a place", field="within_km", fix="add city=... or lat=...&lon=...")
    index = get_index(db)
    mask = np.ones(index.n, dtype=bool)
    if query.status:
        mask &= np.isin(index.status, [TrialStatus.parse(s).value for s in query.status])
    if query.phase:
        wanted = {p.strip().upper() for p in query.phase if p.strip()}
        mask &= np.fromiter((bool(p & wanted) for p in index.phases), dtype=bool, count=index.n)
    if query.condition.strip():
        needle = query.condition.strip().lower()
        mask &= np.fromiter((needle in c for c in index.conditions), dtype=bool, count=index.n)
    if query.centre:
        centre_mask = np.zeros(index.n, dtype=bool)
        centre_mask[list(index.centre_of.get(query.centre, ()))] = True
        mask &= centre_mask
    if query.sex:
        sex = query.sex.strip().upper()
        if sex not in ("FEMALE", "MALE", "ALL"):
            raise InputError(f"sex {query.sex!r} is not FEMALE, MALE or ALL", field="sex")
        if sex != "ALL":
            mask &= (index.sex == "ALL") | (index.sex == sex)
    if query.age is not None:
        if not 0 <= query.age <= 130:
            raise InputError("age must be between 0 and 130 years", field="age")
        mask &= ~(index.min_age > query.age) & ~(index.max_age < query.age)  # NaN = no limit
    scores = None
    if query.q.strip():
        scores = index.scores(query.q)
        mask &= scores > 0
    dist = site = None
    if origin is not None:
        dist, site = index.nearest(origin)
        if query.within_km is not None:
            mask &= dist <= query.within_km
    sort = query.sort or ("relevance" if scores is not None else "distance" if origin is not None else "id")
    if sort == "distance" and dist is None:
        raise InputError("sorting by distance needs a place", field="sort", fix="add city=... or lat/lon")
    candidates = np.flatnonzero(mask)
    if sort == "relevance" and scores is not None:
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
    elif sort == "distance" and dist is not None:
        order = candidates[np.lexsort((candidates, dist[candidates]))]
    else:
        order = candidates
    start = (query.page - 1) * query.per_page
    page_idx = order[start : start + query.per_page]
    hits = []
    with db.session() as s:
        site_rows = {}
        if site is not None and len(page_idx):
            wanted_sites = [int(site[i]) for i in page_idx if site[i] >= 0]
            site_rows = {
                r.id: r for r in s.scalars(select(TrialSiteRow).where(TrialSiteRow.id.in_(wanted_sites)))
            }
        page_ids = [index.ids[i] for i in page_idx]
        rows = s.scalars(
            select(TrialRow).where(TrialRow.id.in_(page_ids)).options(selectinload(TrialRow.sites))
        )
        trials = {r.id: trial_to_domain(r) for r in rows}
        for i in page_idx:
            trial = trials[index.ids[i]]
            nearest = None
            if site is not None and site[i] >= 0 and int(site[i]) in site_rows:
                r = site_rows[int(site[i])]
                nearest = {
                    "facility": r.facility,
                    "centre_id": r.centre_id,
                    "city": r.city,
                    "status": r.status,
                }
            hits.append(
                Hit(
                    trial=trial,
                    score=round(float(scores[i]), 4) if scores is not None else None,
                    distance_km=round(float(dist[i]), 1)
                    if dist is not None and np.isfinite(dist[i])
                    else None,
                    nearest_site=nearest,
                )
            )
    return SearchResult(
        total=len(order), page=query.page, per_page=query.per_page, hits=hits, origin=origin, sort=sort
    )


def get_trial(db: Database, trial_id: str) -> Trial:
    with db.session() as s:
        return TrialRepository(s).get(trial_id)
