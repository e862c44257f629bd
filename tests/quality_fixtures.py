"""A tiny store for quality-import tests: centres A and B (no coordinates) and patients by id."""

from __future__ import annotations

from collections.abc import Mapping

from oncofed.store.db import Database
from oncofed.store.models import CentreRow, PatientRow


def seed_centres_a_and_b(db: Database, patients: Mapping[str, str]) -> None:
    """Centres "A" and "B", then each patient id of `patients` at its centre id (no facts)."""
    with db.session() as s:
        for cid in ("A", "B"):
            s.add(
                CentreRow(
                    id=cid,
                    name=f"Centre {cid}",
                    city="X",
                    region="R",
                    latitude=0.0,
                    longitude=0.0,
                    aliases=[],
                )
            )
        s.flush()
        for pid, cid in patients.items():
            s.add(PatientRow(id=pid, centre_id=cid, facts=[]))
