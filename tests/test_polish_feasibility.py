"""QA polish (issues 17/18 follow-up), feasibility: unknown values refused before any privacy budget is
spent, naming the field with the closest known values; clinicians' wording resolved; the audit log
records what each question counted, so the DPO can review questions before lifting a lockout."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from oncofed.criteria.feasibility_spec import SpecError, criteria_fingerprint, parse_spec
from oncofed.domain import Actor, PatientProfile, Role
from oncofed.ingest.feasibility_spec import parse_text
from oncofed.services.feasibility import budget, disclosure
from oncofed.services.feasibility.counts import LockedOut, Question, run_feasibility
from oncofed.services.network.centres import load_centres
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models_trust import FeasibilityQuestionRow
from oncofed.store.repositories import PatientRepository

TM = Actor("tess", Role.TRIAL_MANAGER, purpose="feasibility")
UNKNOWN = {
    "name": "typos",
    "inclusion": [
        {"cancer_type": ["ZZZZ"]},
        {"stage": ["V"]},
        {"biomarker": {"gene": "NOTAGENE"}},
        {"lab": {"analyte": "neutrofils", "op": ">=", "value": 1.5}},
    ],
    "exclusion": [{"metastasis": "brian"}, {"prior_therapy": {"drug": "pembrolizimab"}}],
}


@pytest.fixture
def net(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("ONCOFED_FEASIBILITY_SCALE", "0.1")  # almost no noise: what is counted shows
    monkeypatch.setenv("ONCOFED_FEASIBILITY_EPSILON", "1000")  # and the budget that goes with it
    load_centres(sqlite_db)
    profiles = [
        PatientProfile(
            id=f"curie-{i:04d}", centre_id="curie", sex="FEMALE", age_years=50.0, primary_cancer=code
        )
        for i, code in enumerate(["BRCA"] * 30 + ["IDC"] * 10 + ["DCIS"] * 5 + ["LUAD"] * 20)
    ]
    with sqlite_db.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(profiles)
    return sqlite_db


def questions_asked(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(FeasibilityQuestionRow)) or 0)


@pytest.mark.parametrize(
    ("item", "field", "closest"),
    [
        ({"cancer_type": ["Brest cancer"]}, "cancer_type", "BREAST (Breast)"),
        ({"stage": ["V"]}, "stage", "IV"),
        ({"biomarker": {"gene": "BRAFF"}}, "biomarker.gene", "BRAF"),
        ({"metastasis": "brian"}, "metastasis", "brain"),
        ({"prior_therapy": {"drug": "pembrolizimab"}}, "prior_therapy.drug", "pembrolizumab"),
        ({"prior_therapy": {"class": "platinium"}}, "prior_therapy.class", "platinum"),
        ({"lab": {"analyte": "neutrofils", "op": ">=", "value": 1}}, "lab.analyte", "anc"),
        ({"atom": {"kind": "biomarker", "operator": "present", "code": "NOTAGENE"}}, "atom.code", ""),
    ],
)
def test_an_unknown_value_is_refused_naming_the_field_and_the_closest_values(
    item: dict[str, Any], field: str, closest: str
) -> None:
    with pytest.raises(SpecError) as refused:
        parse_spec({"name": "x", "inclusion": [item]}, "q.yaml")
    assert refused.value.file == "q.yaml" and refused.value.record == "inclusion[0]"
    assert refused.value.field == field
    assert closest in (refused.value.fix or "")


def test_every_unknown_value_of_a_question_is_named_at_once() -> None:
    with pytest.raises(SpecError) as refused:
        parse_spec(UNKNOWN, "typos.yaml")
    text = str(refused.value)
    assert text.startswith("typos.yaml: 6 problems")
    for where in ("inclusion[0]:cancer_type", "inclusion[1]:stage", "inclusion[2]:biomarker.gene",
                  "inclusion[3]:lab.analyte", "exclusion[0]:metastasis", "exclusion[1]:prior_therapy.drug"):  # fmt: skip
        assert where in text
    assert "closest: brain" in text and "closest: IV" in text


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Breast cancer", "BREAST"),  # the tissue: every breast cancer, DCIS included
        ("breast", "BREAST"),
        ("brca", "BRCA"),
        ("Melanoma", "MEL"),
        ("non-small cell lung cancer", "NSCLC"),
        ("colorectal cancer", "COADREAD"),  # a trial-text synonym of the vocabulary
        ("cancer du sein", "BRCA"),  # French names of resources/vocab/fr/cancers.tsv
    ],
)
def test_cancer_names_are_resolved_the_way_clinicians_type_them(written: str, code: str) -> None:
    _, criteria = parse_spec({"inclusion": [{"cancer_type": [written]}]})
    assert criteria[0].atoms[0].value == [code]
    assert criteria[0].text.startswith(f"cancer_type: {code} (")


def test_other_values_are_resolved_to_the_vocabularies_canonical_form() -> None:
    _, criteria = parse_spec(
        {
            "inclusion": [
                {"stage": ["stage 3", "ivb"]},
                {"biomarker": {"gene": "her2/neu", "value": "positive"}},
                {"prior_therapy": {"drug": "Keytruda"}},
                {"prior_therapy": {"class": "PD-1 inhibitor"}},
                {"lab": {"analyte": "Hb", "op": ">=", "value": 9}},
            ],
            "exclusion": [{"metastasis": "Liver metastases"}],
        }
    )
    atoms = [c.atoms[0] for c in criteria]
    assert atoms[0].value == ["III", "IVB"]
    assert atoms[1].code == "HER2" and atoms[2].code == "pembrolizumab"
    assert atoms[3].code == "anti-PD-1" and atoms[3].attributes == {"class": "anti-PD-1"}
    assert atoms[4].code == "hemoglobin" and atoms[5].code == "liver"


def test_the_same_question_in_other_words_has_the_same_fingerprint() -> None:
    a = parse_spec({"inclusion": [{"cancer_type": ["Breast cancer"]}, {"stage": ["IV"]}]})[1]
    b = parse_spec({"inclusion": [{"cancer_type": ["BREAST"]}, {"stage": ["stage 4"]}]})[1]
    assert criteria_fingerprint(a) == criteria_fingerprint(b)


def test_breast_cancer_counts_every_breast_cancer_not_nobody(net: Database) -> None:
    result = run_feasibility(net, TM, Question(*parse_text("inclusion:\n  - cancer_type: [Breast cancer]\n")))
    curie = next(c for c in result.as_json()["centres"] if c["centre_id"] == "curie")
    assert curie["met"]["value"] == 45  # 30 BRCA + 10 IDC + 5 DCIS, the LUAD patients left out
    assert result.as_json()["asks"] == "inclusion: cancer_type: BREAST (Breast)"


def test_a_refused_question_spends_no_budget_on_the_api_the_page_or_the_cli(
    net: Database, client_as: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tm = client_as(net, TM)
    api = tm.post("/api/feasibility", json={"criteria": UNKNOWN})
    assert api.status_code == 422 and "exclusion[0]:metastasis" in api.json()["detail"]
    page = tm.post(
        "/feasibility",
        data={"spec": "inclusion:\n  - stage: [V]\n"},
        headers={"accept": "text/html"},
    )
    assert page.status_code == 422 and "unknown stage" in page.text and "closest: IV" in page.text
    from oncofed.cli import app

    monkeypatch.setenv("DATABASE_URL", str(net.engine.url))
    spec = tmp_path / "typos.yaml"
    spec.write_text("inclusion:\n  - cancer_type: [ZZZZ]\n", encoding="utf-8")
    cli = CliRunner().invoke(app, ["feasibility", "--criteria", str(spec)])
    assert cli.exit_code != 0 and "unknown cancer type 'ZZZZ'" in str(cli.exception)
    assert questions_asked(net) == 0
    assert budget.state(net, TM.user_id, disclosure.policy()).questions == 0
    # the same question, corrected, is counted and spends one question
    fixed = tm.post("/api/feasibility", json={"criteria": {"inclusion": [{"stage": ["IV"]}]}})
    assert fixed.status_code == 200 and fixed.json()["budget"]["questions_asked"] == 1


def test_the_audit_log_shows_what_each_question_counted(net: Database) -> None:
    run_feasibility(
        net,
        TM,
        Question(
            *parse_text("name: my question\ninclusion:\n  - cancer_type: [Breast cancer]\n  - age: '>= 40'\n")
        ),
    )
    rows = audit.search(net.engine, user=TM.user_id, action="feasibility")
    assert len(rows) == 1
    detail = rows[0]["detail"]
    assert "'my question'" in detail
    assert "asks: inclusion: cancer_type: BREAST (Breast) | inclusion: age:" in detail
    assert rows[0]["patient_ids"] == "" and "curie-" not in detail  # what was asked, never who


def test_a_lockout_records_the_refused_question_for_the_dpo(
    net: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONCOFED_FEASIBILITY_DIFFERENCING_LIMIT", "1")
    ask = lambda age: run_feasibility(  # noqa: E731
        net, TM, Question(*parse_text(f"inclusion:\n  - cancer_type: [MEL]\n  - age: '>= {age}'\n"))
    )
    ask(56)
    ask(57)  # one criterion apart: a differencing step (the limit)
    with pytest.raises(LockedOut):
        ask(58)
    (lockout,) = audit.search(net.engine, user=TM.user_id, action="security.feasibility_lockout")
    assert "refused:" in lockout["detail"] and "cancer_type: MEL (Melanoma)" in lockout["detail"]
    assert 'age: ">= 58"' in lockout["detail"]
    asked = [r["detail"] for r in audit.search(net.engine, user=TM.user_id, action="feasibility")]
    assert len(asked) == 2 and all("cancer_type: MEL (Melanoma)" in d for d in asked)


def test_audit_cli_lists_feasibility_questions_and_refuses_an_unknown_user(
    net: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncofed.cli import app

    run_feasibility(net, TM, Question(*parse_text("inclusion:\n  - cancer_type: [Breast cancer]\n")))
    monkeypatch.setenv("DATABASE_URL", str(net.engine.url))
    monkeypatch.setenv("COLUMNS", "250")
    listed = CliRunner().invoke(app, ["audit", "list", "--action", "feasibility", "--csv"])
    assert listed.exit_code == 0 and "cancer_type: BREAST (Breast)" in listed.output
    nobody = CliRunner().invoke(app, ["audit", "unlock", "nobody"])
    assert nobody.exit_code != 0 and "no user 'nobody'" in str(nobody.exception)
    known = CliRunner().invoke(app, ["audit", "unlock", TM.user_id])  # asked, but not locked out
    assert known.exit_code == 1 and "has no active feasibility lockout" in known.output


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
_keys = st.sampled_from(["age", "sex", "cancer_type", "stage", "ecog", "biomarker", "prior_therapy",
                         "prior_lines", "lab", "metastasis", "atom", "any_of", "other"])  # fmt: skip
_atom = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            ["cancer_type", "stage", "biomarker", "prior_therapy", "metastasis", "lab", "x"]
        ),
        "operator": st.sampled_from(["present", "in", ">="]),
        "code": st.text(max_size=8) | _json,
        "value": _json,
        "attributes": _json,
    }
)
_items = st.dictionaries(_keys, _json, min_size=1, max_size=3) | st.fixed_dictionaries({"atom": _atom})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {"inclusion": st.lists(_items, max_size=3), "exclusion": st.lists(_items, max_size=2)}
    )
)
def test_any_document_is_read_or_refused_with_a_spec_error(doc: dict[str, Any]) -> None:
    """Whatever a client posts, the reader answers with criteria or a SpecError (a 422 naming the
    field), never another exception (a 500)."""
    with contextlib.suppress(SpecError):
        parse_spec(doc, "fuzz")
