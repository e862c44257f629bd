"""The "Probably not — to check" tab as a work list: ordered by the measured chance that the readings
holding each patient back are wrong (services/prescreen/odds.py), the kinds of reading recorded per held
criterion as the trust table counts them (services/prescreen/readings.py), said on each row (FR/EN), in
the API, the CSV and the CLI. Ordering only: no patient changes tab. On both databases (`db`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from oncofed import cli
from oncofed.domain import Atom, Criterion, Fact, PatientProfile, Section, Trial
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.presenters.i18n import translator
from oncofed.presenters.prescreen import held_back_said, order_said
from oncofed.services.prescreen import lists as prescreen
from oncofed.services.prescreen import odds
from oncofed.services.prescreen.engine import HELD, MET
from oncofed.services.prescreen.lists import PrescreenEngine, VerdictMatrix, prescreen_list
from oncofed.services.prescreen.paging import ListQuery, index_counts, list_page
from oncofed.services.prescreen.readings import held_kinds, split_kinds
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database
from tests.prescreen_fixtures import CRITERIA, TRIAL_ID, build_network, fake_evaluate, nurse, patient

# a trust table written for these tests (the shipped one is regenerated as sets are added)
TABLE = odds.table_from(
    {
        "sets": ["set-a", "set-b", "set-c"],
        "day": "2026-12-01",
        "commit": "abc1234",
        "kinds": {
            "inclusion:disease_setting": {"right": 1, "off_topic": 0, "wrong": 10},
            "inclusion:cancer_organ": {"right": 4, "off_topic": 73, "wrong": 11},
            "inclusion:ecog": {"right": 14, "off_topic": 0, "wrong": 8},
            "exclusion:comorbidity": {"right": 26, "off_topic": 0, "wrong": 10},
            "exclusion:lab": {"right": 11, "off_topic": 0, "wrong": 0},
        },
    }
)


def test_odds_per_kind_count_as_the_table_does_and_unmeasured_kinds_sit_in_the_middle() -> None:
    organ = TABLE.odds("inclusion:cancer_organ")
    assert (organ.right, organ.events, round(organ.precision or 0, 3)) == (77, 88, 0.875)  # off-topic counted
    never = TABLE.odds("inclusion:exercise")
    assert not never.measured and never.estimate == 0.5 and never.interval == (0.0, 1.0)
    # few events: the rule of succession keeps 1 in 1 below 8 in 8, and the interval says how wide
    one, eight = odds.KindOdds("k", 1, 1), odds.KindOdds("k", 8, 8)
    assert one.estimate < eight.estimate < 1 and one.interval[0] < eight.interval[0]
    # the interval is the table's own: Wilson lower bounds of every shipped kind, recomputed
    shipped = trust.load_table()["kinds"]
    for kind, row in shipped.items():
        assert odds.shipped_table().odds(kind).interval[0] == pytest.approx(row["wilson_lower"], abs=1e-3), (
            kind
        )


def test_a_patient_held_back_by_readings_usually_wrong_comes_first() -> None:
    def wrong(encoded: str, held: int = 1) -> float:
        return odds.wrong_chance(encoded, held, TABLE)

    setting, organ = wrong("inclusion:disease_setting"), wrong("inclusion:cancer_organ")
    assert setting > wrong("inclusion:exercise") == 0.5 > organ  # never measured: the middle
    # two held criteria: eligible only if both readings are wrong (the product)
    assert wrong("inclusion:ecog;inclusion:ecog", 2) == pytest.approx(wrong("inclusion:ecog") ** 2)
    # an exclusion needs all its atoms (every kind right); an inclusion any of its false atoms
    p_com, p_lab = TABLE.odds("exclusion:comorbidity").estimate, TABLE.odds("exclusion:lab").estimate
    assert odds.criterion_chance(("exclusion:comorbidity", "exclusion:lab"), TABLE) == pytest.approx(
        p_com * p_lab
    )
    p_set, p_ecog = TABLE.odds("inclusion:disease_setting").estimate, TABLE.odds("inclusion:ecog").estimate
    both = odds.criterion_chance(("inclusion:disease_setting", "inclusion:ecog"), TABLE)
    assert both == pytest.approx(1 - (1 - p_set) * (1 - p_ecog))
    # rows stored without kinds (a plug-in engine): each held criterion counts as never measured
    assert wrong("", 2) == pytest.approx(0.25)
    assert split_kinds("inclusion:ecog;;exclusion:comorbidity+exclusion:lab") == [
        ("inclusion:ecog",),
        (),
        ("exclusion:comorbidity", "exclusion:lab"),
    ]


BRCA = Criterion(Section.INCLUSION, 1, "Breast cancer", atoms=(Atom("cancer_type", "in", ["BRCA"]),))
ECOG = Criterion(Section.INCLUSION, 2, "ECOG 0-1", atoms=(Atom("ecog", "<=", 1),))
BRAIN = Criterion(Section.EXCLUSION, 3, "Brain metastases", atoms=(Atom("brain_metastases", "present"),))


def test_the_kinds_recorded_are_the_per_patient_engines_reading() -> None:
    """The numpy path's kinds per held criterion equal the per-patient evaluator's `reading` (what
    benchmarks/verdicts_trust.py counts), organ and subtype told apart per patient."""

    def person(pid: str, ecog: int, cancer: str, **kw: Any) -> PatientProfile:
        return replace(patient(pid, "c", ecog, **kw), primary_cancer=cancer)

    people = [
        person("P-1", 3, "BRCA"),  # ECOG read as not met
        person("P-2", 0, "LUAD"),  # another organ than the line's
        person("P-3", 3, "LUAD"),  # both
        person("P-4", 0, "BRCA", facts=[Fact("metastasis", "brain")]),  # an exclusion's reading
        person("P-5", 0, "BRCA", facts=[Fact("metastasis", "brain", negated=True)]),  # nothing held
    ]
    criteria = (BRCA, ECOG, BRAIN)
    with trust.using(()), trust.splitting(""):  # unsplit kinds (the split ones: test_verdict_policy_split.py)
        batch = PatientBatch.from_profiles(people)
        result = evaluate_trial_over_patients(criteria, batch)
        encoded = held_kinds(criteria, batch, result.held)
        per_patient = [evaluate_criteria(criteria, p) for p in people]
    assert result.held is not None
    assert encoded[0] == "inclusion:ecog" and encoded[1] == "inclusion:cancer_organ"
    assert (
        encoded[2] == "inclusion:cancer_organ;inclusion:ecog" and encoded[3] == "exclusion:brain_metastases"
    )
    assert encoded[4] == ""
    for j, outcomes in enumerate(per_patient):
        expected = [o.reading for k, o in enumerate(outcomes) if result.held[k, j]]
        assert split_kinds(encoded[j]) == expected


KINDS = {
    "A-1": "inclusion:cancer_organ",  # usually right: last
    "A-2": "inclusion:disease_setting",  # usually wrong: first
    "A-3": "inclusion:exercise",  # never measured: the middle
    "A-4": "inclusion:disease_setting;inclusion:ecog",  # two readings against: both must be wrong
    "A-5": "inclusion:ecog",
}
ORDER = ["A-2", "A-3", "A-5", "A-4", "A-1"]


def kinds_evaluate(trial: Trial, patients: Sequence[PatientProfile]) -> VerdictMatrix:
    """The stand-in engine: every patient of centre A held back, with the kinds of `KINDS`."""
    m = fake_evaluate(trial, patients).verdicts.copy()
    kinds = []
    for j, p in enumerate(patients):
        m[:, j] = MET
        per = KINDS.get(p.id, "")
        for k in range(len(per.split(";")) if per else 0):
            m[(0, 2)[k], j] = HELD
        kinds.append(per)
    return VerdictMatrix(CRITERIA, m, tuple(kinds))


KINDS_ENGINE = PrescreenEngine(evaluate=kinds_evaluate, fingerprint=lambda t: t.eligibility_text + " kinds")


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> odds.Table:
    monkeypatch.setattr(odds, "shipped_table", lambda: TABLE)
    return TABLE


def test_the_tab_api_and_cli_list_follow_the_order_and_nobody_moves(db: Database, table: odds.Table) -> None:
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=KINDS_ENGINE)
    page = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely"), engine=KINDS_ENGINE)
    rows = page["candidates"]
    assert [r["patient_id"] for r in rows] == ORDER
    chances = [r["wrong_chance"] for r in rows]
    assert chances == sorted(chances, reverse=True) and chances[1] == 0.5
    first = rows[0]["held_back"][0]
    assert first["criterion"] == {"section": "inclusion", "text": CRITERIA[0].text}
    assert first["kinds"][0] | {"low": None, "high": None} == {
        "kind": "inclusion:disease_setting", "origin": "inclusion", "reading": "disease_setting", "part": "",
        "right": 1, "events": 11, "precision": 0.0909, "low": None, "high": None,
    }  # fmt: skip
    assert 0 < first["kinds"][0]["low"] < 0.0909 < first["kinds"][0]["high"] < 0.5
    assert page["reading_order"] == {"sets": ["set-a", "set-b", "set-c"], "day": "2026-12-01",
                                     "commit": "abc1234", "ordered": True}  # fmt: skip
    # pages of two: the database sorts and pages
    two = [list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely", size=2, page=n), engine=KINDS_ENGINE)
           for n in (1, 2, 3)]  # fmt: skip
    assert [r["patient_id"] for p in two for r in p["candidates"]] == ORDER
    by_id = list_page(
        db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely", sort="patient"), engine=KINDS_ENGINE
    )
    assert [r["patient_id"] for r in by_id["candidates"]] == sorted(ORDER)  # asked for: ids, not the odds
    assert by_id["reading_order"]["ordered"] is False
    by_status = list_page(
        db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely", sort="status"), engine=KINDS_ENGINE
    )
    assert [r["patient_id"] for r in by_status["candidates"]] == ORDER  # one status: ties follow the odds
    every = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="all"), engine=KINDS_ENGINE)
    assert [r["patient_id"] for r in every["candidates"] if r["eligibility"] == "unlikely"] == ORDER
    # the CLI's list (prescreen_list) gives the same order
    listed = prescreen_list(db, TRIAL_ID, a, nurse(a), refresh=False, engine=KINDS_ENGINE)
    assert [c.patient_id for c in listed.candidates if c.eligibility == "unlikely"] == ORDER
    # ordering only: the counts do not depend on the table
    counts = index_counts(db, nurse(a), [(TRIAL_ID, a)])
    other = odds.table_from({"kinds": {"inclusion:cancer_organ": {"right": 0, "wrong": 50}}})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(odds, "shipped_table", lambda: other)
        again = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely"), engine=KINDS_ENGINE)
        assert index_counts(db, nurse(a), [(TRIAL_ID, a)]) == counts
    assert again["counts"] == page["counts"] and again["candidates"][0]["patient_id"] == "A-1"


def test_the_row_says_the_odds_in_english_and_french(table: odds.Table) -> None:
    held = odds.held_back("inclusion:disease_setting", [{"section": "inclusion", "text": "x"}], TABLE)[0]
    en, fr = translator("en"), translator("fr")
    assert held_back_said(en, held) == (
        "held back by: disease setting (inclusion) — this reading was right 1 time in 11 on labelled "
        "trials (95% interval: 2–38%)"
    )
    assert held_back_said(fr, held) == (
        "retenu par\u00a0: situation de la maladie (inclusion) — cette lecture était juste 1 fois sur 11 "
        "sur des essais annotés (intervalle à 95\u00a0%\u00a0: 2–38\u00a0%)"
    )
    many = odds.held_back("inclusion:ecog", [{"section": "inclusion", "text": "x"}], TABLE)[0]
    assert "right 14 times in 22" in held_back_said(en, many)
    never = odds.held_back("inclusion:exercise", [{"section": "inclusion", "text": "x"}], TABLE)[0]
    assert "never measured" in held_back_said(en, never) and "jamais mesurée" in held_back_said(fr, never)
    organ = odds.held_back("inclusion:cancer_organ", [{"section": "inclusion", "text": "x"}], TABLE)[0]
    assert "right 77 times in 88" in held_back_said(en, organ)
    source = TABLE.source()
    assert "3 labelled sets" in order_said(en, source) and "1 Dec 2026" in order_said(en, source)
    said_fr = order_said(fr, source)
    assert "1er déc. 2026" in said_fr and "abc1234" in said_fr and " :" not in said_fr.replace("\u00a0:", "")


def test_csv_api_and_cli_carry_the_kinds_and_odds(
    db: Database, table: odds.Table, client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = build_network(db)
    client = client_as(db, nurse(a))
    client.app.state.prescreen_engine = KINDS_ENGINE
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=KINDS_ENGINE)
    api = client.get(f"/api/prescreen/{TRIAL_ID}/{a}?tab=unlikely").json()
    assert [r["patient_id"] for r in api["candidates"]] == ORDER
    assert api["candidates"][0]["held_back_said"][0].startswith("held back by: disease setting (inclusion)")
    assert api["reading_order"]["commit"] == "abc1234" and "labelled sets" in api["reading_order"]["said"]
    fr = client.get(f"/api/prescreen/{TRIAL_ID}/{a}?tab=unlikely&lang=fr").json()
    assert fr["candidates"][0]["held_back_said"][0].startswith("retenu par\u00a0: situation de la maladie")
    text = client.get(f"/api/prescreen/{TRIAL_ID}/{a}?tab=unlikely&format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["patient_id"] for r in rows] == ORDER
    assert rows[0]["held_back_by"] == "inclusion:disease_setting" and rows[0]["held_right"] == "1/11"
    assert rows[0]["held_precision"] == "0.09" and rows[0]["held_interval"].startswith("0.02-0.3")
    four = rows[ORDER.index("A-4")]
    assert four["held_back_by"] == "inclusion:disease_setting | inclusion:ecog"
    assert four["held_right"] == "1/11 | 14/22" and float(four["wrong_chance"]) == pytest.approx(
        odds.wrong_chance(KINDS["A-4"], 2, TABLE), abs=1e-4
    )
    html_fr = client.get(f"/prescreen/{TRIAL_ID}/{a}?tab=unlikely", headers={"accept": "text/html"}).text
    assert 'id="reading-order"' in html_fr and "juste 1 fois sur 11" in html_fr  # the language cookie
    html = client.get(f"/prescreen/{TRIAL_ID}/{a}?tab=unlikely&lang=en", headers={"accept": "text/html"}).text
    assert 'id="reading-order"' in html and "right 1 time in 11" in html
    assert html.index("A-2") < html.index("A-3") < html.index("A-5") < html.index("A-4") < html.index("A-1")
    # the command line: the same order, the odds on each row, and how it is ordered
    db.dispose()
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setattr(prescreen, "DEFAULT_ENGINE", KINDS_ENGINE)
    runner = CliRunner()
    out = runner.invoke(cli.app, ["prescreen", TRIAL_ID, "--centre", a, "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout)
    assert [c["patient_id"] for c in payload["candidates"] if c["eligibility"] == "unlikely"] == ORDER
    assert payload["reading_order"]["commit"] == "abc1234"
    table_out = runner.invoke(
        cli.app, ["prescreen", TRIAL_ID, "--centre", a, "--limit", "10"], env={"COLUMNS": "400"}
    )
    assert table_out.exit_code == 0 and "labelled sets" in table_out.stdout
    assert "right 1 time in 11" in table_out.stdout
    assert table_out.stdout.index("A-2") < table_out.stdout.index("A-1 ")


def test_held_kinds_survive_an_incremental_refresh(db: Database, table: odds.Table) -> None:
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=KINDS_ENGINE)
    from tests.prescreen_fixtures import update_patient

    update_patient(db, "A-5", ecog=2)
    report = refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=KINDS_ENGINE)
    assert not report.full and report.evaluated == 1
    rows = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely"), engine=KINDS_ENGINE)["candidates"]
    assert [r["patient_id"] for r in rows] == ORDER
    assert np.isclose(rows[2]["wrong_chance"], odds.wrong_chance(KINDS["A-5"], 1, TABLE), atol=1e-4)


def test_the_network_view_is_unchanged_its_counts_are_the_lists_counts(
    db: Database, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The network run (per-centre counts of eligible / possible / probably not / not eligible) reads no
    ordering: same columns as before, and the same counts as the centres' lists, whatever the table."""
    from datetime import date

    from oncofed.domain import Actor, Role
    from oncofed.services.prescreen.network import RESULT_SCHEMA, export_patients, network_trials, run_local

    a, b = build_network(db)
    assert RESULT_SCHEMA.names == ["trial_id", "patient_id", "centre_id", "eligibility", "score", "n_met",
                                   "n_unknown", "n_not_met"]  # fmt: skip
    manager = Actor("arc", Role.RESEARCH_STAFF, frozenset({a, b}))
    path = tmp_path / "patients.parquet"
    with trust.using(()):
        export_patients(db, manager, path)
        run = run_local(path, network_trials(db, [TRIAL_ID]), date.today())
        for table in (TABLE, odds.table_from({})):
            monkeypatch.setattr(odds, "shipped_table", lambda t=table: t)
            for centre in (a, b):
                refresh_prescreen(db, TRIAL_ID, centre, nurse(centre))
                page = list_page(db, TRIAL_ID, centre, nurse(centre), ListQuery(tab="unlikely"))
                row = next(r for r in run.counts() if r["centre_id"] == centre)
                counts = page["counts"]
                assert (row["eligible"], row["possible"], row["unlikely"], row["not_eligible"]) == (
                    counts["eligible"], counts["possible"], counts["unlikely"], counts["blocked"]
                )  # fmt: skip
    assert sum(r["unlikely"] for r in run.counts()) > 0


def no_kinds_evaluate(trial: Trial, patients: Sequence[PatientProfile]) -> VerdictMatrix:
    """A plug-in engine that does not say which kinds held its patients back."""
    return VerdictMatrix(CRITERIA, kinds_evaluate(trial, patients).verdicts)


def test_rows_stored_without_kinds_count_each_held_criterion_as_never_measured(
    db: Database, table: odds.Table
) -> None:
    a, _ = build_network(db)
    engine = PrescreenEngine(evaluate=no_kinds_evaluate, fingerprint=lambda t: t.eligibility_text + " none")
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=engine)
    rows = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely"), engine=engine)["candidates"]
    # A-4 has two criteria held (0.5 x 0.5), the others one (0.5): A-4 last, the others in the list's order
    assert [r["patient_id"] for r in rows][-1] == "A-4" and len(rows) == 5
    assert [r["wrong_chance"] for r in rows] == [0.5, 0.5, 0.5, 0.5, 0.25]
    assert rows[0]["held_back"][0]["kinds"] == [] and rows[-1]["held_back"][1]["chance_right"] == 0.5
