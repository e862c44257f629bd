"""Build the demo network: centres, fictional trials and seeded synthetic patients."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete

from oncofed.domain import Actor
from oncofed.services.accounts.users import ensure_demo_accounts
from oncofed.services.network.centres import load_centres, network_centres
from oncofed.store.db import Database
from oncofed.store.models import PatientRow, TrialRow, TrialSiteRow
from oncofed.store.repositories import MetaRepository, PatientRepository, TrialRepository
from oncofed.synthetic.patients import generate_patients
from oncofed.synthetic.trials import build_demo_trials

BATCH = 2000


@dataclass
class DemoReport:
    centres: int
    trials: int
    patients: int
    seconds: float
    reused: bool = False


def demo_signature(patients: int, seed: int) -> str:
    return json.dumps({"patients": patients, "seed": seed, "version": 1}, sort_keys=True)


def build_demo(
    db: Database,
    patients: int = 5000,
    seed: int = 42,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    """Create (or reuse) the demo network in `db`. Same parameters + existing data = reused."""
    started = time.perf_counter()
    db.upgrade()
    with db.session() as s:
        existing = MetaRepository(s).get("demo")
    if existing == demo_signature(patients, seed) and not force:
        with db.session() as s:
            n_trials = TrialRepository(s).count()
        ensure_demo_accounts(db)
        from oncofed.synthetic.federation_ops import seed_federation_ops_demo

        seed_federation_ops_demo(db, seed=seed, travel=False)  # a demo built before issue 21: what is missing
        from oncofed.synthetic.boards import ensure_boards_demo

        ensure_boards_demo(db, seed=seed)  # a demo built before issue 19: its boards
        from oncofed.synthetic.research import ensure_research_demo

        ensure_research_demo(db, seed=seed)  # a demo built before issue 20: portfolio, bibliography
        return DemoReport(
            len(network_centres()), n_trials, patients, time.perf_counter() - started, reused=True
        )

    n_centres = load_centres(db)
    centres = network_centres()
    trials = build_demo_trials(centres, seed=7)
    with db.session() as s:
        s.execute(delete(TrialSiteRow).where(TrialSiteRow.trial_id.like("DEMO-%")))
        s.execute(delete(TrialRow).where(TrialRow.source == "demo"))
        s.execute(delete(PatientRow).where(PatientRow.source == "synthetic"))
        repo = TrialRepository(s)
        for t in trials:
            repo.upsert(t, content_hash=f"demo-{seed}")
        from oncofed.synthetic.recruitment import seed_enrolment_history

        seed_enrolment_history(s, trials, until=date.today(), seed=seed)
    done = 0
    batch: list[dict[str, Any]] = []
    with db.session() as s:
        patients_repo = PatientRepository(s, Actor.system("demo build"))
        for row in generate_patients(centres, patients, seed=seed):
            batch.append(row)
            if len(batch) >= BATCH:
                patients_repo.add_rows(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(done, patients)
        if batch:
            patients_repo.add_rows(batch)
            done += len(batch)
            if progress:
                progress(done, patients)
        MetaRepository(s).set("demo", demo_signature(patients, seed))
    from oncofed.services.matching.match_index import refresh_match_index
    from oncofed.services.trials.criteria import reparse

    reparse(db)  # the trials' criteria are parsed once, at import, like any imported trial
    refresh_match_index(db, Actor.system("demo build"))  # pre-screening reads these features
    from oncofed.synthetic.quality_demo import seed_quality_demo

    seed_quality_demo(db, seed=seed)
    ensure_demo_accounts(db)
    from oncofed.synthetic.federation_ops import seed_federation_ops_demo

    seed_federation_ops_demo(db, seed=seed)  # pay grid, staff, carbon activity, patient travel (issue 21)
    from oncofed.synthetic.boards import seed_boards_demo

    seed_boards_demo(db, seed=seed)  # tumour boards: a year of meetings, cases, decisions (issue 19)
    from oncofed.synthetic.research import seed_research_demo

    seed_research_demo(db, seed=seed)  # sponsored trials' milestones, a synthetic bibliography (issue 20)
    return DemoReport(n_centres, len(trials), done, time.perf_counter() - started)
