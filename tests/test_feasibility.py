"""Feasibility counts: partitions, objection, disclosure control, and the attacks that must fail (issue 8)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from oncofed.criteria.feasibility_spec import SpecError
from oncofed.ingest.feasibility_spec import parse_text
from oncofed.domain import Actor, PatientProfile, Role
from oncofed.services.feasibility import counts as feasibility
from oncofed.services.feasibility import disclosure
from oncofed.services.feasibility.counts import Question, run_feasibility
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.store.models_trust import FeasibilityNoiseRow
from oncofed.store.repositories import PatientRepository

TM = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")
BREAST = "name: breast\ninclusion:\n  - cancer_type: [BRCA]\n  - sex: FEMALE\n"


def add(db: Database, centre: str, n: int, start: int = 0, **fields: object) -> list[str]:
    profiles = [
        PatientProfile(
            id=f"{centre}-{start + i:05d}",
            centre_id=centre,
            sex=str(fields.get("sex", "FEMALE")),
            age_years=float(fields.get("age", 40 + (start + i) % 40)),  # type: ignore[arg-type]
            primary_cancer=str(fields.get("cancer", "BRCA")),
            research_objection=bool(fields.get("objection", False)),
            deceased=bool(fields.get("deceased", False)),
        )
        for i in range(n)
    ]
    with db.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(profiles)
    return [p.id for p in profiles]


def ask(db: Database, text: str = BREAST) -> dict[str, dict[str, object]]:
    result = run_feasibility(db, TM, Question(*parse_text(text))).as_json()
    return {c["centre_id"]: c for c in result["centres"]} | {"network": result["network"]}


@pytest.fixture
def net(sqlite_db: Database) -> Database:
    load_centres(sqlite_db)
    add(sqlite_db, "curie", 40)
    add(sqlite_db, "gustave-roussy", 4)
    add(sqlite_db, "bergonie", 25, cancer="LUAD")  # no breast cancer: a true zero
    return sqlite_db


def test_counts_per_centre_partition_with_disclosure_control(net: Database) -> None:
    out = ask(net)
    curie = out["curie"]["met"]
    assert curie["noised"] and not curie["suppressed"] and 37 <= curie["value"] <= 43 and curie["value"] >= 11
    assert out["gustave-roussy"]["met"] == {
        "value": None,
        "suppressed": True,
        "zero": False,
        "noised": False,
        "label": "10 or fewer",
    }
    assert out["bergonie"]["met"] == {
        "value": 0,
        "suppressed": False,
        "zero": True,
        "noised": False,
        "label": "0",
    }
    assert out["curie"]["possible"]["zero"]


def test_objectors_deceased_and_other_criteria_are_not_counted(net: Database) -> None:
    base = ask(net)["curie"]["met"]["value"]
    add(net, "curie", 30, start=1000, objection=True)
    add(net, "curie", 30, start=2000, deceased=True)
    add(net, "curie", 30, start=3000, sex="MALE")
    assert ask(net)["curie"]["met"]["value"] == base  # same set of patients -> the same stored noise too


def test_unknown_data_counts_as_possible(net: Database) -> None:
    out = ask(net, "inclusion:\n  - cancer_type: [BRCA]\n  - ecog: '<= 1'\n")  # no ECOG recorded
    assert out["curie"]["met"]["zero"] and 37 <= out["curie"]["possible"]["value"] <= 43


def test_any_predicate_can_be_plugged_in(net: Database) -> None:
    def even(p: PatientProfile) -> str:
        return feasibility.MET if int(p.id[-1]) % 2 == 0 else feasibility.POSSIBLE

    result = run_feasibility(net, TM, Question(*parse_text(BREAST)), predicate=even).as_json()
    curie = next(c for c in result["centres"] if c["centre_id"] == "curie")
    assert 17 <= curie["met"]["value"] <= 23 and 17 <= curie["possible"]["value"] <= 23


def test_only_trial_managers_and_admins_ask(net: Database) -> None:
    for role in (Role.CLINICIAN, Role.RESEARCH_STAFF, Role.QUALITY_MANAGER, Role.DPO, Role.PUBLIC):
        with pytest.raises(Exception, match="trial managers"):
            run_feasibility(net, Actor("x", role, frozenset({"curie"})), Question(*parse_text(BREAST)))


# --- attacks ---------------------------------------------------------------------------------


def test_attack_repeating_the_question_cannot_average_the_noise(net: Database) -> None:
    add(net, "curie", 200, start=5000)
    answers = {ask(net)["curie"]["met"]["value"] for _ in range(25)}
    assert len(answers) == 1
    # rewording the question (same patients selected) does not draw new noise either
    reworded = [
        "inclusion:\n  - sex: FEMALE\n  - cancer_type: [BRCA]\n",
        "inclusion:\n  - cancer_type: [BRCA]\n  - sex: FEMALE\n  - age: '>= 0'\n",
        "inclusion:\n  - cancer_type: [BRCA]\nexclusion:\n  - sex: MALE\n",
    ]
    assert {ask(net, q)["curie"]["met"]["value"] for q in reworded} == answers
    with net.session() as s:
        stored = s.scalars(select(FeasibilityNoiseRow).where(FeasibilityNoiseRow.centre_id == "curie")).all()
    assert len(stored) == 1 and abs(stored[0].noise) <= disclosure.NOISE_CLAMP


def test_attack_total_minus_visible_cells_reveals_nothing(net: Database) -> None:
    first = ask(net)
    visible = sum(
        c["met"]["value"] or 0 for k, c in first.items() if k != "network" and not c["met"]["suppressed"]
    )
    assert first["network"]["met"]["value"] == visible and first["network"]["met"]["suppressed_cells"] == 1
    # the suppressed cell changes from 4 to 9 patients: every number disclosed stays the same
    add(net, "gustave-roussy", 5, start=100)
    assert ask(net) == first


def test_attack_differencing_two_overlapping_queries(net: Database) -> None:
    """Q1 selects a set; Q2 the same set minus one target patient (by age). Q1 - Q2 would say
    whether the target is in the data; with noise drawn per set it says 1 far less often."""
    from sqlalchemy import delete

    from oncofed.store.models import PatientRow

    diffs = []
    for k in range(12):
        add(net, "curie", 30, start=10_000 + k * 100, cancer="PAAD", age=50)
        target_age = 71 + k * 0.01
        with net.session() as s:
            target = PatientProfile(
                id=f"curie-t{k}", centre_id="curie", sex="FEMALE", age_years=target_age, primary_cancer="PAAD"
            )
            PatientRepository(s, Actor.system("test")).add_many([target])
        q1 = ask(net, f"inclusion:\n  - cancer_type: [PAAD]\n  - age: {{min: 50, max: {target_age}}}\n")
        q2 = ask(
            net, f"inclusion:\n  - cancer_type: [PAAD]\n  - age: {{min: 50, max: {target_age - 0.001}}}\n"
        )
        diffs.append(q1["curie"]["met"]["value"] - q2["curie"]["met"]["value"])
        with net.session() as s:  # the next round asks about new patients
            s.execute(delete(PatientRow).where(PatientRow.primary_cancer == "PAAD"))
    assert len(set(diffs)) > 1, f"every difference was {diffs[0]}: the noise did not hide the target"
    # the same attack on the disclosure mechanism, many times over: how often does Q1 - Q2 == 1?
    with net.session() as s:
        hits = 0
        for k in range(300):
            others = frozenset(f"p{k}-{i}" for i in range(30))
            q1 = disclosure.disclose(s, "curie", others | {f"target{k}"}).value
            q2 = disclosure.disclose(s, "curie", others).value
            assert q1 is not None and q2 is not None
            hits += q1 - q2 == 1
    assert hits < 150, f"the difference revealed the target exactly in {hits}/300 attacks"


def test_attack_differencing_small_sets_hits_suppression(net: Database) -> None:
    add(net, "curie", 8, start=20_000, cancer="MEL")
    out = ask(net, "inclusion:\n  - cancer_type: [MEL]\n")
    assert out["curie"]["met"]["suppressed"] and out["curie"]["met"]["value"] is None


def test_daily_question_budget(net: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feasibility, "DAILY_BUDGET", 3)
    for _ in range(3):
        ask(net)
    with pytest.raises(feasibility.BudgetExceeded, match="budget 3"):
        ask(net)


def test_spec_errors_name_the_item_and_the_fix() -> None:
    with pytest.raises(SpecError) as err:
        parse_text("inclusion:\n  - age: old\n", "q.yaml")
    assert "q.yaml:inclusion[0]:age" in str(err.value) and ">= 18" in str(err.value)
    with pytest.raises(SpecError, match="unknown key 'colour'"):
        parse_text("exclusion:\n  - colour: red\n")
    with pytest.raises(SpecError, match="no criteria"):
        parse_text("name: empty\n")
    with pytest.raises(SpecError, match="not valid YAML"):
        parse_text("inclusion: [\n")


def test_feasibility_api_page_csv_and_roles(net: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    tm = client_as(net, TM)
    body = {"criteria": {"name": "breast", "inclusion": [{"cancer_type": ["BRCA"]}]}}
    data = tm.post("/api/feasibility", json=body).json()
    assert {c["centre_id"]: c["met"]["label"] for c in data["centres"]}["gustave-roussy"] == "10 or fewer"
    assert data["disclosure"] == {"threshold": 10, "noise_sd": 1.33, "noise_clamp": 3}
    assert tm.post("/api/feasibility", json={}).status_code == 422
    assert tm.post("/api/feasibility", json={"criteria": {"inclusion": [{"age": "old"}]}}).status_code == 422
    page = tm.post("/feasibility", data={"spec": BREAST}, headers={"accept": "text/html"})
    assert page.status_code == 200 and "10 or fewer" in page.text and 'id="feasibility"' in page.text
    for role in (Role.CLINICIAN, Role.RESEARCH_STAFF, Role.DPO, Role.QUALITY_MANAGER):
        assert (
            client_as(net, Actor("x", role, frozenset({"curie"})))
            .post("/api/feasibility", json=body)
            .status_code
            == 403
        )
    assert client_as(net, Actor.public()).post("/api/feasibility", json=body).status_code == 401


def test_feasibility_for_a_demo_trial(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.store.repositories import TrialRepository

    with demo_db.session() as s:
        trial = TrialRepository(s).list(limit=1)[0]
    tm = client_as(demo_db, TM)
    data = tm.get("/api/feasibility", params={"trial": trial.id}).json()
    assert data["trial_id"] == trial.id and data["criteria_counted"]
    assert len(data["centres"]) == 19
    csv = tm.get("/api/feasibility", params={"trial": trial.id, "format": "csv"})
    assert csv.text.splitlines()[0] == "centre_id,centre,met,met_suppressed,possible,possible_suppressed"
    assert csv.text.strip().splitlines()[-1].startswith("network,")


def test_feasibility_cli(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    load_centres(database)
    add(database, "curie", 15)
    spec = tmp_path / "breast.yaml"
    spec.write_text(BREAST)
    out = CliRunner().invoke(app, ["feasibility", "--criteria", str(spec), "--csv"])
    assert out.exit_code == 0, out.output
    assert "curie" in out.output and "10 or fewer" not in out.output.split("curie")[1].splitlines()[0]
    bad = CliRunner().invoke(app, ["feasibility"])
    assert bad.exit_code != 0


def test_vectorised_and_per_patient_evaluation_agree_on_demo_trials(demo_db: Database) -> None:
    from oncofed.store.repositories import TrialRepository

    with demo_db.session() as s:
        trial_ids = [t.id for t in TrialRepository(s).list(limit=6)]
        profiles = [
            p
            for p in PatientRepository(s, feasibility.partition_actor("curie")).list(
                centre_id="curie", limit=None
            )
            if not p.deceased
        ]
    assert profiles
    for trial_id in trial_ids:
        criteria = feasibility.trial_question(demo_db, trial_id).counted
        fast = feasibility.criteria_classifier(criteria)(profiles)
        slow = feasibility.predicate_classifier(feasibility.criteria_predicate(criteria))(profiles)
        assert fast == slow, trial_id


def test_stored_noise_and_counts_on_both_databases(db: Database) -> None:
    load_centres(db)
    add(db, "curie", 30)
    first = ask(db)["curie"]["met"]
    assert first["noised"] and 27 <= first["value"] <= 33
    assert ask(db)["curie"]["met"] == first
    with db.session() as s:
        ids = frozenset(f"x{i}" for i in range(40))
        once = disclosure.disclose(s, "icm", ids)
    with db.session() as s:
        assert disclosure.disclose(s, "icm", ids) == once
