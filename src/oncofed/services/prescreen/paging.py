"""A pre-screening list as a research nurse works it at scale: one page at a time, sorted and
filtered in the database (a 5,000-candidate list never travels whole), counts for every tab in one
grouped query, and each criterion in words (section + text, never "inc -2").

Tabs: `candidates` (default: the plausible ones, eligible or possibly eligible: the hard filters,
sex, age and cancer type among them, already applied), `eligible`, `possible`, `unlikely` (probably
not eligible, to check: a criterion read as not met by a kind of reading the decision policy does
not trust to exclude alone, listed first in the row), `new` (candidates since the user's last visit),
`blocked` (not eligible: a trusted reading blocks, listed), `all`. A GET reads
only: the visit is marked by the refresh (POST), as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Select, case, func, select

from oncofed.domain import Actor
from oncofed.errors import N_, InputError
from oncofed.matching import trust
from oncofed.services.prescreen import odds
from oncofed.services.prescreen.access import (
    PrescreenPatients,
    check_centre,
    research_actor,
    trial_criteria_hash,
    utcnow,
)
from oncofed.services.prescreen.engine import (
    CANDIDATE,
    DEFAULT_ENGINE,
    PrescreenEngine,
    criteria_texts,
    held_texts,
)
from oncofed.services.prescreen.lists import VISIT_SESSION, prescreen_index
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_prescreen import (
    PrescreenResultRow,
    PrescreenRunRow,
    PrescreenVisitRow,
    ScreeningCandidateRow,
)
from oncofed.store.repositories import TrialRepository

TABS = ("candidates", "eligible", "possible", "unlikely", "new", "blocked", "all")
SORTS = ("rank", "score", "patient", "status", "updated")
HELD_SORTS = ("rank", "status", "updated")  # the sorts whose ties follow the list's rank (`_order`)
SHOW_TO_TAB = {
    "all": "all",
    "new": "new",
    "eligible": "eligible",
    "possible": "possible",
    "unlikely": "unlikely",
    "not_eligible": "blocked",
}
MAX_SIZE = 500
LABEL_RE = re.compile(r"^(inc|exc|inclusion|exclusion)\s+(-?\d+):\s*(.*)$", re.S)


@dataclass(frozen=True)
class ListQuery:
    tab: str = "candidates"
    sort: str = "rank"
    status: str = ""  # screening status filter (new, pending, flagged, ...)
    q: str = ""  # patient id or name contains
    page: int = 1
    size: int = 50

    def checked(self) -> ListQuery:
        if self.tab not in TABS:
            raise InputError(
                N_("no tab '%(text)s'"),
                field="tab",
                fix=N_("use one of: %(choices)s"),
                code="prescreen.tab",
                params={"text": self.tab, "choices": list(TABS)},
            )
        if self.sort not in SORTS:
            raise InputError(
                N_("cannot sort by '%(text)s'"),
                field="sort",
                fix=N_("use one of: %(choices)s"),
                code="prescreen.sort",
                params={"text": self.sort, "choices": list(SORTS)},
            )
        if not 1 <= self.size <= MAX_SIZE:
            raise InputError(
                N_("page size %(size)s"),
                field="size",
                fix=N_("between 1 and %(limit)s"),
                code="prescreen.page_size",
                params={"size": self.size, "limit": MAX_SIZE},
            )
        return self


def criterion_words(label: str) -> dict[str, str]:
    """A stored criterion label ("inc 3: ECOG 0-1", "inc -2: age >= 18") as section and text:
    negative indexes are the registry's own fields (age, sex), not a line of the eligibility text."""
    m = LABEL_RE.match(label)
    if not m:
        return {"section": "criterion", "text": label}
    kind, index, text = m.groups()
    section = "registry" if int(index) < 0 else ("inclusion" if kind.startswith("inc") else "exclusion")
    return {"section": section, "text": text}


def _last_visit(s: Any, actor: Actor, trial_id: str, centre_id: str) -> datetime | None:
    visit = s.get(PrescreenVisitRow, (actor.user_id, trial_id, centre_id))
    if visit is None:
        return None
    new_session = utcnow() - visit.last_visit_at > VISIT_SESSION
    return visit.last_visit_at if new_session else visit.session_since


def held_count() -> Any:
    """The number of criteria a stored result holds back (code `4` in its verdict string), in SQL."""
    r = PrescreenResultRow
    return func.length(r.verdicts) - func.length(func.replace(r.verdicts, "4", ""))


