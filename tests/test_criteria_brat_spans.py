"""Generic brat spans (oncofed.criteria.brat_spans) and CRLF-exact offsets of the brat export."""

from __future__ import annotations

from pathlib import Path

from oncofed.criteria.brat import export_and_score, read_ann, text_entities
from oncofed.criteria.brat_spans import (
    MEASUREMENT_VOCAB,
    abbreviation_end,
    condition_bounds,
    drug_bounds,
    extend_left,
    generic_spans,
    is_age,
    value_start,
)
from oncofed.domain.criteria import Section


def _spans(text: str) -> set[tuple[str, str]]:
    return {(t, text[s:e]) for t, s, e in generic_spans(text)}


def test_generic_spans_of_a_criterion() -> None:
    text = "Women aged 18 years or older without history of ulcerative colitis within the last 6 months"
    got = _spans(text)
    assert ("Person", "Women") in got
    assert ("Negation", "without") in got
    assert ("Condition", "ulcerative colitis") in got
    assert ("Temporal", "within the last 6 months") in got
    lab = _spans("Serum creatinine > 1.5 mg/dL at screening; prior radiotherapy")
    assert ("Value", "> 1.5 mg/dL") in lab
    assert ("Temporal", "at screening") in lab
    assert ("Procedure", "radiotherapy") in lab


