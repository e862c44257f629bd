"""The in-memory search index over every trial: numpy arrays for the filters, the one trial text index
(`matching/ranking/index.py`: one tokeniser, one document per trial, BM25 by bm25s) and the recruiting
sites' coordinates sorted by latitude for distance queries.

Built once per registry version (`registry_key`: the `trials_version` meta key bumped by imports,
the row count and the last update) and kept per database URL; the match index (services/matching)
is built on the same key and scores text through this index's `text`. Why not SQLite FTS5 /
PostgreSQL tsvector or DuckDB: the search must behave the same on both databases (same BM25 scores,
same stemming), and the distance filter is a vectorised haversine over numpy arrays either way;
bm25s gives the scoring in one sparse product. Profiled costs that shaped this file (20,000 trials,
2 busy cores): tokenising (see `ranking/index.py`); the distance filter computed the haversine of
every site and sorted them all (now: a latitude band by binary search, then only the sites of trials
still in the running)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oncofed.domain import GeoPoint, TrialStatus
from oncofed.domain.geo import EARTH_RADIUS_KM
from oncofed.matching.ranking.index import MAX_INDEXED_CHARS, TextIndex, Tokenizer, document_of
from oncofed.store.db import Database
from oncofed.store.models import MetaRow, TrialRow, TrialSiteRow

__all__ = ["MAX_INDEXED_CHARS", "TrialIndex", "Tokenizer", "bump_version", "get_index", "registry_key"]
STATUS_CODES = {s.value: i for i, s in enumerate(TrialStatus)}
KM_PER_DEGREE = np.pi * EARTH_RADIUS_KM / 180


class TrialIndex:
    """Arrays over every trial, in id order, plus a BM25 index of their text."""

    def __init__(self, db: Database) -> None:
        self.key = ""  # the registry version this index was built from (see `get_index`)
        ids: list[str] = []
        status, sex, min_age, max_age, conditions, phases = [], [], [], [], [], []
        docs: list[str] = []
        with db.session() as s:
            rows = s.execute(
                select(
                    TrialRow.id, TrialRow.status, TrialRow.sex, TrialRow.min_age_years, TrialRow.max_age_years,
                    TrialRow.conditions, TrialRow.phases, TrialRow.title, TrialRow.interventions,
                    TrialRow.keywords, TrialRow.eligibility_text, TrialRow.acronym, TrialRow.official_title,
                    TrialRow.brief_summary,
                ).order_by(TrialRow.id).execution_options(yield_per=2000)
            )  # fmt: skip
            for r in rows:
                ids.append(r.id)
                status.append(STATUS_CODES.get(r.status, STATUS_CODES["UNKNOWN"]))
                sex.append((r.sex or "ALL").upper())
                min_age.append(np.nan if r.min_age_years is None else r.min_age_years)
                max_age.append(np.nan if r.max_age_years is None else r.max_age_years)
                conditions.append(" | ".join(r.conditions or []).lower())
                phases.append(frozenset(r.phases or []))
                docs.append(
                    document_of(
                        title=r.title,
                        acronym=r.acronym or "",
                        official_title=r.official_title or "",
                        conditions=r.conditions or [],
                        interventions=r.interventions or [],
                        keywords=r.keywords or [],
                        brief_summary=r.brief_summary or "",
                        eligibility_text=r.eligibility_text or "",
                    )
                )
            site_trial, site_lat, site_lon, site_row = [], [], [], []
            centre_of: dict[str, set[int]] = {}
            position = {tid: i for i, tid in enumerate(ids)}
            sites = s.execute(
                select(
                    TrialSiteRow.id, TrialSiteRow.trial_id, TrialSiteRow.centre_id, TrialSiteRow.status,
                    TrialSiteRow.latitude, TrialSiteRow.longitude,
                ).execution_options(yield_per=5000)
            )  # fmt: skip
            recruiting, unknown = TrialStatus.RECRUITING.value, TrialStatus.UNKNOWN.value
            recruiting_code = STATUS_CODES[recruiting]
            for site in sites:
                i = position.get(site.trial_id)
                if i is None:
                    continue
                if site.centre_id:
                    centre_of.setdefault(site.centre_id, set()).add(i)
                # A site without a status of its own inherits a recruiting trial's status (see trial_search).
                is_recruiting = site.status == recruiting or (
                    site.status == unknown and status[i] == recruiting_code
                )
                if is_recruiting and site.latitude is not None and site.longitude is not None:
                    site_trial.append(i)
                    site_lat.append(site.latitude)
                    site_lon.append(site.longitude)
                    site_row.append(site.id)
        self.ids = ids
        self.n = len(ids)
        self.status = np.array(status, dtype=np.int8)
        self.sex = np.array(sex, dtype=object)
        self.min_age = np.array(min_age, dtype=float)
        self.max_age = np.array(max_age, dtype=float)
        self.conditions = conditions
        self.phases = phases
        self.centre_of = centre_of
        # Recruiting sites sorted by latitude: a distance query first takes the latitude band by binary search.
        lat = np.array(site_lat, dtype=float)
        by_lat = np.argsort(lat, kind="stable")
        self.s_lat_deg = lat[by_lat]
        self.s_lat = np.radians(self.s_lat_deg)
        self.s_lon = np.radians(np.array(site_lon, dtype=float)[by_lat])
        self.s_trial = np.array(site_trial, dtype=np.int64)[by_lat]
        self.s_row = np.array(site_row, dtype=np.int64)[by_lat]
        self.text = TextIndex(ids, docs)

    _ARRAYS = ("status", "sex", "min_age", "max_age", "s_lat_deg", "s_lat", "s_lon", "s_trial", "s_row")

    def save(self, path: Path) -> None:
        """Write the index to `path` (a new directory, created atomically by rename)."""
        tmp = path.parent / f".tmp-{uuid.uuid4().hex}"
        tmp.mkdir(parents=True)
        try:
            arrays = {name: getattr(self, name) for name in self._ARRAYS if name != "sex"}
            np.savez(tmp / "arrays.npz", **arrays)  # "sex" (strings) goes with the JSON below
            meta = {
                "key": self.key,
                "ids": self.ids,
                "sex": [str(x) for x in self.sex],
                "conditions": self.conditions,
                "phases": [sorted(p) for p in self.phases],
                "centre_of": {c: sorted(v) for c, v in self.centre_of.items()},
            }
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            self.text.save(tmp)
            os.replace(tmp, path)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not path.exists():
                raise

    @classmethod
    def load(cls, path: Path) -> TrialIndex:
        index = cls.__new__(cls)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        with np.load(path / "arrays.npz", allow_pickle=False) as arrays:
            for name in cls._ARRAYS:
                if name != "sex":
                    setattr(index, name, arrays[name])
        index.key = meta["key"]
        index.ids = meta["ids"]
        index.n = len(index.ids)
        index.sex = np.array(meta["sex"], dtype=object)
        index.conditions = meta["conditions"]
        index.phases = [frozenset(p) for p in meta["phases"]]
        index.centre_of = {c: set(v) for c, v in meta["centre_of"].items()}
        index.text = TextIndex.load(path, index.ids)
        if index.n != len(index.status):
            raise ValueError(f"inconsistent index files in {path}")
        return index

    def status_mask(self, statuses: list[str]) -> np.ndarray:
        codes = [STATUS_CODES[s] for s in statuses if s in STATUS_CODES]
        return np.isin(self.status, np.array(codes, dtype=np.int8))

    def scores(self, q: str) -> np.ndarray:
        return self.text.scores(q).astype(float)

    def nearest(
        self, origin: GeoPoint, within_km: float | None = None, among: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per trial: distance (km) to its nearest recruiting site (inf if none, or none within
        `within_km`) and that site's row id. Only trials where `among` is True are computed."""
        dist = np.full(self.n, np.inf)
        site = np.full(self.n, -1, dtype=np.int64)
        lo, hi = 0, len(self.s_trial)
        if within_km is not None:  # a site within d km lies within d / 111.2 degrees of latitude
            band = within_km / KM_PER_DEGREE + 1e-9
            lo = int(np.searchsorted(self.s_lat_deg, origin.latitude - band, side="left"))
            hi = int(np.searchsorted(self.s_lat_deg, origin.latitude + band, side="right"))
        trial, lat, lon, row = self.s_trial[lo:hi], self.s_lat[lo:hi], self.s_lon[lo:hi], self.s_row[lo:hi]
        if among is not None:
            keep = among[trial]
            trial, lat, lon, row = trial[keep], lat[keep], lon[keep], row[keep]
        if not len(trial):
            return dist, site
        lat0, lon0 = np.radians(origin.latitude), np.radians(origin.longitude)
        h = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
        d = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        if within_km is not None:
            inside = d <= within_km
            trial, d, row = trial[inside], d[inside], row[inside]
        # By trial, then distance, then site id: the first of each trial is its nearest site.
        order = np.lexsort((row, d, trial))
        first = np.ones(len(order), dtype=bool)
        first[1:] = trial[order][1:] != trial[order][:-1]
        best = order[first]
        dist[trial[best]] = d[best]
        site[trial[best]] = row[best]
        return dist, site


