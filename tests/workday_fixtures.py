"""A small real network for the working-day tests (issue 18): the network's centres, one real trial
read in place from ../shared/data (TrialGPT/BEIR layout: no status in the file), and N synthetic
patients at one centre, with accounts for a clinician, a research nurse and a trial manager."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from oncofed.domain import Actor
from oncofed.domain.actor import Actor as _SetupActor
from oncofed.store.db import Database

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

PASSWORD = "correct horse battery staple"
CENTRE = "curie"
OTHER = "gustave-roussy"
# niraparib + trastuzumab in metastatic HER2-positive breast cancer (a real NCT record, in the
# oncology-active-99 set of the TrialGPT fork)
TRIAL_ID = "NCT03368729"
TRIALS_FILE = ("trials", "oncology-active-99", "GS_data", "GS_100_trials", "100_trials_corpus.jsonl")


def one_trial_file(source: Path, trial_id: str, folder: Path) -> Path:
    """The record of `trial_id` and the one after it from a BEIR corpus, as a small JSONL in a temporary
    folder (two lines: a one-line file is read as a single JSON object, whose layout is a BEIR query's)."""
    out = folder / f"{trial_id}.jsonl"
    with source.open(encoding="utf-8") as fh:
        lines = fh.readlines()
    at = next(i for i, x in enumerate(lines) if json.loads(x)["_id"] == trial_id)
    out.write_text("".join(lines[at : at + 2]), encoding="utf-8")
    return out


def build_workday_network(template: Path, folder: Path, trials_corpus: Path, patients: int) -> Database:
    from oncofed.services.accounts import users as accounts
    from oncofed.services.matching.match_index import refresh_match_index
    from oncofed.services.network.centres import load_centres, network_centres
    from oncofed.services.trials.importing import import_trials
    from oncofed.store.repositories import PatientRepository
    from oncofed.synthetic.patients import generate_patients

    path = folder / "workday.sqlite3"
    shutil.copy(template, path)
    db = Database(f"sqlite:///{path}")
    load_centres(db)
    report = import_trials(db, [one_trial_file(trials_corpus, TRIAL_ID, folder)])
    assert report.total("imported") == 2, report.rejections
    centre = [c for c in network_centres() if c.id == CENTRE]
    with db.session() as s:
        repo = PatientRepository(s, Actor.system("test build"))
        batch = []
        for row in generate_patients(centre, patients, seed=18):
            batch.append(row)
            if len(batch) >= 2000:
                repo.add_rows(batch)
                batch = []
        if batch:
            repo.add_rows(batch)
    refresh_match_index(db, Actor.system("test build"))
    accounts.add_user(db, "dr-claire", "clinician", PASSWORD, centre_ids=[CENTRE], actor=SETUP)
    accounts.add_user(db, "nurse-rose", "research_staff", PASSWORD, centre_ids=[CENTRE], actor=SETUP)
    accounts.add_user(db, "tm-tom", "trial_manager", PASSWORD, actor=SETUP)
    return db
