"""French pages say what the engines write in French grammar (presenters/engine_text.py): biomarker results
from their parts, OncoTree cancer names by their French names, adjectives agreed with their noun, French
list typography; English pages show the engines' words as written. Each form in both languages."""

from __future__ import annotations

import pytest

from oncofed.presenters.engine_text import biomarker_result, say, unsaid
from oncofed.presenters.i18n import translator

NNBSP = "\u202f"  # narrow no-break space: before ";" in French typography (as Babel's French digit groups)


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("BRAF mutation", "mutation BRAF"),
        ("EGFR exon 20 insertion", "insertion de l'exon 20 d'EGFR"),
        ("EGFR Exon 19 deletion", "délétion de l'exon 19 d'EGFR"),
        ("MET exon 14 skipping", "saut de l'exon 14 de MET"),
        ("HER2 exon 20 insertion", "insertion de l'exon 20 de HER2"),  # no elision before a consonant
        ("HER2 negative", "HER2 négatif"),
        ("HER2 amplification", "amplification HER2"),
        ("KRAS wild type", "KRAS sauvage"),
        ("BRAF V600E mutation", "mutation BRAF V600E"),
        ("BRCA1 germline pathogenic", "variant germinal pathogène BRCA1"),
        ("EGFR activating mutation", "mutation activatrice EGFR"),
        ("PD-L1 50%", "PD-L1 50\u00a0%"),
        ("exon 19 deletion, L858R", "délétion de l'exon 19, L858R"),
        (
            "EGFR exon 20 insertion (criterion: mutation)",
            "insertion de l'exon 20 d'EGFR (critère\u00a0: mutation)",
        ),
        ("HER2 negative (criterion: positive)", "HER2 négatif (critère\u00a0: positif)"),
        (
            "Not decided: biomarker test: EGFR (exon 20 insertion).",
            "Non tranché\u00a0: test de biomarqueur\u00a0: EGFR (insertion de l'exon 20).",
        ),
        ("HER2 2+: undecided", "HER2 2+\u00a0: non tranché"),
        (
            "Not decided: biomarker test: ER (negative), PR (negative).",
            "Non tranché\u00a0: test de biomarqueur\u00a0: ER (négatif), PR (négatif).",
        ),
        ("MSI MSS (criterion: MSI-H)", "MSI MSS (critère\u00a0: MSI-H)"),  # codes: the shape, as before
        (
            "ECOG 1 (criterion: ECOG at most 1)",
            "ECOG 1 (critère\u00a0: ECOG au plus 1)",
        ),  # a number: no biomarker
        (  # "EGFR" is no laboratory value (eGFR) here
            "creatinine clearance 64 mL/min on 2026-09-27 (criterion: at least 50 mL/min)",
            "Clairance de la créatinine 64 mL/min le 27 sept. 2026 (critère\u00a0: au moins 50 mL/min)",
        ),
    ],
)
def test_biomarker_results_are_said_from_their_parts(english: str, french: str) -> None:
    assert say("fr", english) == french
    assert unsaid("fr", english) == []
    assert say("en", english) == english


def test_a_biomarker_result_of_unknown_words_is_left_to_the_other_rules() -> None:
    fr = translator("fr")
    assert biomarker_result(fr, "HTN", "recorded as controlled") is None
    assert biomarker_result(fr, "", "negative") is None  # a status alone is a word of the vocabulary
    assert biomarker_result(fr, "EGFR", "exon 20 insertion") == "insertion de l'exon 20 d'EGFR"
    assert biomarker_result(translator("en"), "EGFR", "exon 20 insertion") == "EGFR exon 20 insertion"


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "primary cancer Lung Adenocarcinoma (LUAD), a form of Non-Small Cell Lung Cancer (NSCLC)",
            "cancer primitif adénocarcinome pulmonaire (LUAD), une forme de cancer bronchique non à petites "
            "cellules (NSCLC)",
        ),
        (  # "de" elided before a vowel: the catalogue cannot know the name's first letter
            "primary cancer Lung Adenocarcinoma (LUAD), a form of Lung Adenocarcinoma (LUAD) or Lung Squamous "
            "Cell Carcinoma (LUSC)",
            "cancer primitif adénocarcinome pulmonaire (LUAD), une forme d'adénocarcinome pulmonaire (LUAD) ou "
            "carcinome épidermoïde pulmonaire (LUSC)",
        ),
        (  # no French name in the vocabulary: OncoTree's English name, with its code
            "primary cancer Large Cell Lung Carcinoma (LCLC)",
            "cancer primitif Large Cell Lung Carcinoma (LCLC)",
        ),
    ],
)
def test_oncotree_cancer_names_are_said_by_their_french_name(english: str, french: str) -> None:
    assert say("fr", english) == french
    assert say("en", english) == english