def held_group() -> tuple[Any, Any]:
    """The probably-not rows' kinds (None for other rows) and, for those stored without kinds (a plug-in
    engine), the number of criteria held (`CASE` reads the verdict string for those alone)."""
    r = PrescreenResultRow
    unlikely = r.eligibility == "unlikely"
    return (
        case((unlikely, r.held_kinds), else_=None),
        case((unlikely & (r.held_kinds == ""), held_count()), else_=0),
    )


def held_order(groups: dict[tuple[str, int], int], table: odds.Table) -> Any:
    """The place of each "probably not" row in its tab (`odds.order_of`: the patients whose held-back
    readings are most likely wrong first), as a SQL expression over the few distinct kinds of the list
    (`groups`: (kinds, number held for rows without kinds) -> rows, counted with the tabs), so that the
    database still sorts and pages; 0 for any other row. A row's kinds name its held criteria one by one,
    so they alone say where it goes. The WHENs come most frequent first: few comparisons per row."""
    if not groups:
        return None
    r = PrescreenResultRow
    places = odds.order_of(list(groups), table)
    frequent = sorted(groups, key=lambda g: -groups[g])
    whens = [
        ((r.held_kinds == k) & (held_count() == n) if not k else r.held_kinds == k, places[(k, n)])
        for k, n in frequent
    ]
    return case(*whens, else_=0)


def _order(stmt: Select[Any], sort: str, status: Any, held: Any = None) -> Select[Any]:
    r = PrescreenResultRow
    elig = case(
        (r.eligibility == "eligible", 0),
        (r.eligibility == "possible", 1),
        (r.eligibility == "unlikely", 2),
        else_=3,
    )
    # within "probably not": most likely eligible after all first (odds.py), then the list's own order
    rank = (elig, *(() if held is None else (held,)), r.score.desc(), r.n_unknown, r.patient_id)
    if sort == "score":
        return stmt.order_by(r.score.desc(), r.patient_id)
    if sort == "patient":
        return stmt.order_by(r.patient_id)
    if sort == "status":
        return stmt.order_by(status, *rank)
    if sort == "updated":
        return stmt.order_by(ScreeningCandidateRow.updated_at.desc().nulls_last(), *rank)
    return stmt.order_by(*rank)


