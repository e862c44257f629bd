"""A stage at diagnosis is no current stage once the record shows the disease has gone beyond it (session 10,
verdicts23; the `stale_stage` cause of benchmarks/verdicts_causes.py): a stage I-III written in a note with
the first diagnosis, and later a relapse or a line of therapy for advanced disease, no longer says "not
stage IV", "not metastatic" or "early disease" (the engine read it as the current stage and excluded the
patient from trials for metastatic disease). The readings become "to check" with the reason; a stage IV, a
stage with only adjuvant treatment after it, or a stage dated after the advanced treatment still decide.
Wordings written for this test (not copied from any verdict set), run through the notes reader, the scalar
evaluator, the vectorised evaluator and the fast ranking path."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Fact, Outcome, PatientProfile, Provenance
from oncofed.matching.assess import assess_trial
from oncofed.matching.facts import PatientView
from oncofed.services.matching.verdicts import note_profile
from tests.verdict_cases import (
    DAY,
    parse,
    profile,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")
SRC = Provenance("test")

RELAPSED_EN = (
    "Clinic letter 10/2026. 58-year-old woman, breast carcinoma diagnosed 2019, stage IIB, ER positive HER2"
    " negative. Lumpectomy then adjuvant docetaxel and cyclophosphamide. Relapse in 2024, treated with"
    " letrozole + palbociclib as first line, progression 09/2026. ECOG 1."
)
RELAPSED_FR = (
    "Consultation 10/2026. Femme de 61 ans, carcinome mammaire stade IIA en 2018, traitement adjuvant par"
    " épirubicine puis paclitaxel. Rechute en 2025 : capécitabine en première ligne, progression. ECOG 0."
)
ADJUVANT_ONLY = (
    "Visit 10/2026. 60 y/o F, stage IIA breast cancer 2020, lumpectomy and adjuvant docetaxel +"
    " cyclophosphamide, then anastrozole ongoing. ECOG 0."
)
LINES = "- Stage IV disease\n- Metastatic breast cancer"


def outcomes(text: str, lines: str = LINES) -> list[Outcome]:
    p = note_profile(text, "n1")
    return [o.outcome for o in assess_trial(parse(lines), p, DAY).outcomes]


@pytest.mark.parametrize("text", [RELAPSED_EN, RELAPSED_FR])
def test_a_stage_at_diagnosis_then_an_advanced_line_is_no_current_stage(text: str) -> None:
    got = outcomes(text)
    assert Outcome.VIOLATED not in got, got


def test_adjuvant_treatment_only_keeps_the_stage_deciding() -> None:
    assert outcomes(ADJUVANT_ONLY) == [Outcome.VIOLATED, Outcome.VIOLATED]


def _stage(value: str, when: date | None = None) -> Fact:
    return Fact("stage", code=value, value=value, when=when, provenance=SRC)


def _line(start: str, setting: str = "metastatic", line: int | None = 1) -> Fact:
    attrs: dict[str, object] = {"class": "taxane", "setting": setting, "start": start}
    if line is not None:
        attrs["line"] = line
    return Fact("treatment", code="paclitaxel", attributes=attrs, provenance=SRC)


def patients() -> list[PatientProfile]:
    relapse = Fact("disease_status", code="recurrent", provenance=SRC)
    return [
        profile(_stage("IIA"), _line("2024-03-01"), name="line", stage=""),
        profile(_stage("IIIB"), relapse, name="relapse", stage=""),
        profile(
            _stage("II"), _line("2023-01-01", setting="palliative", line=None), name="palliative", stage=""
        ),
        profile(_stage("II"), _line("2021-01-01", setting="adjuvant", line=None), name="adjuvant", stage=""),
        profile(_stage("IIIA", date(2025, 6, 1)), _line("2024-03-01"), name="restaged", stage=""),
        profile(_stage("IV"), _line("2024-03-01"), name="four", stage=""),
    ]


def test_since_stage_names_what_went_beyond_the_stage() -> None:
    found = {p.id.split("-")[0]: PatientView.of(p) for p in patients()}
    beyond = {k for k, v in found.items() if v.since_stage(v.stage()[1]) is not None}
    assert beyond == {"line", "relapse", "palliative"}
    assert found["line"].is_metastatic() == (None, None)
    assert found["adjuvant"].is_metastatic()[0] is False
    assert found["restaged"].is_metastatic()[0] is False


def test_the_readings_of_a_stage_gone_beyond_are_to_check_on_every_path() -> None:
    criteria = parse(LINES + "\n- Early breast cancer", "- Known brain metastases")
    by_name = {p.id.split("-")[0]: p for p in patients()}
    for name in ("line", "relapse", "palliative"):
        a = assess_trial(criteria, by_name[name], DAY)
        stage_line, metastatic, early = a.outcomes[:3]
        assert (stage_line.outcome, metastatic.outcome, early.outcome) == (Outcome.UNKNOWN,) * 3, name
        assert "at diagnosis" in stage_line.sentence, stage_line.sentence
    for name in ("adjuvant", "restaged"):
        a = assess_trial(criteria, by_name[name], DAY)
        assert [o.outcome for o in a.outcomes[:2]] == [Outcome.VIOLATED] * 2, name
    assert [o.outcome for o in assess_trial(criteria, by_name["four"], DAY).outcomes[:3]] == [
        Outcome.SATISFIED,
        Outcome.SATISFIED,
        Outcome.VIOLATED,
    ]
    same_everywhere(criteria, patients())
