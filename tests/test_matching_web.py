"""Matching over HTTP and the CLI: JSON, CSV, the page, centre isolation, bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository


@pytest.fixture(scope="module")
def demo(demo_db: Database) -> Database:
    return demo_db


@pytest.fixture
def small_network(db: Database) -> Database:
    """Centres, a few open trials and a handful of patients, on SQLite and PostgreSQL."""
    from oncofed.services.network.centres import load_centres, network_centres
    from oncofed.store.repositories import TrialRepository
    from oncofed.synthetic.patients import generate_patients
    from oncofed.synthetic.trials import build_demo_trials

    load_centres(db)
    with db.session() as s:
        for t in build_demo_trials(network_centres())[:6]:
            TrialRepository(s).upsert(t)
        PatientRepository(s, Actor.system()).add_rows(list(generate_patients(network_centres(), 8, seed=9)))
    return db


def clinician(centre: str) -> Actor:
    return Actor(f"dr-{centre}", Role.CLINICIAN, frozenset({centre}))


def a_patient(db: Database) -> tuple[str, str]:
    with db.session() as s:
        p = PatientRepository(s, Actor.system()).list(limit=1)[0]
    return p.id, p.centre_id


def test_api_returns_ranked_trials_with_criteria_sites_and_checks(demo: Database, client_as: Any) -> None:
    pid, centre = a_patient(demo)
    r = client_as(demo, clinician(centre)).get(f"/api/patients/{pid}/matches?limit=5&day=2026-11-01")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["patient"]["id"] == pid and data["day"] == "2026-11-01"
    assert 0 < len(data["matches"]) <= 5
    ranks = [m["rank"] for m in data["matches"]]
    assert ranks == sorted(ranks)
    first = data["matches"][0]
    assert first["status"] == "RECRUITING"
    assert first["verdict"] in ("eligible", "excluded", "unknown", "not_evaluated")
    outcomes = {c["outcome"] for c in first["criteria"]}
    assert first["criteria"] and outcomes <= {"satisfied", "violated", "unknown", "not_applicable"}
    for c in first["criteria"]:  # a plain sentence, never logic ("not (...)")
        assert c["evidence"] and "not (" not in c["evidence"] and c["label"]
    detail = first["criteria"][0]["details"][0]
    assert detail["explanation"] and "provenance" in (detail["fact"] or {"provenance": 1})
    site = first["nearest_site"]
    assert site is None or (site["status"] == "RECRUITING" and site["distance_km"] >= 0)


def test_csv_exports_of_each_table(demo: Database, client_as: Any) -> None:
    pid, centre = a_patient(demo)
    client = client_as(demo, clinician(centre))
    for table, column in (("trials", "trial_id"), ("criteria", "outcome"), ("checks", "check")):
        r = client.get(f"/api/patients/{pid}/matches?format=csv&table={table}")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        header = next(csv.reader(io.StringIO(r.text)))
        assert column in header


def test_page_shows_expandable_criteria_tables(demo: Database, client_as: Any) -> None:
    pid, centre = a_patient(demo)
    r = client_as(demo, clinician(centre)).get(f"/patients/{pid}/matches", headers={"accept": "text/html"})
    assert r.status_code == 200
    html = r.text
    assert '<details class="match' in html and '<table class="criteria">' in html
    assert "What to check next" in html
    fr = client_as(demo, clinician(centre)).get(
        f"/patients/{pid}/matches?lang=fr", headers={"accept": "text/html"}
    )
    assert "À vérifier ensuite" in fr.text


def test_clinician_of_another_centre_gets_404(small_network: Database, client_as: Any) -> None:
    pid, centre = a_patient(small_network)
    own = client_as(small_network, clinician(centre))
    assert own.get(f"/api/patients/{pid}/matches").status_code == 200
    other = "curie" if centre != "curie" else "leon-berard"
    client = client_as(small_network, clinician(other))
    assert client.get(f"/api/patients/{pid}/matches").status_code == 404
    page = client.get(f"/patients/{pid}/matches", headers={"accept": "text/html"})
    assert page.status_code == 404 and pid in page.text  # says which id, without confirming it exists
    assert client_as(small_network, Actor.public()).get(f"/api/patients/{pid}/matches").status_code == 404


def test_unknown_patient_is_a_clear_404(demo: Database, client_as: Any) -> None:
    r = client_as(demo, clinician("curie")).get("/api/patients/nobody/matches")
    assert r.status_code == 404 and "nobody" in r.json()["detail"]


# --- CLI ---------------------------------------------------------------------------------


def cli(args: list[str], var: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONCOFED_VAR_DIR": str(var), "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "oncofed.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture(scope="module")
def cli_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("match-cli")
    out = cli(["demo", "--patients", "40", "--no-serve"], var)
    assert out.returncode == 0, out.stderr
    # parse the trials' criteria in this process (the parser is already loaded here) into the
    # database's parse cache, so each CLI run below does not load the NLP pipeline again
    from oncofed.services.matching.match import trial_index

    database = Database(f"sqlite:///{var / 'oncofed.sqlite3'}")
    trial_index(database)
    database.dispose()
    return var


def test_cli_matches_a_stored_patient_as_json(cli_var: Path) -> None:
    # the demo is seeded: curie-000001 is always among its 40 patients (fail, not skip, if that changes)
    out = cli(["match", "curie-000001", "--json", "--limit", "3", "--day", "2026-11-01"], cli_var)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["patient"]["id"] == "curie-000001" and len(data["matches"]) == 3


def test_cli_matches_a_profile_file_and_prints_a_table(cli_var: Path, tmp_path: Path) -> None:
    f = tmp_path / "patient.json"
    f.write_text(
        json.dumps(
            {
                "id": "file-1",
                "sex": "female",
                "birth_date": "1961-03-02",
                "primary_cancer": "BRCA",
                "home": {"latitude": 48.85, "longitude": 2.35},
                "ecog": 1,
                "facts": [{"kind": "biomarker", "code": "HER2", "value": "3+", "source": "report.pdf"}],
            }
        )
    )
    out = cli(["match", str(f), "--limit", "3"], cli_var)
    assert out.returncode == 0, out.stderr
    assert "file-1" in out.stdout and "nearest" in out.stdout


def test_cli_bad_input_is_one_clear_line_and_non_zero(cli_var: Path, tmp_path: Path) -> None:
    out = cli(["match", "no-such-patient"], cli_var)
    assert out.returncode == 2 and "no-such-patient" in out.stderr and "Traceback" not in out.stderr
    bad = tmp_path / "broken.json"
    bad.write_text('{"id": "x", "facts": [')
    out = cli(["match", str(bad)], cli_var)
    assert out.returncode == 2 and "broken.json" in out.stderr and "invalid JSON" in out.stderr


def test_profile_files_with_bad_fields_name_the_record_and_field(tmp_path: Path) -> None:
    from oncofed.errors import InputError
    from oncofed.services.matching.match import load_patient_file

    bad = tmp_path / "p.json"
    for content, expected in (
        ('{"facts": [{"code": "EGFR"}]}', "facts[0]:kind"),
        ('{"facts": {"kind": "x"}}', "facts"),
        ('{"birth_date": "12/03/1960"}', "birth_date"),
        ("[1, 2]", "one JSON object"),
    ):
        bad.write_text(content)
        with pytest.raises(InputError) as err:
            load_patient_file(bad)
        assert "p.json" in str(err.value) and expected in str(err.value)
    with pytest.raises(InputError, match="missing.json"):
        load_patient_file(tmp_path / "missing.json")


def test_sparse_note_still_ranks_trials(demo: Database, tmp_path: Path) -> None:
    from oncofed.services.matching.match import load_patient_file, match_profile

    note = tmp_path / "note.txt"
    note.write_text("Woman with metastatic breast cancer, HER2 positive.")
    profile, text = load_patient_file(note)
    report = match_profile(demo, profile, limit=3, text=text)
    assert len(report.results) == 3


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
PROFILE_KEYS = st.sampled_from(
    ["id", "sex", "birth_date", "age_years", "ecog", "home", "latitude", "longitude", "facts", "stage"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(PROFILE_KEYS, JSON_VALUES, max_size=6) | JSON_VALUES)
def test_any_json_profile_is_a_profile_or_a_clear_input_error(tmp_path: Path, data: object) -> None:
    from oncofed.domain import PatientProfile
    from oncofed.errors import InputError
    from oncofed.services.matching.match import load_patient_file

    f = tmp_path / "fuzz.json"
    f.write_text(json.dumps(data))
    try:
        profile, _ = load_patient_file(f)
    except InputError as exc:
        assert "fuzz.json" in str(exc)
    else:
        assert isinstance(profile, PatientProfile)
