"""Import publications (PubMed XML, OpenAlex JSON) and attribute them to centres by affiliation.

A paper already stored (same PMID, else same OpenAlex id, else same DOI) is updated, never
duplicated; its PubMed and OpenAlex versions become one row. Each distinct affiliation string is
matched once (`research.affiliations`) and kept with its status: matched, review (listed for a
person, with the reason and the centres it might be), external. A reviewed decision is kept: the
same affiliation in a later import takes it as is. Rows are written in batches (Core inserts), one
transaction per file: a file that cannot be read changes nothing, every refused record is reported."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Role
from oncofed.errors import N_, NN_, InputError, NotFound
from oncofed.ingest.publications.detect import reader_for
from oncofed.research.affiliations import (
    MATCHED,
    AffiliationMatcher,
)
from oncofed.research.records import PublicationRecord
from oncofed.resources import load_tsv, load_yaml
from oncofed.services.network.centres import list_centres
from oncofed.services.research.publication_store import BATCH, PublicationWriter, chunks, utcnow
from oncofed.store.db import Database
from oncofed.store.models_research import (
    AffiliationRow,
    PublicationAffiliationRow,
    PublicationCentreRow,
    PublicationRow,
)

REVIEW_ROLES = frozenset({Role.TRIAL_MANAGER, Role.QUALITY_MANAGER, Role.ADMIN, Role.SYSTEM})


def make_matcher(db: Database) -> AffiliationMatcher:
    """The matcher over the stored centres, the registry alias table and the research rules."""
    return AffiliationMatcher(
        list_centres(db),
        [load_yaml("trials/site_aliases.yaml")],
        french_cities=[r["name"] for r in load_tsv("cities.tsv")],
    )


@dataclass
class PublicationImport:
    files: list[str] = field(default_factory=list)
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    new_affiliations: int = 0
    to_review: int = 0
    seconds: float = 0.0
    # each rejected / skipped record's reason as a piece of a sentence (`errors.part`, None: English only),
    # in the order of `rejected` / `skipped`: said in the reader's language (`oncofed --lang fr research import`)
    said: dict[str, list[dict[str, Any] | None]] = field(
        default_factory=lambda: {"rejected": [], "skipped": []}
    )

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("said")
        return out


def import_publications(
    db: Database,
    paths: Iterable[Path],
    *,
    fictional: bool = False,
    progress: Callable[[int], None] | None = None,
    matcher: AffiliationMatcher | None = None,
) -> PublicationImport:
    started = time.perf_counter()
    report = PublicationImport()
    matcher = matcher or make_matcher(db)
    for path in paths:
        reader = reader_for(path)
        report.files.append(path.name)
        with db.session() as s:
            writer = PublicationWriter(s, matcher, report, path.name, fictional)
            batch: list[tuple[str, PublicationRecord]] = []
            for item in reader(path):
                if item.publication is not None:
                    report.read += 1
                    batch.append((item.record, item.publication))
                elif item.skipped:
                    report.skipped.append({"file": path.name, "record": item.record, "reason": item.skipped})
                    report.said["skipped"].append(item.said)
                else:
                    report.rejected.append(
                        {"file": path.name, "record": item.record, "field": item.field, "reason": item.error}
                    )
                    report.said["rejected"].append(item.said)
                if len(batch) >= BATCH:
                    writer.write(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                writer.write(batch)
                if progress:
                    progress(len(batch))
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def review_affiliation(
    db: Database, actor: Actor, affiliation_id: int, centre_ids: Sequence[str]
) -> dict[str, Any]:
    """A person's decision on one affiliation: the centres it names (none = external). Kept for
    later imports; the papers citing it are re-attributed at once."""
    if actor.role not in REVIEW_ROLES:
        raise InputError(
            N_("the %(role)s role cannot review affiliations"),
            fix=N_("ask a trial or quality manager"),
            code="research.review_role",
            params={"role": actor.role.value},
        )
    known = {c.id for c in list_centres(db)}
    bad = [c for c in centre_ids if c not in known]
    if bad:
        raise InputError(
            NN_("unknown centre %(ids)s", "unknown centres %(ids)s"),
            field="centre_ids",
            fix=N_("use ids from /api/centres"),
            code="research.unknown_centres",
            params={"num": len(bad), "ids": list(bad)},
        )
    with db.session() as s:
        row = s.get(AffiliationRow, affiliation_id)
        if row is None:
            raise NotFound(
                N_("no affiliation %(affiliation)s"),
                fix=N_("see /research/affiliations"),
                code="research.unknown_affiliation",
                params={"affiliation": affiliation_id},
            )
        row.status = MATCHED if centre_ids else "external"
        row.centre_ids = sorted(set(centre_ids))
        row.reviewed_by, row.reviewed_at = actor.user_id, utcnow()
        row.reason = "reviewed"
        pubs = list(
            s.scalars(
                select(PublicationAffiliationRow.publication_id).where(
                    PublicationAffiliationRow.affiliation_id == affiliation_id
                )
            )
        )
        s.flush()
        reattribute(s, pubs)
    return {
        "affiliation_id": affiliation_id,
        "status": row.status,
        "centre_ids": row.centre_ids,
        "papers": len(pubs),
    }


def reattribute(s: Session, publication_ids: Sequence[int]) -> None:
    """Recompute the centres of these papers from their affiliations' current status."""
    for part in chunks(list(publication_ids)):
        s.execute(delete(PublicationCentreRow).where(PublicationCentreRow.publication_id.in_(part)))
        rows = s.execute(
            select(PublicationAffiliationRow.publication_id, AffiliationRow.centre_ids, PublicationRow.year)
            .join(AffiliationRow, AffiliationRow.id == PublicationAffiliationRow.affiliation_id)
            .join(PublicationRow, PublicationRow.id == PublicationAffiliationRow.publication_id)
            .where(PublicationAffiliationRow.publication_id.in_(part), AffiliationRow.status == MATCHED)
        ).all()
        pairs = {(pid, cid): year for pid, cids, year in rows for cid in cids}
        if pairs:
            s.execute(
                insert(PublicationCentreRow),
                [{"publication_id": p, "centre_id": c, "year": y} for (p, c), y in sorted(pairs.items())],
            )