def list_page(
    db: Database,
    trial_id: str,
    centre_id: str,
    actor: Actor,
    query: ListQuery,
    *,
    engine: PrescreenEngine | None = None,
    everything: bool = False,
) -> dict[str, Any]:
    """One page of the list (or every row of the tab with `everything`, for CSV) with the counts."""
    query = query.checked()
    ractor = research_actor(actor)
    r, c = PrescreenResultRow, ScreeningCandidateRow
    with db.session() as s:
        trial = TrialRepository(s).get(trial_id)
        centre_name = check_centre(s, ractor, trial, centre_id)
        visible = PrescreenPatients(s, ractor).living_ids(centre_id)
        last = _last_visit(s, actor, trial_id, centre_id)
        run = s.get(PrescreenRunRow, (trial_id, centre_id))
        labels = run.labels if run is not None else None
        stale = run is None or run.trial_hash != trial_criteria_hash(trial, engine or DEFAULT_ENGINE, db)
        status = func.coalesce(c.status, "new")
        # The list's rows: visible results of (trial, centre). Each statement joins only what it
        # reads (a result has at most one screening candidate, primary key (trial, patient), and every
        # visible id is a patient): at 5,000 results per list the joins were most of the page's cost.
        mine = (r.trial_id == trial_id, r.centre_id == centre_id, r.patient_id.in_(visible))
        with_status = cast(
            Select[Any],
            select(r.patient_id)
            .outerjoin(c, (c.trial_id == r.trial_id) & (c.patient_id == r.patient_id))
            .where(*mine),
        )
        is_new = r.became_candidate_at.is_not(None) & r.eligibility.in_(CANDIDATE)
        if last is not None:
            is_new = is_new & (r.became_candidate_at > last)
        # counts of every tab, and of each screening status within the current tab: one grouped query
        new_flag = case((is_new, 1), else_=0)
        # ... and of the probably-not rows' kinds of reading (their places in the tab: `held_order`)
        kinds, n_held = held_group()
        grouped = with_status.with_only_columns(
            r.eligibility, status, new_flag, kinds, n_held, func.count()
        ).group_by(r.eligibility, status, new_flag, kinds, n_held)
        in_tab = {
            "candidates": lambda e, new: e in CANDIDATE,
            "eligible": lambda e, new: e == "eligible",
            "possible": lambda e, new: e == "possible",
            "unlikely": lambda e, new: e == "unlikely",
            "blocked": lambda e, new: e == "not_eligible",
            "new": lambda e, new: bool(new),
            "all": lambda e, new: True,
        }[query.tab]
        counts = {"eligible": 0, "possible": 0, "unlikely": 0, "blocked": 0, "new": 0}
        statuses: dict[str, int] = {}
        held_groups: dict[tuple[str, int], int] = {}
        for eligibility, st, n_new, held_kinds, held_n, n in s.execute(grouped):
            counts["blocked" if eligibility == "not_eligible" else eligibility] += int(n)
            if eligibility == "unlikely":
                key = (held_kinds or "", int(held_n or 0))
                held_groups[key] = held_groups.get(key, 0) + int(n)
            counts["new"] += int(n) if n_new else 0
            if in_tab(eligibility, n_new):
                statuses[st] = statuses.get(st, 0) + int(n)
        counts["candidates"] = counts["eligible"] + counts["possible"]
        counts["all"] = counts["candidates"] + counts["unlikely"] + counts["blocked"]
        stmt: Select[Any] = with_status
        if query.tab == "candidates":
            stmt = stmt.where(r.eligibility.in_(CANDIDATE))
        elif query.tab in ("eligible", "possible", "unlikely"):
            stmt = stmt.where(r.eligibility == query.tab)
        elif query.tab == "blocked":
            stmt = stmt.where(r.eligibility == "not_eligible")
        elif query.tab == "new":
            stmt = stmt.where(is_new)
        if query.status:
            stmt = stmt.where(status == query.status)
        if query.q.strip():
            like = f"%{query.q.strip().lower()}%"
            stmt = stmt.join(PatientRow, PatientRow.id == r.patient_id).where(
                func.lower(r.patient_id).like(like) | func.lower(PatientRow.display_name).like(like)
            )
            total = int(s.scalar(stmt.with_only_columns(func.count()).order_by(None)) or 0)
        else:  # the tab's rows, of one status when filtered: already counted above
            total = statuses.get(query.status, 0) if query.status else sum(statuses.values())
        table = odds.shipped_table()
        row_odds = odds.RowOdds(table)  # each distinct (kinds, count) of the page once
        ordered = counts["unlikely"] and query.tab in ("unlikely", "all") and query.sort in HELD_SORTS
        held = held_order(held_groups, table) if ordered else None
        stmt = _order(stmt, query.sort, status, held)
        offset = 0
        if not everything:
            pages = max(1, -(-total // query.size))
            page = min(query.page, pages)
            offset = (page - 1) * query.size
            stmt = stmt.limit(query.size).offset(offset)
        # the page's ids in order first, then their rows and names (joined for those ids only)
        order = list(s.scalars(stmt))
        named = (
            select(r, c, PatientRow.display_name)
            .join(PatientRow, PatientRow.id == r.patient_id)
            .outerjoin(c, (c.trial_id == r.trial_id) & (c.patient_id == r.patient_id))
        )
        found: dict[str, tuple[Any, Any, Any]] = {}
        for k in range(0, len(order), 5000):  # a whole tab for CSV: in chunks (bound parameters)
            chunk = named.where(r.trial_id == trial_id, r.patient_id.in_(order[k : k + 5000]))
            found.update({res.patient_id: (res, cand, name) for res, cand, name in s.execute(chunk)})
        page_rows = [found[pid] for pid in order]
        rows = []
        for n, (res, cand, name) in enumerate(page_rows, start=offset + 1):
            to_check, blocking = criteria_texts(res.verdicts, labels, res.eligibility)
            read_not_met = [criterion_words(x) for x in held_texts(res.verdicts, labels)]
            unlikely = res.eligibility == "unlikely"
            held_back, wrong = row_odds.of(res.held_kinds, read_not_met) if unlikely else ([], None)
            became = res.became_candidate_at
            rows.append(
                {
                    "rank": n,
                    "patient_id": res.patient_id,
                    "display_name": name or "",
                    "eligibility": res.eligibility,
                    "score": res.score,
                    "is_new": res.eligibility in CANDIDATE
                    and became is not None
                    and (last is None or became > last),
                    "to_check": [criterion_words(x) for x in to_check],
                    "read_not_met": read_not_met,
                    # per criterion read as not met: its kinds of reading and how often each was right
                    "held_back": held_back,
                    "wrong_chance": None if wrong is None else round(wrong, 4),
                    "blocking": [criterion_words(x) for x in blocking],
                    "status": cand.status if cand else "new",
                    "version": cand.version if cand else 0,
                    "reason": cand.reason if cand else "",
                    "note": cand.note if cand else "",
                    "updated_by": cand.updated_by if cand else "",
                    "updated_at": cand.updated_at.isoformat(timespec="seconds") if cand else None,
                }  # fmt: skip
            )
        PrescreenPatients(s, ractor).audit(
            "prescreen.list", [SimpleNamespace(id=x["patient_id"], centre_id=centre_id) for x in rows]
        )
        computed_at = run.computed_at if run is not None else None
    pages = max(1, -(-total // query.size))
    in_force = trust.policy()
    return {
        "trial_id": trial_id, "trial_title": trial.title, "centre_id": centre_id, "centre": centre_name,
        "last_visit_at": last.isoformat(timespec="seconds") if last else None,
        "computed_at": computed_at.isoformat(timespec="seconds") if computed_at else None, "stale": stale,
        "tab": query.tab, "sort": query.sort, "status": query.status, "q": query.q,
        "page": min(query.page, pages), "size": query.size, "pages": pages, "total": total,
        "counts": counts, "statuses": statuses, "candidates": rows,
        # the kinds of reading trusted to exclude alone (matching/trust.py; None: strict, every one)
        "trusted_kinds": None if in_force is None else sorted(in_force),
        # what the "Probably not" tab is ordered by: the trust table's counts (odds.py), from these sets
        "reading_order": {**odds.shipped_table().source(), "ordered": held is not None},
    }  # fmt: skip


def words_text(items: list[dict[str, str]]) -> str:
    """Criteria in words for a CSV cell: "inclusion: ECOG 0-1 | registry: age >= 18"."""
    return " | ".join(f"{i['section']}: {i['text']}" for i in items)


EMPTY_COUNTS = {"candidates": 0, "eligible": 0, "unlikely": 0, "blocked": 0, "to_screen": 0, "flagged": 0}


def index_counts(
    db: Database, actor: Actor, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, int]]:
    """Per (trial, centre) of the index: candidates, eligible, probably not (`unlikely`), blocked,
    new-to-screen (status new) and flagged (referred) counts, in one grouped query over the stored
    results."""
    if not pairs:
        return {}
    ractor = research_actor(actor)
    r, c = PrescreenResultRow, ScreeningCandidateRow
    trials = sorted({t for t, _ in pairs})
    centres = sorted({cid for _, cid in pairs})
    out: dict[tuple[str, str], dict[str, int]] = {}
    with db.session() as s:
        repo = PrescreenPatients(s, ractor)
        status = func.coalesce(c.status, "new")
        for centre_id in centres:
            visible = repo.living_ids(centre_id)
            stmt = (
                select(r.trial_id, r.eligibility, status, func.count())
                .outerjoin(c, (c.trial_id == r.trial_id) & (c.patient_id == r.patient_id))
                .where(r.centre_id == centre_id, r.trial_id.in_(trials), r.patient_id.in_(visible))
                .group_by(r.trial_id, r.eligibility, status)
            )
            for trial_id, eligibility, st, n in s.execute(stmt):
                cell = out.setdefault(
                    (trial_id, centre_id),
                    dict(EMPTY_COUNTS),
                )
                if eligibility in CANDIDATE:
                    cell["candidates"] += n
                    cell["to_screen"] += n if st == "new" else 0
                elif eligibility == "unlikely":
                    cell["unlikely"] += n
                else:
                    cell["blocked"] += n
                cell["eligible"] += n if eligibility == "eligible" else 0
                cell["flagged"] += n if st == "flagged" else 0
    return out


def index_with_counts(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """The lists the caller can work on (`lists.prescreen_index`), each with its counts as last
    computed, the lists with the most candidates to screen first."""
    rows = prescreen_index(db, actor)
    counts = index_counts(db, actor, [(r["trial_id"], r["centre_id"]) for r in rows])
    empty = EMPTY_COUNTS
    out = [{**r, **counts.get((r["trial_id"], r["centre_id"]), empty)} for r in rows]
    out.sort(key=lambda r: (-r["to_screen"], -r["candidates"], r["title"]))
    return out
