"""What the centres published: per centre and year (papers, share with international co-authors,
journals), the co-publication network, paper lists with the trials they report, the affiliations
left for review. Public aggregates; the review queue is for the research office."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oncofed.research.network import copublication_edges
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from oncofed.store.models_research import (
    AffiliationRow,
    PublicationAffiliationRow,
    PublicationCentreRow,
    PublicationRow,
    PublicationTrialRow,
    SponsoredTrialRow,
)

TOP_JOURNALS = 3
NCT_ID = re.compile(r"^NCT\d{8}$")
CENTRE_YEAR_COLUMNS = [
    "centre_id",
    "centre",
    "year",
    "papers",
    "international",
    "international_share",
    "country_unknown",
    "network_copublications",
    "top_journals",
]


def years_with_papers(db: Database) -> list[int]:
    with db.session() as s:
        return [
            int(y or 0)
            for y in s.scalars(
                select(PublicationRow.year)
                .where(PublicationRow.year.is_not(None))
                .distinct()
                .order_by(PublicationRow.year)
            )
        ]


def centre_year_table(
    db: Database, names: dict[str, str], *, year: int | None = None, centre_id: str | None = None
) -> list[dict[str, Any]]:
    """One row per centre and year with papers attributed to the centre."""
    with db.session() as s:
        stmt = select(
            PublicationCentreRow.centre_id,
            PublicationCentreRow.year,
            PublicationRow.id,
            PublicationRow.international,
            PublicationRow.journal_abbrev,
            PublicationRow.journal,
        ).join(PublicationRow, PublicationRow.id == PublicationCentreRow.publication_id)
        if year is not None:
            stmt = stmt.where(PublicationCentreRow.year == year)
        if centre_id is not None:
            stmt = stmt.where(PublicationCentreRow.centre_id == centre_id)
        rows = s.execute(stmt).all()
        multi = {
            pid
            for pid, n in s.execute(
                select(PublicationCentreRow.publication_id, func.count())
                .group_by(PublicationCentreRow.publication_id)
                .having(func.count() > 1)
            )
        }
    cells: dict[tuple[str, int | None], dict[str, Any]] = {}
    for cid, y, pid, intl, abbrev, journal in rows:
        c = cells.setdefault((cid, y), {"papers": 0, "intl": 0, "unknown": 0, "co": 0, "journals": Counter()})
        c["papers"] += 1
        c["intl"] += intl is True
        c["unknown"] += intl is None
        c["co"] += pid in multi
        c["journals"][abbrev or journal or "(no journal)"] += 1
    out = []
    for (cid, y), c in sorted(cells.items(), key=lambda kv: (names.get(kv[0][0], kv[0][0]), kv[0][1] or 0)):
        known = c["papers"] - c["unknown"]
        out.append(
            {
                "centre_id": cid,
                "centre": names.get(cid, cid),
                "year": y,
                "papers": c["papers"],
                "international": c["intl"],
                "international_share": round(c["intl"] / known, 3) if known else None,
                "country_unknown": c["unknown"],
                "network_copublications": c["co"],
                "top_journals": "; ".join(f"{j} ({n})" for j, n in c["journals"].most_common(TOP_JOURNALS)),
            }
        )
    return out


def journals(
    db: Database, *, centre_id: str | None = None, year: int | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    with db.session() as s:
        label = func.coalesce(func.nullif(PublicationRow.journal_abbrev, ""), PublicationRow.journal)
        stmt = select(label, func.count(func.distinct(PublicationRow.id))).join(
            PublicationCentreRow, PublicationCentreRow.publication_id == PublicationRow.id
        )
        if centre_id:
            stmt = stmt.where(PublicationCentreRow.centre_id == centre_id)
        if year:
            stmt = stmt.where(PublicationCentreRow.year == year)
        rows = s.execute(
            stmt.group_by(label)
            .order_by(func.count(func.distinct(PublicationRow.id)).desc(), label)
            .limit(limit)
        ).all()
    return [{"journal": j or "(no journal)", "papers": int(n)} for j, n in rows]


def copublication(db: Database, names: dict[str, str], *, year: int | None = None) -> dict[str, Any]:
    """Nodes (papers per centre) and edges (papers shared by two centres)."""
    with db.session() as s:
        stmt = select(PublicationCentreRow.publication_id, PublicationCentreRow.centre_id)
        if year is not None:
            stmt = stmt.where(PublicationCentreRow.year == year)
        rows = s.execute(stmt).all()
    by_pub: dict[int, list[str]] = defaultdict(list)
    for pid, cid in rows:
        by_pub[pid].append(cid)
    edges = copublication_edges(by_pub.values())
    papers = Counter(cid for _, cid in rows)
    return {
        "year": year,
        "nodes": [
            {"centre_id": c, "centre": names.get(c, c), "papers": papers.get(c, 0)} for c in sorted(names)
        ],
        "edges": [
            {"a": a, "b": b, "centre_a": names.get(a, a), "centre_b": names.get(b, b), "papers": n}
            for (a, b), n in sorted(edges.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def trial_aliases(s: Session, trial_id: str) -> list[str]:
    """The NCT numbers a registry trial is also known by (`other_ids`)."""
    row = s.get(TrialRow, trial_id)
    return [x for x in (row.other_ids if row is not None else []) if NCT_ID.match(str(x))]


def registry_ids(s: Session, ncts: set[str]) -> dict[str, str]:
    """NCT number -> registry trial id: the trial itself, or a trial listing it among its other ids."""
    out = {t: t for t in s.scalars(select(TrialRow.id).where(TrialRow.id.in_(ncts)))}
    missing = ncts - set(out)
    if missing:
        for tid, others in s.execute(select(TrialRow.id, TrialRow.other_ids)):
            for x in others or []:
                if x in missing:
                    out.setdefault(str(x), tid)
    return out


PAPER_COLUMNS = [
    "pmid",
    "openalex_id",
    "doi",
    "year",
    "journal",
    "title",
    "centres",
    "international",
    "trials",
]


def papers(
    db: Database,
    *,
    centre_id: str | None = None,
    year: int | None = None,
    trial_id: str | None = None,
    page: int = 1,
    size: int = 50,
) -> dict[str, Any]:
    """Papers (newest first) with their centres and the trials they report (registry / sponsored)."""
    with db.session() as s:
        stmt = select(PublicationRow)
        if centre_id:
            stmt = stmt.join(
                PublicationCentreRow, PublicationCentreRow.publication_id == PublicationRow.id
            ).where(PublicationCentreRow.centre_id == centre_id)
        if trial_id:
            stmt = stmt.join(
                PublicationTrialRow, PublicationTrialRow.publication_id == PublicationRow.id
            ).where(PublicationTrialRow.nct_id == trial_id)
        if year:
            stmt = stmt.where(PublicationRow.year == year)
        total = int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        rows = s.scalars(
            stmt.order_by(PublicationRow.year.desc().nulls_last(), PublicationRow.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        ids = [r.id for r in rows]
        centres: dict[int, list[str]] = defaultdict(list)
        for pid, cid in s.execute(
            select(PublicationCentreRow.publication_id, PublicationCentreRow.centre_id).where(
                PublicationCentreRow.publication_id.in_(ids)
            )
        ):
            centres[pid].append(cid)
        trials: dict[int, list[dict[str, Any]]] = defaultdict(list)
        links = s.execute(
            select(
                PublicationTrialRow.publication_id, PublicationTrialRow.nct_id, PublicationTrialRow.found_in
            ).where(PublicationTrialRow.publication_id.in_(ids))
        ).all()
        ncts = {n for _, n, _ in links}
        in_registry = set(s.scalars(select(TrialRow.id).where(TrialRow.id.in_(ncts))))
        sponsored = set(
            s.scalars(select(SponsoredTrialRow.trial_id).where(SponsoredTrialRow.trial_id.in_(ncts)))
        )
        for pid, nct, where in links:
            trials[pid].append(
                {
                    "nct_id": nct,
                    "found_in": where,
                    "in_registry": nct in in_registry,
                    "sponsored": nct in sponsored,
                }
            )
    out = [
        {
            "id": r.id,
            "pmid": r.pmid,
            "openalex_id": r.openalex_id,
            "doi": r.doi,
            "year": r.year,
            "journal": r.journal_abbrev or r.journal,
            "title": r.title,
            "centres": sorted(centres.get(r.id, [])),
            "international": r.international,
            "trials": trials.get(r.id, []),
            "fictional": r.fictional,
        }
        for r in rows
    ]
    return {"total": total, "page": page, "size": size, "papers": out}


def paper_csv_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**r, "centres": " ".join(r["centres"]), "trials": " ".join(t["nct_id"] for t in r["trials"])}
        for r in rows
    ]


REVIEW_COLUMNS = ["id", "text", "country", "status", "proposed_centres", "reason", "papers", "reviewed_by"]


def affiliation_counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        rows = s.execute(select(AffiliationRow.status, func.count()).group_by(AffiliationRow.status)).all()
        reviewed = int(s.scalar(select(func.count()).where(AffiliationRow.reviewed_at.is_not(None))) or 0)
    out = {"matched": 0, "review": 0, "external": 0, **{str(k): int(n) for k, n in rows}}
    out["reviewed"] = reviewed
    out["total"] = sum(out[k] for k in ("matched", "review", "external"))
    return out


def affiliations(db: Database, *, status: str = "review", page: int = 1, size: int = 50) -> dict[str, Any]:
    """Affiliations of one status, the most cited first, with the papers citing each."""
    with db.session() as s:
        n_papers = func.count(PublicationAffiliationRow.publication_id)
        stmt = (
            select(AffiliationRow, n_papers)
            .outerjoin(
                PublicationAffiliationRow, PublicationAffiliationRow.affiliation_id == AffiliationRow.id
            )
            .group_by(AffiliationRow.id)
        )
        if status == "reviewed":
            stmt = stmt.where(AffiliationRow.reviewed_at.is_not(None))
        else:
            stmt = stmt.where(AffiliationRow.status == status)
        total = int(
            s.scalar(
                select(func.count()).where(
                    AffiliationRow.reviewed_at.is_not(None)
                    if status == "reviewed"
                    else AffiliationRow.status == status
                )
            )
            or 0
        )
        rows = s.execute(
            stmt.order_by(n_papers.desc(), AffiliationRow.id).offset((page - 1) * size).limit(size)
        ).all()
    return {
        "status": status,
        "total": total,
        "page": page,
        "size": size,
        "affiliations": [
            {
                "id": a.id,
                "text": a.text,
                "country": a.country,
                "status": a.status,
                "proposed_centres": " ".join(a.centre_ids),
                "centre_ids": list(a.centre_ids),
                "reason": a.reason,
                "papers": int(n),
                "reviewed_by": a.reviewed_by,
            }
            for a, n in rows
        ],
    }


def trial_papers(db: Database, trial_id: str) -> list[dict[str, Any]]:
    return list(papers(db, trial_id=trial_id, size=200)["papers"])


def papers_per_year(db: Database) -> list[dict[str, Any]]:
    """Papers with at least one network centre, and all papers imported, per year."""
    with db.session() as s:
        total = dict(s.execute(select(PublicationRow.year, func.count()).group_by(PublicationRow.year)).all())
        network = dict(
            s.execute(
                select(
                    PublicationCentreRow.year, func.count(func.distinct(PublicationCentreRow.publication_id))
                ).group_by(PublicationCentreRow.year)
            ).all()
        )
    return [
        {"year": y, "papers": int(total[y]), "network_papers": int(network.get(y, 0))}
        for y in sorted((y for y in total if y is not None), reverse=True)
    ]