def test_a_name_that_is_not_oncotrees_name_of_the_code_is_kept() -> None:
    # the trial's own words in brackets are no OncoTree name: kept as written
    assert say("fr", "primary cancer Lung Cancer Of Some Kind (LUAD)") == (
        "cancer primitif Lung Cancer Of Some Kind (LUAD)"
    )


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (  # hypertension is feminine in French
            "hypertension recorded as controlled, not uncontrolled",
            "hypertension artérielle au dossier\u00a0: contrôlée (critère\u00a0: non contrôlée)",
        ),
        (  # diabetes (diabète) is masculine: the listed form
            "diabetes recorded as controlled, not uncontrolled",
            "diabète au dossier\u00a0: contrôlé (critère\u00a0: non contrôlé)",
        ),
        (  # an abbreviation the vocabulary does not know: no gender known, the listed form
            "HTN recorded as controlled, not uncontrolled",
            "HTN au dossier\u00a0: contrôlé (critère\u00a0: non contrôlé)",
        ),
        (  # brain metastases: feminine plural
            "brain metastases untreated, not treated and stable",
            "métastases cérébrales non traitées (critère\u00a0: traitées et stables)",
        ),
        ("whether the hepatitis b is active", "hépatite B\u00a0: activité à préciser"),
        # the shape's own words agree too: "inactive" for hepatitis (feminine), "inactif" for HIV (VIH)
        ("hepatitis c: not active (treated)", "hépatite C\u00a0: inactive (traitée)"),
        ("hiv: not active (treated)", "VIH\u00a0: inactif (traité)"),
    ],
)
def test_adjectives_agree_with_their_noun(english: str, french: str) -> None:
    assert say("fr", english) == french
    assert say("en", english) == english


def test_french_lists_have_a_no_break_space_before_the_semicolon() -> None:
    english = "Not decided: stage group; ECOG performance status."
    assert say("fr", english) == f"Non tranché\u00a0: stade{NNBSP}; Indice de performance ECOG."
    assert say("en", english) == english
    # the note's own words are a quote: their semicolons stay as written
    assert (
        say("fr", "note fr-1: “PS 1; pas de métastase”")
        == "note fr-1\u00a0: «\u202fPS 1; pas de métastase\u202f»"
    )


def test_codes_joined_by_and_or_or_say_the_conjunction() -> None:
    assert say("fr", "cT1N0 and cT4b") == "cT1N0 et cT4b"
    assert say("fr", "pT2 or pT3") == "pT2 ou pT3"
    assert unsaid("fr", "cT1N0 and cT4b") == []


def test_quotes_of_the_criterion_and_record_identifiers_are_not_counted_as_english() -> None:
    quote = "“unless both components are CDH1 negative by local assessment”"
    assert say("fr", quote) == quote and unsaid("fr", quote) == []
    assert unsaid("fr", "synthetic:seed=42:curie-000014") == []
    assert unsaid("fr", "tumour board decision awaited") == ["tumour board decision awaited"]


def test_the_registry_condition_is_said_in_french() -> None:
    english = "Condition: HER2-positive metastatic breast cancer (OncoTree BRCA)"
    # the condition's words are the registry's (a quote): kept
    assert say("fr", english) == "Pathologie\u00a0: HER2-positive metastatic breast cancer (OncoTree BRCA)"
    assert say("en", english) == english


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "Received letrozole (aromatase inhibitor), last given 2025-01-02",
            "A reçu letrozole (inhibiteur de l'aromatase), dernière administration le 2 janv. 2025",
        ),
        ("No prior KRAS G12C inhibitor (recorded)", "Pas d'inhibiteur de KRAS G12C antérieur (renseigné)"),
    ],
)
def test_drug_classes_are_said_in_french(english: str, french: str) -> None:
    assert say("fr", english) == french
    assert unsaid("fr", english) == []
