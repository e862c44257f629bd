"""The CLI of a working day (issue 18): patients list/search/show by the source record's id, a trial
opened at two centres by name and then matched, centre names with suggestions, the wrong kind of file
refused with the right command and a non-zero exit, and `quality generate` then `quality import`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import shared_data
from tests.test_cli import run
from tests.workday_fixtures import TRIAL_ID, TRIALS_FILE, one_trial_file


@pytest.fixture
def env(tmp_path: Path, sqlite_template: Path) -> dict[str, str]:
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    return {"DATABASE_URL": f"sqlite:///{path}", "ONCOFED_VAR_DIR": str(tmp_path / "var")}


def test_a_patient_file_given_to_import_trials_is_refused_with_the_right_command(env: dict[str, str]) -> None:
    bundle = shared_data("fhir", "mcode", "TrialMatching_Patient01.json")
    out = run(["import", "trials", str(bundle)], env=env)
    assert out.returncode != 0 and "oncofed import patients" in out.stdout + out.stderr
    trial = shared_data("trials", "ctgov-samples", "NCT02513394.json")
    out = run(["import", "patients", str(trial), "--centre", "curie"], env=env)
    assert out.returncode != 0 and "oncofed import trials" in out.stdout + out.stderr


def test_a_real_trial_opened_at_two_centres_by_name_matches_an_imported_patient(
    env: dict[str, str], tmp_path: Path
) -> None:
    corpus = shared_data(*TRIALS_FILE)
    bundle = shared_data("fhir", "mcode", "TrialMatching_Patient01.json")
    assert run(["import", "trials", str(one_trial_file(corpus, TRIAL_ID, tmp_path))], env=env).returncode == 0
    assert run(["import", "patients", str(bundle), "--centre", "Gustave Roussy"], env=env).returncode == 0
    original = "mCODETrialMatchingPatientExample01"
    nothing = run(["match", original], env=env)  # the source record's id; no trial open yet: says why
    assert nothing.returncode == 0 and "No trial is open for matching" in nothing.stderr
    wrong = run(
        ["trials", "open", TRIAL_ID, "--centre", "Roussi", "--pi", "Dr A", "--email", "a@b.fr"], env=env
    )
    assert wrong.returncode == 2 and "did you mean 'Gustave Roussy'" in wrong.stderr
    for centre in ("gustave roussy", "Institut Curie"):
        opened = run(["trials", "open", TRIAL_ID, "--centre", centre, "--pi", "Dr A", "--email", "essais@x.fr",
                      "--target", "5"], env=env)  # fmt: skip
        assert opened.returncode == 0, opened.stderr
    setup = json.loads(run(["trials", "setup", TRIAL_ID, "--json"], env=env).stdout)
    assert {s["centre_id"] for s in setup["setups"]} == {"gustave-roussy", "curie"}
    matched = json.loads(run(["match", original, "--json"], env=env).stdout)
    assert matched["open_trials"] == 1 and matched["matches"][0]["trial_id"] == TRIAL_ID
    site = matched["matches"][0]["nearest_site"]  # no address: distances from the treating centre
    assert site["centre_id"] == "gustave-roussy" and site["distance_km"] == 0
    listed = json.loads(run(["patients", "search", original, "--json"], env=env).stdout)
    assert listed["total"] == 1 and listed["patients"][0]["original_id"] == original
    shown = run(["patients", "show", original], env=env)
    assert shown.returncode == 0 and "gustave-roussy-" in shown.stdout
    by_gene = json.loads(run(["patients", "list", "--centre", "Gustave Roussy", "--json"], env=env).stdout)
    assert by_gene["total"] == 1


def test_quality_generate_then_import_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    events = tmp_path / "events.parquet"
    made = run(["quality", "generate", "--events", "3000", "--out", str(events)], env=env)
    assert made.returncode == 0, made.stderr
    out = run(["quality", "import", str(events)], env=env)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if "rows," in x)
    total, accepted = int(line.split(" rows")[0].split()[-1]), int(line.split(" accepted")[0].split()[-1])
    assert total > 2500 and accepted == total and " 0 rejected" in line
