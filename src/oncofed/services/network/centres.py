"""The network's centres: reference data shipped in resources/centres.yaml, and their pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from oncofed.domain import Actor, Centre, Trial
from oncofed.resources import load_yaml
from oncofed.store.db import Database
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository


def network_centres() -> list[Centre]:
    """The centres defined in `resources/centres.yaml`."""
    out = []
    for c in load_yaml("centres.yaml")["centres"]:
        out.append(
            Centre(
                id=c["id"],
                name=c["name"],
                short_name=c.get("short_name", ""),
                city=c["city"],
                postcode=str(c.get("postcode", "")),
                region=c["region"],
                latitude=float(c["latitude"]),
                longitude=float(c["longitude"]),
                aliases=tuple(c.get("aliases", ())),
                website=c.get("website", ""),
            )
        )
    return out


def load_centres(db: Database) -> int:
    """Insert or update the network's centres; returns how many."""
    centres = network_centres()
    with db.session() as s:
        repo = CentreRepository(s)
        for c in centres:
            repo.upsert(c)
    return len(centres)


def list_centres(db: Database) -> list[Centre]:
    with db.session() as s:
        return CentreRepository(s).list()


def centre_names(db: Database, *, short: bool = False) -> dict[str, str]:
    """Centre id -> its name for tables, charts and reports (`short`: the short name where it has one)."""
    return {c.id: (c.short_name or c.name) if short else c.name for c in list_centres(db)}


def stored_centres(db: Database) -> list[Centre]:
    """The store's centres; a new (empty) store gets the network's reference centres first, so an
    import or a name lookup on a fresh database finds them."""
    centres = list_centres(db)
    if not centres:
        load_centres(db)
        centres = list_centres(db)
    return centres


@dataclass
class CentreSummary:
    centre: Centre
    trials: list[Trial] = field(default_factory=list)
    patient_count: int = 0

    @property
    def recruiting_trials(self) -> list[Trial]:
        return [
            t
            for t in self.trials
            if any(s.centre_id == self.centre.id and s.status.is_recruiting for s in t.sites)
        ]


def centre_summary(db: Database, centre_id: str, actor: Actor | None = None) -> CentreSummary:
    """A centre with the trials it runs and its active-file size (an aggregate, never patient rows)."""
    with db.session() as s:
        centre = CentreRepository(s).get(centre_id)
        trials = TrialRepository(s).for_centre(centre_id)
        counts = PatientRepository(s, actor or Actor.public()).counts_by_centre()
    return CentreSummary(centre=centre, trials=trials, patient_count=counts.get(centre_id, 0))
