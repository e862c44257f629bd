"""The patients file written next to generated quality events (`<events>.patients.parquet`: patient_id,
centre_id), imported before the events so `quality generate` then `quality import` works (issue 18:
it rejected every row as an unknown patient). Patients already in the store are left as they are;
a centre the store does not know is an error naming the row and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from oncofed.domain import Actor, PatientProfile
from oncofed.errors import N_, InputError
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository

SOURCE = "quality-roster"


@dataclass
class RosterReport:
    path: str
    rows: int
    added: int
    present: int


def companion_roster(events: Path) -> Path | None:
    """`x.parquet` -> `x.patients.parquet` when that file exists."""
    guess = events.with_name(events.stem + ".patients.parquet")
    return guess if guess.exists() else None


def import_roster(db: Database, path: Path) -> RosterReport:
    """Add the roster's patients that the store does not have (one transaction)."""
    try:
        table = pq.read_table(path, columns=["patient_id", "centre_id"])
    except (OSError, KeyError, ValueError) as exc:
        raise InputError(
            N_("not a patients file (%(detail)s)"),
            file=str(path),
            fix=N_("a Parquet file with patient_id and centre_id"),
            code="quality.roster_unreadable",
            params={"detail": str(exc)},
        ) from None
    rows = table.to_pylist()
    from oncofed.services.network.centres import stored_centres

    centres = {c.id for c in stored_centres(db)}  # a new store: the network's centres first
    with db.session() as s:
        for i, r in enumerate(rows, start=1):
            if not r["patient_id"]:
                raise InputError(
                    N_("empty patient id"), file=str(path), record=f"row {i}", field="patient_id",
                    fix=N_("give every patient an id"), code="quality.roster_no_id",
                )  # fmt: skip
            if r["centre_id"] not in centres:
                raise InputError(
                    N_("centre %(centre)s is not in the store"), file=str(path), record=f"row {i}", field="centre_id",
                    fix=N_("generate with the network's centres (`quality generate` without --centres)"),
                    code="quality.roster_centre", params={"centre": repr(r["centre_id"])},
                )  # fmt: skip
        repo = PatientRepository(s, Actor.system("quality roster import"))
        present = repo.existing_ids(r["patient_id"] for r in rows)
        new = [
            PatientProfile(id=r["patient_id"], centre_id=r["centre_id"], display_name=r["patient_id"])
            for r in rows
            if r["patient_id"] not in present
        ]
        new = list({p.id: p for p in new}.values())
        for k in range(0, len(new), 2000):
            repo.add_many(new[k : k + 2000], source=SOURCE)
    return RosterReport(str(path), len(rows), len(new), len(present))
