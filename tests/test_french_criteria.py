"""French eligibility text (issue 23): parsed into the atoms of its English twin, spans in the French text;
English text parsed exactly as before; the language of a text and of its lines."""

from __future__ import annotations

from typing import Any

import pytest

from oncofed.criteria.language import ENGLISH, FRENCH, detect
from oncofed.criteria.parser import parse_eligibility

FRENCH_TEXT = """Critères d'inclusion :
- Âge ≥ 18 ans
- Adénocarcinome pulmonaire confirmé histologiquement, stade IV
- PS OMS 0 ou 1
- PNN ≥ 1,5 G/L, plaquettes ≥ 100 G/L, hémoglobine ≥ 9 g/dL
- ASAT/ALAT ≤ 2,5 x LSN (≤ 5 x LSN en cas de métastases hépatiques)
- Clairance de la créatinine ≥ 50 mL/min
Critères de non-inclusion :
- Métastases cérébrales symptomatiques ou non traitées
- Traitement antérieur par anti-PD-1 ou anti-PD-L1
- Infection par le VIH
- Femme enceinte ou allaitante"""

ENGLISH_TEXT = """Inclusion Criteria:
- Age >= 18 years
- Histologically confirmed lung adenocarcinoma, stage IV
- ECOG performance status 0 or 1
- ANC >= 1.5 x10^9/L, platelets >= 100 x10^9/L, hemoglobin >= 9 g/dL
- AST/ALT <= 2.5 x ULN (<= 5 x ULN if liver metastases)
- Creatinine clearance >= 50 mL/min
Exclusion Criteria:
- Symptomatic or untreated brain metastases
- Prior treatment with anti-PD-1 or anti-PD-L1
- HIV infection
- Pregnant or breastfeeding women"""


def statements(text: str) -> list[list[tuple[Any, ...]]]:
    out = []
    for c in parse_eligibility(text).criteria:
        out.append(
            sorted(
                (c.section.value, a.kind, a.operator, repr(a.value), a.unit, a.code, a.negated)
                for a in c.atoms
                if a.kind != "non_evaluable"
            )
        )
    return out


def test_french_criteria_give_the_atoms_of_their_english_twin() -> None:
    french, english = statements(FRENCH_TEXT), statements(ENGLISH_TEXT)
    assert len(french) == len(english) == 10
    same = sum(f == e for f, e in zip(french, english, strict=True))
    assert same == 10, list(zip(french, english, strict=True))


def test_criterion_and_atom_spans_are_in_the_french_text() -> None:
    result = parse_eligibility(FRENCH_TEXT)
    sections = [c.section.value for c in result.criteria]
    assert sections == ["inclusion"] * 6 + ["exclusion"] * 4
    for c in result.criteria:
        assert FRENCH_TEXT[c.span[0] : c.span[1]] == c.text
        for a in c.atoms:
            if a.span:
                assert c.text[a.span[0] : a.span[1]] == a.text
    labs = next(c for c in result.criteria if "PNN" in c.text)
    assert [a.text for a in labs.atoms] == ["PNN ≥ 1,5 G/L", "plaquettes ≥ 100 G/L", "hémoglobine ≥ 9 g/dL"]
    assert [a.value for a in labs.atoms] == [1.5, 100.0, 9.0]
    ps = next(c for c in result.criteria if "OMS" in c.text)
    assert [(a.kind, a.operator, a.value) for a in ps.atoms] == [("ecog", "<=", 1)]


def test_an_english_text_is_parsed_as_before() -> None:
    from oncofed.criteria import parser

    before = parser._criteria_of(parser.segment(ENGLISH_TEXT, parser.Section.INCLUSION))
    assert parse_eligibility(ENGLISH_TEXT).criteria == before


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Patiente de 58 ans, pas de métastase cérébrale.", FRENCH),
        ("Absolute neutrophil count >= 1,500/mcL", ENGLISH),
        ("4. de novo native vessels;", ENGLISH),
        ("Personal history of Guillain-Barré Syndrome.", ENGLISH),
        ("61 y/o F, metastatic melanoma (BRAF wt) dx 2020.", ENGLISH),
        ("Sérologie VIH négative.", FRENCH),
        ("metastases hepatiques et osseuses, pas de diabete", FRENCH),  # no accents
    ],
)
def test_the_language_of_a_text(text: str, language: str) -> None:
    assert detect(text).language == language


def test_short_lines_take_the_language_of_their_text() -> None:
    text = "Patiente de 70 ans, cancer du sein.\nPNN 2,1 G/L, Plt 200 G/L\nPas de diabète."
    lines = detect(text).lines
    assert [line.language for line in lines] == [FRENCH, FRENCH, FRENCH]
    assert lines[1].decided_by == "text"
