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


# ---- the wordings of the verdict passes (issue 23, second pass): one class of French wording per test ----


def fact_of(text: str, kind: str, code: str | None = None) -> Any:
    found = [f for f in facts_of(text) if f.kind == kind and (code is None or f.code == code)]
    assert found, f"no {kind} {code} in {[(f.kind, f.code) for f in facts_of(text)]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Patient de 62 ans, HTA équilibrée sous amlodipine.", "controlled"),
        ("Patiente de 70 ans, diabète de type 2 mal équilibré, hémoglobine glyquée à 9,4 %.", "uncontrolled"),
        (
            "Patient de 55 ans, hypertension artérielle non contrôlée malgré trois traitements.",
            "uncontrolled",
        ),
    ],
)
def test_controlled_and_uncontrolled_conditions(text: str, status: str) -> None:
    controlled = [f.attributes.get("controlled") for f in facts_of(text) if f.kind == "comorbidity"]
    assert controlled == [status == "controlled"]


def test_an_event_n_units_ago_is_dated_like_its_english_twin() -> None:
    french = (
        "Consultation du 15/03/2024. Patient de 60 ans. Embolie pulmonaire il y a 2 mois, sous tinzaparine."
    )
    english = "Clinic 15/03/2024. 60 y/o M. Pulmonary embolism 2 months ago, on tinzaparin."
    fr, en = (
        fact_of(french, "comorbidity", "thromboembolism"),
        fact_of(english, "comorbidity", "thromboembolism"),
    )
    assert fr.when is not None and (fr.when, fr.attributes) == (en.when, en.attributes)
    assert fact_of(french, "medication", "tinzaparin").attributes.get("current") is True


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        ("Patiente de 48 ans. Hépatite C chronique, ARN VHC 3,2 x 10^6 UI/mL, jamais traitée.", "hepatitis_c", "active"),
        ("Patient de 51 ans. Hépatite C traitée en 2017, RVS, charge virale indétectable.", "hepatitis_c", "resolved"),
        ("Patient de 39 ans, allogreffé. Réactivation du CMV, charge virale 12 000 UI/mL en hausse.", "viral_infection", "active"),
        ("Patient de 44 ans, allogreffé. GVH aiguë digestive grade III active.", "graft_versus_host_disease", "active"),
    ],
)  # fmt: skip
def test_viral_loads_reactivations_and_gvhd(text: str, code: str, status: str) -> None:
    assert fact_of(text, "comorbidity", code).attributes.get("status") == status


def test_symptoms_effusions_and_psychiatric_history() -> None:
    effusion = fact_of("Patient de 67 ans. Épanchement pleural gauche, dyspnée d'effort.", "comorbidity")
    assert (effusion.code, effusion.attributes.get("status")) == ("pleural_effusion", "symptomatic")
    bipolar = fact_of("Patiente de 35 ans. Trouble bipolaire stabilisé sous valproate.", "comorbidity")
    assert (bipolar.code, bipolar.attributes.get("controlled")) == ("psychiatric_illness", True)


def test_long_term_steroids_and_topical_forms() -> None:
    steroid = fact_of(
        "Patient de 72 ans. Corticothérapie au long cours pour une pseudopolyarthrite.", "treatment"
    )
    assert steroid.attributes.get("qualifier") == "chronic"
    cream = fact_of("Patiente de 40 ans. Psoriasis : kétoconazole crème deux fois par semaine.", "medication")
    assert (cream.code, cream.attributes.get("route")) == ("ketoconazole", "topical")


def test_cancer_wordings_keep_their_histology_for_the_engine() -> None:
    # the matching engine reads a cancer's `attributes.text` for its histology words, in English
    oesophagus = fact_of(
        "Patient de 64 ans, carcinome épidermoïde du tiers inférieur de l'œsophage.", "primary_cancer"
    )
    assert oesophagus.code == "ESCC" and "squamous" in oesophagus.attributes["text"]
    mixed = fact_of(
        "Patiente de 57 ans, carcinome mixte canalaire et lobulaire du sein droit.", "primary_cancer"
    )
    assert mixed.code == "MDLC"
    text = "Patiente de 45 ans, cancer du sein inflammatoire gauche."
    inflammatory = fact_of(text, "primary_cancer")
    assert text[slice(*inflammatory.provenance.span)].startswith("cancer du sein inflammatoire")
    assert fact_of(text, "tnm").attributes.get("read") == "inflammatory"
    relapse = "Patient de 58 ans. Myélogramme : rechute du myélome, plasmocytose 30 %."
    assert ("disease_status", "recurrent", False) in keyed(facts_of(relapse))


def test_her2_score_0_whole_brain_radiotherapy_and_adnexal_surgery() -> None:
    her2 = fact_of(
        "Patiente de 50 ans, carcinome canalaire infiltrant, HER2 score 0, RE 95 %.", "biomarker", "HER2"
    )
    assert (her2.value, her2.attributes.get("kind")) == ("0", "ihc")
    wbrt = fact_of("Patient de 61 ans. Irradiation encéphalique totale 20 Gy en 2022.", "treatment")
    assert wbrt.attributes.get("site") == "whole brain"
    surgery = keyed(facts_of("Patiente de 66 ans. Hystérectomie totale et ovariectomie bilatérale en 2010."))
    assert {("procedure", "hysterectomy", False), ("procedure", "oophorectomy", False)} <= surgery


@pytest.mark.parametrize(
    "text",
    [
        "Patient de 71 ans, adénocarcinome prostatique, sous suppression androgénique par triptoréline depuis 2020.",
        "Patient de 68 ans, cancer de la prostate sous blocage androgénique complet depuis 2019.",
    ],
)
def test_androgen_deprivation_wordings(text: str) -> None:
    adt = fact_of(text, "treatment", "androgen deprivation therapy")
    assert adt.attributes.get("current") is True and not adt.negated
