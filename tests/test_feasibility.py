"""Feasibility counts: partitions, objection, disclosure control, and the attacks that must fail (issues 8, 17)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from oncofed.criteria.feasibility_spec import SpecError
from oncofed.domain import Actor, PatientProfile, Role
from oncofed.ingest.feasibility_spec import parse_text
from oncofed.services.feasibility import counts as feasibility
from oncofed.services.feasibility import disclosure
from oncofed.services.feasibility.counts import Question, run_feasibility
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.store.models_trust import FeasibilityQuestionRow
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


def ask(db: Database, text: str = BREAST, actor: Actor = TM) -> dict[str, dict[str, object]]:
    result = run_feasibility(db, actor, Question(*parse_text(text))).as_json()
    return {c["centre_id"]: c for c in result["centres"]} | {"network": result["network"]}


@pytest.fixture
def precise(monkeypatch: pytest.MonkeyPatch) -> disclosure.Policy:
    """A policy with almost no noise (scale 0.1) and a large budget: the functional tests below check
    what is counted; tests/test_trust_feasibility.py attacks the default policy."""
    monkeypatch.setenv("ONCOFED_FEASIBILITY_SCALE", "0.1")
    monkeypatch.setenv("ONCOFED_FEASIBILITY_EPSILON", "1000")
    monkeypatch.setenv("ONCOFED_FEASIBILITY_DIFFERENCING_LIMIT", "1000")
    return disclosure.policy()


@pytest.fixture
def net(sqlite_db: Database, precise: disclosure.Policy) -> Database:
    load_centres(sqlite_db)
    add(sqlite_db, "curie", 40)
    add(sqlite_db, "gustave-roussy", 4)
    add(sqlite_db, "bergonie", 25, cancer="LUAD")  # no breast cancer: a true zero
    return sqlite_db


def test_counts_per_centre_partition_with_disclosure_control(net: Database) -> None:
    out = ask(net)
    curie = out["curie"]["met"]
    assert curie == {"value": 40, "suppressed": False, "noised": True, "label": "40"}  # rounded to 5
    suppressed = {"value": None, "suppressed": True, "noised": True, "label": "10 or fewer"}
    assert out["gustave-roussy"]["met"] == suppressed
    assert out["bergonie"]["met"] == suppressed  # a true zero is inside the band too (issue 17)
    assert out["curie"]["possible"] == suppressed


def test_objectors_deceased_and_other_criteria_are_not_counted(net: Database) -> None:
    base = ask(net)["curie"]["met"]["value"]
    add(net, "curie", 30, start=1000, objection=True)
    add(net, "curie", 30, start=2000, deceased=True)
    add(net, "curie", 30, start=3000, sex="MALE")
    assert ask(net, BREAST + "  - age: '>= 0'\n")["curie"]["met"]["value"] == base == 40


def test_unknown_data_counts_as_possible(net: Database) -> None:
    out = ask(net, "inclusion:\n  - cancer_type: [BRCA]\n  - ecog: '<= 1'\n")  # no ECOG recorded
    assert out["curie"]["met"]["suppressed"] and out["curie"]["possible"]["value"] == 40


def test_any_predicate_can_be_plugged_in(net: Database) -> None:
    def even(p: PatientProfile) -> str:
        return feasibility.MET if int(p.id[-1]) % 2 == 0 else feasibility.POSSIBLE

    result = run_feasibility(net, TM, Question(*parse_text(BREAST)), predicate=even).as_json()
    curie = next(c for c in result["centres"] if c["centre_id"] == "curie")
    assert curie["met"]["value"] == 20 and curie["possible"]["value"] == 20


def test_only_trial_managers_and_admins_ask(net: Database) -> None:
    for role in (Role.CLINICIAN, Role.RESEARCH_STAFF, Role.QUALITY_MANAGER, Role.DPO, Role.PUBLIC):
        with pytest.raises(Exception, match="trial managers"):
            run_feasibility(net, Actor("x", role, frozenset({"curie"})), Question(*parse_text(BREAST)))


# --- attacks (more in tests/test_trust_feasibility.py) -----------------------------------------


def test_attack_repeating_the_question_returns_the_recorded_answer_for_free(net: Database) -> None:
    """The same question again the same day: the answer recorded the first time, no budget spent;
    a reworded question is a new question: fresh noise, and it spends budget."""
    add(net, "curie", 200, start=5000)
    first = run_feasibility(net, TM, Question(*parse_text(BREAST)))
    assert first.budget_state is not None and not first.repeat
    again = [run_feasibility(net, TM, Question(*parse_text(BREAST))) for _ in range(5)]
    assert all(r.repeat and r.as_json()["centres"] == first.as_json()["centres"] for r in again)
    assert {r.budget_state.questions for r in again if r.budget_state} == {1}
    reworded = run_feasibility(
        net,
        TM,
        Question(*parse_text("inclusion:\n  - sex: FEMALE\n  - cancer_type: [BRCA]\n  - age: '>= 0'\n")),
    )
    assert not reworded.repeat and reworded.budget_state and reworded.budget_state.questions == 2


def test_attack_total_minus_visible_cells_reveals_nothing(net: Database) -> None:
    first = ask(net)
    visible = sum(
        c["met"]["value"] or 0 for k, c in first.items() if k != "network" and not c["met"]["suppressed"]
    )
    assert first["network"]["met"]["value"] == visible and first["network"]["met"]["suppressed_cells"] == 18
    # the suppressed cell changes from 4 to 9 patients: the recorded answer of today does not move
    add(net, "gustave-roussy", 5, start=100)
    assert ask(net) == first


def test_attack_differencing_small_sets_hits_suppression(net: Database) -> None:
    add(net, "curie", 8, start=20_000, cancer="MEL")
    out = ask(net, "inclusion:\n  - cancer_type: [MEL]\n")
    assert out["curie"]["met"]["suppressed"] and out["curie"]["met"]["value"] is None


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


def test_feasibility_api_page_csv_and_roles(net: Database, client_as, precise) -> None:  # type: ignore[no-untyped-def]
    tm = client_as(net, TM)
    body = {"criteria": {"name": "breast", "inclusion": [{"cancer_type": ["BRCA"]}]}}
    data = tm.post("/api/feasibility", json=body).json()
    assert {c["centre_id"]: c["met"]["label"] for c in data["centres"]}["gustave-roussy"] == "10 or fewer"
    assert data["disclosure"] == precise.as_json() and data["budget"]["questions_asked"] == 1
    assert tm.post("/api/feasibility", json={}).status_code == 422
    assert tm.post("/api/feasibility", json={"criteria": {"inclusion": [{"age": "old"}]}}).status_code == 422
    page = tm.post("/feasibility", data={"spec": BREAST}, headers={"accept": "text/html"})
    assert page.status_code == 200 and "10 or fewer" in page.text and 'id="feasibility"' in page.text
    assert 'id="budget"' in page.text and 'id="policy"' in page.text
    # a GET of the page counts nothing (no budget spent): the trial is only preselected
    before = tm.post("/api/feasibility", json=body).json()["budget"]["questions_asked"]  # a repeat: free
    shown = tm.get("/feasibility?trial=x", headers={"accept": "text/html"})
    assert shown.status_code == 200 and 'id="feasibility"' not in shown.text
    assert tm.post("/api/feasibility", json=body).json()["budget"]["questions_asked"] == before == 2
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


def test_feasibility_cli(tmp_path, monkeypatch, precise) -> None:  # type: ignore[no-untyped-def]
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
    curie = next(line for line in out.output.splitlines() if line.startswith("curie,"))
    assert curie.split(",")[2:4] == ["15", "False"]
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


def test_counts_from_the_match_index_equal_counts_from_full_records(demo_db: Database) -> None:
    """run_feasibility counts from the stored features (issue 22: 50,000 full records per question
    were most of its cost): the same patients, the same verdicts as reading every record."""
    from oncofed.store.repositories import CentreRepository, TrialRepository

    with demo_db.session() as s:
        trial_ids = [t.id for t in TrialRepository(s).list(limit=8)]
        centres = [c.id for c in CentreRepository(s).list()]
    some = 0
    for trial_id in trial_ids:
        criteria = feasibility.trial_question(demo_db, trial_id).counted
        full = feasibility.criteria_classifier(criteria)
        with demo_db.session() as s:
            for centre in centres:
                indexed = feasibility.classify_centre_indexed(s, centre, criteria)
                assert indexed == feasibility.classify_centre(s, centre, full), (trial_id, centre)
                some += len(indexed[0]) + len(indexed[1])
    assert some  # not only empty sets


def test_counts_from_the_index_see_new_changed_and_objecting_records(net: Database) -> None:
    """Records the match index has not seen yet (new, changed, now objecting) are counted as they are."""
    criteria = Question(*parse_text(BREAST)).counted
    with net.session() as s:
        assert len(feasibility.classify_centre_indexed(s, "curie", criteria)[0]) == 40
    add(net, "curie", 5, start=100)  # new records
    add(net, "curie", 3, start=200, objection=True)
    with net.session() as s:
        repo = PatientRepository(s, Actor.system("test"))
        changed = repo.get("curie-00001")
        changed.primary_cancer = "LUAD"  # no longer a breast cancer
        repo.upsert(changed)
    with net.session() as s:
        met, _ = feasibility.classify_centre_indexed(s, "curie", criteria)
        full = feasibility.classify_centre(s, "curie", feasibility.criteria_classifier(criteria))
    assert len(met) == 44 and "curie-00001" not in met and (met, _) == full


def test_budget_ledger_and_repeats_on_both_databases(db: Database, precise: disclosure.Policy) -> None:
    load_centres(db)
    add(db, "curie", 30)
    first = ask(db)["curie"]["met"]
    assert first == {"value": 30, "suppressed": False, "noised": True, "label": "30"}
    assert ask(db)["curie"]["met"] == first  # a repeat today: the recorded answer
    with db.session() as s:
        rows = s.scalars(select(FeasibilityQuestionRow)).all()
    assert [(r.user_id, r.epsilon, r.differencing) for r in rows] == [
        ("tom", precise.epsilon_per_question, False)
    ]
    assert rows[0].answer and rows[0].answer["centres"]