def test_brat_offsets_count_crlf(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = "Age >= 18 years\r\nNo history of chronic hepatitis\r\nPlatelets >= 100,000/mm3\r\n"
    (src / "T1_inc.txt").write_bytes(text.encode())
    start = text.index("chronic hepatitis")
    (src / "T1_inc.ann").write_text(
        f"T1\tCondition {start} {start + 17}\tchronic hepatitis\n", encoding="utf-8"
    )
    n, scores = export_and_score(src, tmp_path / "out")
    assert n == 1 and scores is not None
    pred = read_ann(tmp_path / "out" / "T1_inc.ann")
    assert all(text[p.start : p.end].replace("\r\n", " ") == p.text for p in pred)
    assert scores["Condition"]["overlap"]["recall"] == 1.0


def test_procedure_heads_and_modifiers() -> None:
    text = "Prior cardiac surgery, bilateral oophorectomy or MRI scan; no percutaneous coronary intervention (PCI)"
    ents = {(e.type, e.text) for e in text_entities(text, Section.EXCLUSION)}
    assert ("Procedure", "cardiac surgery") in ents  # modifier kept, temporal qualifier "Prior" left out
    assert ("Procedure", "bilateral oophorectomy") in ents
    assert ("Procedure", "MRI scan") in ents
    assert ("Procedure", "percutaneous coronary intervention (PCI)") in ents
    assert ("Procedure", "PCI") not in ents
    assert ("Procedure", "surgery") not in ents
    got = {
        (e.type, e.text)
        for e in text_entities("on nocturnal oxygen therapy or systemic treatment", Section.EXCLUSION)
    }
    assert ("Procedure", "nocturnal oxygen therapy") in got and ("Procedure", "systemic treatment") in got
    assert {("Procedure", "psychotherapy"), ("Procedure", "paracentesis")} <= _spans(
        "psychotherapy or paracentesis"
    )


def test_extend_left_stops_at_function_words_and_lines() -> None:
    text = "patients who had major cardiac surgery\nliver transplant"
    s = text.index("surgery")
    assert text[extend_left(text, s) : s] == "major cardiac "
    assert extend_left(text, text.index("transplant"), max_words=2) == text.index("liver")
    assert extend_left("no surgery", 3) == 3
    assert abbreviation_end("body mass index (BMI) > 30", 15) == 21


def test_drug_names_and_ages() -> None:
    text = "Women aged 18 years or older on oral corticosteroids, doxorubicin hydrochloride or statins within 6 months"
    ents = {(e.type, e.text) for e in text_entities(text, Section.INCLUSION)}
    assert ("Drug", "oral corticosteroids") in ents
    assert ("Drug", "doxorubicin hydrochloride") in ents
    assert ("Drug", "statins") in ents  # INN stem, plural
    assert ("Drug", "ticagrelor") in _spans("use of ticagrelor")
    classes = _spans("on beta-blockers, proton pump inhibitors or analgesics")
    assert {("Drug", "beta-blockers"), ("Drug", "proton pump inhibitors"), ("Drug", "analgesics")} <= classes
    assert not any(t == "Temporal" and "18" in x for t, x in ents)  # an age, not a time window
    assert ("Temporal", "within 6 months") in ents
    assert is_age("patients aged 18 years", 16, 24) and not is_age("for 3 years", 4, 11)
    assert drug_bounds("live vaccines", 5, 13) == (0, 13)
    assert not any(t == "Drug" for t, _ in _spans("history of heart disease except cases of increase"))


def test_measurement_names_from_the_vocabulary_file() -> None:
    got = _spans("Systolic blood pressure > 160 mmHg, NYHA class III-IV or Child-Pugh B; HbsAg positive")
    assert ("Measurement", "Systolic blood pressure") in got
    assert ("Measurement", "NYHA") in got  # the class is no part of the name
    assert ("Measurement", "Child-Pugh") in got
    assert ("Measurement", "HbsAg") in got
    assert ("Measurement", "fasting plasma glucose level") in _spans("fasting plasma glucose level < 7")
    assert not MEASUREMENT_VOCAB.search("stage IV disease of any grade")


def test_condition_bounds_and_negation_cue() -> None:
    text = "uncontrolled hypertension or pulmonary hypertension; absence of gastrointestinal bleeding"
    h = text.index("uncontrolled")
    assert condition_bounds(text, h, h + len("uncontrolled hypertension")) == (h + 13, h + 25)
    p = text.index("hypertension", h + 25)
    s, e = condition_bounds(text, p, p + len("hypertension"))
    assert text[s:e] == "pulmonary hypertension"
    w = "women of childbearing potential"
    assert condition_bounds(w, 0, len(w)) == (9, len(w))  # the person word is Person, apart
    s, e = condition_bounds("chronic bleeding", 8, 16)
    assert s == 8  # a course word is not widened over
    assert ("Negation", "absence") in _spans(text)
    assert not any(t == "Negation" for t, _ in _spans("diseases including but not limited to asthma"))


def test_temporal_extent() -> None:
    got = _spans(
        "on a stable dose for at least 3 months; within 30 days prior to Visit 1; at the screening visit"
    )
    assert ("Temporal", "for at least 3 months") in got
    assert ("Temporal", "within 30 days prior to Visit 1") in got
    assert ("Temporal", "at the screening visit") in got


def test_value_bounds_and_units() -> None:
    got = _spans("heart rate >90 bpm, FSH > 40 mIU/mL, FEV1 <40% predicted, score <or=6")
    assert ("Value", ">90 bpm") in got
    assert ("Value", "> 40 mIU/mL") in got
    assert ("Value", "<40% predicted") in got
    assert ("Value", "<or=6") in got
    assert value_start("Age >18", 0, 7) == 4
    assert value_start("greater than 2", 0, 14) == 0


def test_person_words() -> None:
    got = _spans("Men or women 18 years old or older, 65 years of age, not of child-bearing potential")
    assert {("Person", "Men"), ("Person", "women"), ("Person", "old"), ("Person", "age")} <= got
    assert not any(t == "Person" and "child" in x for t, x in got)
    assert ("Person", "years old") not in got


def test_condition_heads_by_morphology() -> None:
    got = _spans(
        "schizophrenia, claustrophobia, ventricular tachycardia, septic shock or any medical condition"
    )
    for name in (
        "schizophrenia",
        "claustrophobia",
        "ventricular tachycardia",
        "septic shock",
        "medical condition",
    ):
        assert ("Condition", name) in got, name
