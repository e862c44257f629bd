"""Where a trial's screen failures come from, per criterion: the evidence a sponsor needs to amend a
protocol. Counts only (never a patient), from a list of sources, each a function
`(db, trial_id) -> list[ScreenFailure]`:

- `prescreen`: the pre-screening verdicts of every centre. A criterion's `patients` = patients it
  blocks (not met); `sole` = patients it is the only blocker for (those the protocol would gain if
  this criterion alone were relaxed), the ranking key;
- `screening`: candidates the centre's team set to "not eligible", by the reason they chose;
- `board`: trials a tumour board did not propose, by reason and criterion (services/boards).
A new source (another workflow recording screen failures) is one function added to `SOURCES`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select

from oncofed.errors import N_, NN_
from oncofed.store.db import Database
from oncofed.store.models_prescreen import PrescreenResultRow, PrescreenRunRow, ScreeningCandidateRow


@dataclass(frozen=True)
class ScreenFailure:
    source: str
    trial_id: str
    centre_id: str
    criterion: str  # the criterion's text (pre-screening, boards) or the reason's label (screening)
    reason: str
    patients: int
    sole: int | None = None


Source = Callable[[Database, str], list[ScreenFailure]]


def prescreen_source(db: Database, trial_id: str) -> list[ScreenFailure]:
    with db.session() as s:
        runs = {
            centre: labels
            for centre, labels in s.execute(
                select(PrescreenRunRow.centre_id, PrescreenRunRow.labels).where(
                    PrescreenRunRow.trial_id == trial_id
                )
            )
        }
        rows = s.execute(
            select(PrescreenResultRow.centre_id, PrescreenResultRow.verdicts).where(
                PrescreenResultRow.trial_id == trial_id, PrescreenResultRow.eligibility == "not_eligible"
            )
        ).all()
    blocks: Counter[tuple[str, int]] = Counter()
    sole: Counter[tuple[str, int]] = Counter()
    for centre, verdicts in rows:
        zeros = [i for i, ch in enumerate(verdicts or "") if ch == "0"]
        for i in zeros:
            blocks[(centre, i)] += 1
        if len(zeros) == 1:
            sole[(centre, zeros[0])] += 1
    out = []
    for (centre, i), n in blocks.items():
        labels = runs.get(centre) or []
        label = str(labels[i][0]) if i < len(labels) else f"criterion {i + 1}"
        out.append(
            ScreenFailure("prescreen", trial_id, centre, label, "criterion_not_met", n, sole[(centre, i)])
        )
    return out


def screening_source(db: Database, trial_id: str) -> list[ScreenFailure]:
    from oncofed.services.prescreen.screening import reasons_for

    labels = reasons_for("not_eligible")
    with db.session() as s:
        rows = s.execute(
            select(ScreeningCandidateRow.centre_id, ScreeningCandidateRow.reason).where(
                ScreeningCandidateRow.trial_id == trial_id, ScreeningCandidateRow.status == "not_eligible"
            )
        ).all()
    counts = Counter((c, r or "") for c, r in rows)
    return [
        ScreenFailure("screening", trial_id, c, labels.get(r, r or "(no reason)"), r, n)
        for (c, r), n in counts.items()
    ]


def board_source(db: Database, trial_id: str) -> list[ScreenFailure]:
    from oncofed.services.boards.screen_failures import screen_failures

    data = screen_failures(db, trial_id=trial_id)
    return [
        ScreenFailure(
            "board",
            trial_id,
            f["board_centre_id"],
            f["criterion"] or f["reason_label"],
            f["reason"],
            int(f["cases"]),
        )
        for f in data["failures"]
    ]


SOURCES: dict[str, Source] = {
    "prescreen": prescreen_source,
    "screening": screening_source,
    "board": board_source,
}
COLUMNS = ["source", "trial_id", "centre_id", "criterion", "reason", "patients", "sole"]


def screen_failures(
    db: Database, trial_id: str, sources: Sequence[str] | None = None, *, centre_id: str | None = None
) -> dict[str, Any]:
    """Per source: rows per centre and criterion; and the network total per criterion, ranked by
    the patients it alone blocks, then by the patients it blocks."""
    chosen = list(sources or SOURCES)
    unknown = [x for x in chosen if x not in SOURCES]
    if unknown:
        from oncofed.errors import InputError

        raise InputError(
            NN_("unknown source %(names)s", "unknown sources %(names)s"),
            field="source",
            fix=N_("use: %(sources)s"),
            code="research.unknown_source",
            params={"num": len(unknown), "names": list(unknown), "sources": list(SOURCES)},
        )
    rows: list[ScreenFailure] = []
    for name in chosen:
        rows += [r for r in SOURCES[name](db, trial_id) if centre_id is None or r.centre_id == centre_id]
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        t = totals[(r.source, r.criterion)]
        t[0] += r.patients
        t[1] += r.sole or 0
    network: list[dict[str, Any]] = [
        {"source": src, "criterion": crit, "patients": n, "sole": sole if src == "prescreen" else None}
        for (src, crit), (n, sole) in totals.items()
    ]
    network.sort(
        key=lambda x: (str(x["source"]), -int(x["sole"] or 0), -int(x["patients"]), str(x["criterion"]))
    )
    detail = sorted((asdict(r) for r in rows), key=lambda x: (x["source"], x["centre_id"], -x["patients"]))
    return {"trial_id": trial_id, "sources": chosen, "network": network, "rows": detail}