_cache: dict[str, TrialIndex] = {}
_lock = threading.Lock()


def bump_version(db: Database) -> None:
    """Mark the trials as changed (imports call this) so the next search rebuilds its index."""
    from oncofed.store.repositories import MetaRepository

    with db.session() as s:
        MetaRepository(s).set("trials_version", uuid.uuid4().hex)


def index_dir(db: Database) -> Path | None:
    """Where the index of this database is kept on disk: next to a SQLite file, else under var/."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            return None
        return Path(url.database + ".trial-index")
    from oncofed.config import load_settings

    name = hashlib.sha256(url.render_as_string(hide_password=True).encode("utf-8")).hexdigest()[:16]
    return load_settings().var_dir / "trial-index" / name


def _load_or_build(db: Database, key: str) -> TrialIndex:
    """The saved index for `key` if there is one, else a new one (saved for the next process).

    A command-line search is a new process each time: without the saved copy every `oncofed trials
    search` would re-tokenise the whole registry. Saved copies of older versions are removed."""
    root = index_dir(db)
    folder = root / hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] if root else None
    if folder is not None and folder.is_dir():
        try:
            index = TrialIndex.load(folder)
            if index.key == key:
                return index
        except Exception:  # noqa: BLE001 - unreadable, stale or half-deleted files: rebuild and replace them
            pass
        shutil.rmtree(folder, ignore_errors=True)
    index = TrialIndex(db)
    index.key = key
    if folder is not None and root is not None:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            for old in root.iterdir():
                if old.name != folder.name and not old.name.startswith(".tmp-"):
                    shutil.rmtree(old, ignore_errors=True)
            index.save(folder)
            if db.engine.url.get_backend_name() != "sqlite":  # under var/: keep the 4 most recent databases
                _prune(root.parent, keep=4)
        except OSError:
            pass  # a read-only disk only costs the next process a rebuild
    return index


def _prune(parent: Path, keep: int) -> None:
    """Remove all but the `keep` most recently written database folders (test runs create many)."""
    folders = sorted(
        (p for p in parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def registry_key(db: Database, session: Session | None = None) -> str:
    """The registry version: trial count, the `trials_version` bumped by imports, the last update.

    The one staleness key of the trial indexes (search here, match in services/matching); read in
    `session` when the caller holds one."""
    with db.session_or(session) as s:
        count, last = s.execute(
            select(func.count(), func.max(TrialRow.updated_at)).select_from(TrialRow)
        ).one()
        version = s.scalar(select(MetaRow.value).where(MetaRow.key == "trials_version"))
    return f"{int(count or 0)}:{version}:{last}"


def get_index(db: Database) -> TrialIndex:
    key = registry_key(db)
    with _lock:
        cached = _cache.get(db.url)
        if cached is None or cached.key != key:
            cached = _cache[db.url] = _load_or_build(db, key)
        return cached
