"""Storing parsed trials of one file: new trials by bulk INSERT, known ones merged and rewritten by bulk
UPDATE. Idempotent: each trial remembers the content hashes it was built from (`extra["import"]`), so
the same record again is `unchanged`; an older `last_update` from the same source is kept out; when
several sources describe one trial, the richer source wins and poorer ones only fill gaps."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from oncofed.domain import Trial
from oncofed.ingest.trials import trial_content_hash
from oncofed.store.mapping import site_to_domain, trial_to_domain
from oncofed.store.models import TrialRow, TrialSiteRow

if TYPE_CHECKING:
    from oncofed.services.trials.importing import FileReport

SOURCE_RANK = {
    "ctgov": 6,
    "ctgov-xml": 5,
    "fhir": 4,
    "ctml": 3,
    "aact": 2,
    "nli4ct": 2,
    "beir": 1,
    "trialgpt": 1,
}
MAX_SEEN_HASHES = 32
BATCH = 1000


def _merge_into(base: Trial, extra_source: Trial) -> Trial:
    """`base` with its empty fields filled from `extra_source` and extra keys it lacks."""
    updates: dict[str, Any] = {}
    for f in fields(Trial):
        if f.name in ("id", "source", "extra", "fictional"):
            continue
        if getattr(base, f.name) in (None, "", (), []) and getattr(extra_source, f.name) not in (
            None,
            "",
            (),
            [],
        ):
            updates[f.name] = getattr(extra_source, f.name)
    extra = {**{k: v for k, v in extra_source.extra.items() if k != "import"}, **base.extra}
    return replace(base, **updates, extra=extra)


def _with_seen(trial: Trial, seen: list[str]) -> Trial:
    trial.extra = {**trial.extra, "import": {"hashes": seen[-MAX_SEEN_HASHES:]}}
    return trial


def _row_values(t: Trial, content_hash: str) -> dict[str, Any]:
    return {
        "id": t.id,
        "source": t.source,
        "title": t.title,
        "official_title": t.official_title,
        "acronym": t.acronym,
        "brief_summary": t.brief_summary,
        "other_ids": list(t.other_ids),
        "status": t.status.value,
        "phases": [p.value for p in t.phases],
        "study_type": t.study_type,
        "conditions": list(t.conditions),
        "keywords": list(t.keywords),
        "interventions": list(t.interventions),
        "eligibility_text": t.eligibility_text,
        "min_age_years": t.min_age_years,
        "max_age_years": t.max_age_years,
        "sex": t.sex,
        "healthy_volunteers": t.healthy_volunteers,
        "enrolment": t.enrolment,
        "start_date": t.start_date,
        "completion_date": t.completion_date,
        "last_update": t.last_update,
        "sponsor": t.sponsor,
        "collaborators": list(t.collaborators),
        "fictional": t.fictional,
        "extra": t.extra,
        "content_hash": content_hash,
    }


def _site_values(t: Trial) -> list[dict[str, Any]]:
    return [
        {
            "trial_id": t.id,
            "centre_id": s.centre_id,
            "facility": s.facility[:300],
            "status": s.status.value,
            "city": s.city[:100],
            "country": s.country[:100],
            "postcode": s.postcode[:16],
            "latitude": s.latitude,
            "longitude": s.longitude,
            "target_enrolment": s.target_enrolment,
            "contact": s.contact[:300],
        }
        for s in t.sites
    ]


class TrialWriter:
    """Stores trials of one file in batches: new trials by bulk INSERT, known ones by bulk UPDATE."""

    def __init__(self, session: Session, report: FileReport) -> None:
        self.session = session
        self.report = report
        self.pending: list[tuple[Trial, str]] = []
        self.pending_ids: set[str] = set()

    def add(self, trial: Trial, content_hash: str) -> None:
        if trial.id in self.pending_ids:  # the same trial twice in one batch: store the first one first
            self.flush()
        self.pending.append((trial, content_hash))
        self.pending_ids.add(trial.id)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.pending_ids = set()
        ids = [t.id for t, _ in batch]
        known = {
            r.id: r
            for r in self.session.execute(
                select(TrialRow.id, TrialRow.source, TrialRow.last_update, TrialRow.extra).where(
                    TrialRow.id.in_(ids)
                )
            )
        }
        new_rows, new_sites, stored = [], [], []
        for trial, h in batch:
            row = known.get(trial.id)
            if row is None:
                _with_seen(trial, [h])
                new_rows.append(_row_values(trial, h))
                new_sites += _site_values(trial)
                self.report.imported += 1
            else:
                stored.append((trial, h, row))
        self._update(stored)
        # Core INSERTs on the tables (one DBAPI executemany each), not the ORM bulk path: the ORM path
        # re-processed every parameter set and fetched generated site ids one row at a time.
        if new_rows:
            self.session.execute(insert(TrialRow.metadata.tables["trials"]), new_rows)
        if new_sites:
            self.session.execute(insert(TrialSiteRow.metadata.tables["trial_sites"]), new_sites)

    def _update(self, known: list[tuple[Trial, str, Any]]) -> None:
        """Trials already stored: unchanged, kept (older), or merged and rewritten in one batch:
        one query loads the stored versions, one executemany UPDATE rewrites the rows, their sites
        are deleted and re-inserted in one statement each (it was one ORM load + flush per study)."""
        todo = []
        for trial, h, row in known:
            seen = list(((row.extra or {}).get("import") or {}).get("hashes") or [])
            if h in seen:
                self.report.unchanged += 1
            elif (
                row.source == trial.source
                and row.last_update is not None
                and trial.last_update is not None
                and trial.last_update < row.last_update
            ):
                self.report.unchanged += 1
                self.report.warnings.append(
                    f"{trial.id}: last update {trial.last_update} is older than the stored {row.last_update}: kept the stored version"
                )
            else:
                todo.append((trial, h, row, seen))
        if not todo:
            return
        stored_by_id = _stored_trials(self.session, [t.id for t, *_ in todo])
        values, sites = [], []
        for trial, h, row, seen in todo:
            stored = stored_by_id[trial.id]
            if SOURCE_RANK.get(trial.source, 0) < SOURCE_RANK.get(row.source, 0):
                merged = _merge_into(stored, trial)  # a poorer source only fills gaps
            else:
                merged = _merge_into(trial, stored) if trial.source != row.source else trial
                merged = replace(
                    merged, extra={**{k: v for k, v in stored.extra.items() if k != "import"}, **trial.extra}
                )
            new_hash = trial_content_hash(merged)
            _with_seen(merged, [*seen, h, new_hash])
            values.append({"b_id": merged.id, **_row_values(merged, new_hash)})
            sites += _site_values(merged)
            if new_hash == trial_content_hash(stored):
                self.report.unchanged += 1
            else:
                self.report.updated += 1
        trials_t, sites_t = TrialRow.metadata.tables["trials"], TrialRow.metadata.tables["trial_sites"]
        self.session.execute(delete(sites_t).where(sites_t.c.trial_id.in_([v["b_id"] for v in values])))
        stmt = update(trials_t).where(trials_t.c.id == bindparam("b_id")).values(updated_at=func.now())
        self.session.execute(stmt, values)
        if sites:
            self.session.execute(insert(sites_t), sites)


def _stored_trials(session: Session, ids: list[str]) -> dict[str, Trial]:
    """Stored trials with their sites, by id, in two Core queries (no ORM identity map)."""
    trials_t, sites_t = TrialRow.metadata.tables["trials"], TrialRow.metadata.tables["trial_sites"]
    sites: dict[str, list[Any]] = {tid: [] for tid in ids}
    for r in session.execute(select(sites_t).where(sites_t.c.trial_id.in_(ids)).order_by(sites_t.c.id)):
        sites[r.trial_id].append(r)
    out = {}
    for row in session.execute(select(trials_t).where(trials_t.c.id.in_(ids))):
        trial = trial_to_domain(row, with_sites=False)  # type: ignore[arg-type]  # a Core row has the same attributes
        trial.sites = [site_to_domain(r) for r in sites[row.id]]  # type: ignore[arg-type]
        out[row.id] = trial
    return out
