"""French clinical notes (issue 23): the same facts as the English reader gives its twin, spans in the
French text, mixed-language notes, notes without accents, nothing invented, what was not understood."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria.french import fold, rewrite
from oncofed.criteria.language import ENGLISH, FRENCH, detect
from oncofed.ingest.patients.notes import extract

ISSUE_NOTE = (
    "Patiente de 58 ans, adénocarcinome mammaire infiltrant du sein gauche, RH+ HER2-, stade IV avec "
    "métastases hépatiques et osseuses. OMS 1. Pas de métastase cérébrale. Créatinine 78 µmol/L, "
    "PNN 1,5 G/L, plaquettes 250 G/L, ASAT 1,2 x LSN. Sérologie VIH négative. "
    "Traitée par palbociclib + létrozole en 1re ligne.\n"
    "ATCD familiaux : mère cancer du sein.\n"
    "RCP du 12/03/2024 : essai pembrolizumab à discuter. C1J1 prévu le 20/03."
)


def facts_of(text: str) -> list[Any]:
    return [f for f in extract(text, "n1", "note:test").facts if f.kind != "note"]


def keyed(facts: list[Any]) -> set[tuple[Any, ...]]:
    return {(f.kind, f.code, f.negated) for f in facts}


def test_the_issue_note_gives_its_facts_with_spans_in_the_french_text() -> None:
    facts = facts_of(ISSUE_NOTE)
    keys = keyed(facts)
    for expected in [
        ("sex", "FEMALE", False),
        ("primary_cancer", "BRCA", False),
        ("stage", "IV", False),
        ("metastasis", "liver", False),
        ("metastasis", "bone", False),
        ("metastasis", "brain", True),
        ("comorbidity", "hiv", True),
        ("biomarker", "HER2", False),
        ("treatment", "palbociclib", False),
        ("treatment", "letrozole", False),
        ("lab", "creatinine", False),
        ("lab", "anc", False),
        ("lab", "platelets", False),
        ("lab", "ast", False),
    ]:
        assert expected in keys, expected
    by = {(f.kind, f.code): f for f in facts}
    assert by[("age", None)].value == 58
    assert [f.value for f in facts if f.kind == "ecog"] == [1]
    assert by[("lab", "anc")].value == pytest.approx(1.5)  # decimal comma, G/L
    assert by[("lab", "ast")].attributes["x_uln"] == pytest.approx(1.2)  # "1,2 x LSN"
    for f in facts:  # every span quotes the French note
        s, e = f.provenance.span
        assert 0 <= s < e <= len(ISSUE_NOTE)
    span = by[("metastasis", "brain")].provenance.span
    assert ISSUE_NOTE[span[0] : span[1]] == "métastase cérébrale"
    assert by[("treatment", "letrozole")].display == "létrozole"


def test_plans_trials_and_relatives_are_not_the_patients_history() -> None:
    facts = facts_of(ISSUE_NOTE)
    assert ("treatment", "pembrolizumab", False) not in keyed(facts)
    mentions = {(f.code, f.attributes.get("scope")) for f in facts if f.kind == "note_mention"}
    assert ("pembrolizumab", "plan") in mentions
    assert ("BRCA", "family") in mentions


def test_the_note_fact_keeps_the_french_text_and_says_its_language() -> None:
    note = next(f for f in extract(ISSUE_NOTE, "n1", "note:test").facts if f.kind == "note")
    assert note.value == ISSUE_NOTE
    assert note.attributes["language"] == FRENCH


@pytest.mark.parametrize(
    ("french", "english"),
    [
        (
            "Patient de 67 ans, PS OMS 2. Pas de diabète. Tabagisme sevré.",
            "67 y/o M, WHO PS 2. No diabetes. Former smoker.",
        ),
        (
            "Patiente de 45 ans. Absence de métastase hépatique. Ag HBs négatif.",
            "45 y/o F. No liver metastases. HBsAg negative.",
        ),
        (
            "Patient de 70 ans, CBNPC stade IIIB, EGFR muté (délétion exon 19).",
            "70 y/o M, NSCLC stage IIIB, EGFR exon 19 deletion.",
        ),
        (
            "Patiente de 52 ans, ménopausée, HTA, DT2, BPCO.",
            "52 y/o F, postmenopausal, hypertension, type 2 diabetes, COPD.",
        ),
        (
            "Patiente de 60 ans, hémoglobine 9,8 g/dL, plaquettes 98 G/L, clairance 48 mL/min.",
            "60 y/o F, Hb 9.8 g/dL, Plt 98 x10^9/L, CrCl 48 mL/min.",
        ),
    ],
)
def test_a_french_sentence_gives_the_facts_of_its_english_twin(french: str, english: str) -> None:
    def comparable(text: str) -> set[tuple[Any, ...]]:
        return {
            (f.kind, f.code, f.negated, str(f.value))
            for f in facts_of(text)
            if f.kind not in ("note_unread", "karnofsky")
        }

    assert comparable(french) == comparable(english)


def test_a_note_without_accents_reads_the_same() -> None:
    plain = fold(ISSUE_NOTE)
    assert plain != ISSUE_NOTE and len(plain) == len(ISSUE_NOTE)
    assert keyed(facts_of(plain)) == keyed(facts_of(ISSUE_NOTE))


def test_a_mixed_note_reads_each_line_in_its_own_language() -> None:
    text = (
        "Patiente de 63 ans, carcinome lobulaire infiltrant du sein droit, métastases osseuses.\n"
        "Reviewed by the visiting oncologist. No brain metastases on MRI, ECOG 1.\n"
        "Pas de traitement anticancéreux antérieur. Sérologie VHC négative."
    )
    language = detect(text)
    assert language.mixed
    assert [line.language for line in language.lines] == [FRENCH, ENGLISH, FRENCH]
    rw = rewrite(text, "notes", language)
    english_line = text.splitlines()[1]
    assert english_line in rw.text  # the English line is left as written
    keys = keyed(facts_of(text))
    assert {
        ("primary_cancer", "ILC", False),
        ("metastasis", "bone", False),
        ("metastasis", "brain", True),
    } <= keys
    assert ("comorbidity", "hepatitis_c", True) in keys
    note = next(f for f in extract(text, "n1", "note:test").facts if f.kind == "note")
    assert note.attributes["language"] == "fr+en"


def test_an_english_note_is_read_exactly_as_before() -> None:
    from oncofed.ingest.patients.notes import facts as english_reader

    text = "62 y/o F with metastatic breast cancer to the liver, ECOG 1, no brain mets. HIV negative."
    assert extract(text, "n1", "s").facts == english_reader.extract(text, "n1", "s").facts


def test_unknown_french_words_invent_nothing_and_show_as_not_understood() -> None:
    text = (
        "Patiente de 50 ans. Cancer du sein. Biopsie du 03/02 : prolifération atypique vimentine+, "
        "marqueurs à compléter sur la pièce."
    )
    facts = facts_of(text)
    assert {f.kind for f in facts} <= {"age", "sex", "primary_cancer", "note_unread"}
    unread = [f for f in facts if f.kind == "note_unread"]
    assert unread and "vimentine" in unread[0].display  # quoted in French


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("abcdeéèàç ,.;:'-0123456789xGLN%/\nRPSOMatcdlsn")), max_size=200)
)
def test_spans_always_map_inside_the_text(text: str) -> None:
    rw = rewrite("Patiente de 40 ans, pas de diabète. " + text, "notes")
    for s, e in [(0, len(rw.text)), (3, 9), (len(rw.text) // 2, len(rw.text))]:
        a, b = rw.to_source(s, e)
        assert 0 <= a <= b <= len(rw.source)
    for f in facts_of(rw.source):
        a, b = f.provenance.span
        assert 0 <= a <= b <= len(rw.source)
