"""A list under a qualifying head (verdicts30, criteria/list_heads.py), on wordings written for it: the items
of "uncontrolled intercurrent illness including ...", "clinically significant ... such as ...", "active or
uncontrolled conditions, e.g. ..." carry the head's qualifier, inline or on item lines under a head line
ending with ":"; a patient whose condition is recorded controlled is not excluded by an item, one recorded
uncontrolled is, one with no status is unknown. An item's own qualifier or time window stands, and a plain
list with no qualifying head is read as before."""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Atom, Fact, PatientProfile
from tests.verdict_cases import SRC, profile, read_line, same_everywhere
from tests.verdict_cases_fr import read_french


def exclusion_atoms(text: str) -> list[Atom]:
    criteria = parse_eligibility(
        f"Inclusion criteria:\n- Breast cancer\nExclusion criteria:\n{text}\n"
    ).criteria
    return [a for c in criteria if c.section.value == "exclusion" for a in c.atoms]


def qualifiers(text: str) -> dict[str, object]:
    return {
        str(a.code): a.attributes.get("qualifier") for a in exclusion_atoms(text) if a.kind == "comorbidity"
    }


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("- Uncontrolled intercurrent illness including diabetes mellitus or hypertension", "uncontrolled"),
        ("- Active comorbid conditions such as diabetes mellitus, hypertension", "active"),
        ("- Unstable concurrent medical conditions, e.g. diabetes or hypertension", "unstable"),
        (
            "- Poorly controlled chronic disease (for example: diabetes mellitus, arterial hypertension)",
            "poorly controlled",
        ),
        ("- Decompensated comorbidity, in particular diabetes mellitus and hypertension", "decompensated"),
        (
            "- The patient has an uncontrolled concurrent illness, including but not limited to:\n"
            "- diabetes mellitus\n- hypertension",
            "uncontrolled",
        ),
        (
            "The patient has not well controlled disease of any of the following kinds:\n\n"
            "diabetes mellitus\n\nhypertension\n\nThe patient is pregnant.",
            "not well controlled",
        ),
    ],
)
def test_the_items_carry_the_head_s_qualifier(text: str, qualifier: str) -> None:
    found = qualifiers(text)
    assert set(found) == {"diabetes", "hypertension"}, text
    assert all(q == qualifier for q in found.values()), (text, found)


def test_the_list_ends_with_the_next_criterion() -> None:
    text = (
        "The patient has uncontrolled intercurrent illness including:\n\ndiabetes mellitus\n\n"
        "The patient has a history of hypertension treated with two drugs."
    )
    assert qualifiers(text) == {"diabetes": "uncontrolled", "hypertension": None}


@pytest.mark.parametrize(
    "text",
    [
        "- Diabetes mellitus or hypertension",
        "- History of diabetes mellitus; uncontrolled hypertension",  # the qualifier is the second item's own
        "- Any of the following: diabetes mellitus, hypertension",  # a list head with no qualifier
    ],
)
def test_no_qualifying_head_no_qualifier(text: str) -> None:
    assert qualifiers(text).get("diabetes") is None, text


def test_a_degree_names_its_examples_as_instances() -> None:
    # "clinically significant immunodeficiency, such as HIV infection": HIV is given as one (the examples
    # of a degree are read as before: tests/test_verdict_classes_fourth.py)
    found = qualifiers("- Clinically significant cardiac disease, e.g. heart failure or atrial fibrillation")
    assert "uncontrolled" not in found.values() and "active" not in found.values()


def test_an_item_s_own_qualifier_and_time_window_stand() -> None:
    found = {
        str(a.code): (a.attributes.get("qualifier"), a.window_days)
        for a in exclusion_atoms(
            "- Uncontrolled intercurrent illness including symptomatic heart failure or myocardial infarction "
            "within 6 months"
        )
        if a.kind == "comorbidity"
    }
    assert found["heart_failure"][0] == "symptomatic"
    assert found["myocardial_infarction"][0] != "uncontrolled"  # an event with its own time window


def _diabetic(controlled: bool | None) -> PatientProfile:
    attrs = {} if controlled is None else {"controlled": controlled}
    no_hypertension = Fact("comorbidity", "hypertension", negated=True, provenance=SRC)
    diabetes = Fact("comorbidity", "diabetes", provenance=SRC, attributes=attrs)
    return profile(diabetes, no_hypertension, name=f"d{controlled}")


@pytest.mark.parametrize(
    "line",
    [
        "Uncontrolled intercurrent illness including, but not limited to, diabetes mellitus",
        "Inadequately controlled illness, for instance diabetes",
        "Active or uncontrolled medical conditions, e.g. type 2 diabetes",
    ],
)
def test_a_controlled_diabetes_is_not_excluded(line: str) -> None:
    assert read_line("Exclusion", line, _diabetic(True)) == "eligible", line
    assert read_line("Exclusion", line, _diabetic(None)) == "unknown", line
    assert read_line("Exclusion", line, _diabetic(False)) == "excluded", line


def test_the_paths_agree() -> None:
    criteria = parse_eligibility(
        "Exclusion criteria:\nThe subject has uncontrolled intercurrent illness including:\n\ndiabetes mellitus\n\nhypertension\n"
    ).criteria
    same_everywhere(criteria, [_diabetic(True), _diabetic(None), _diabetic(False)])


@pytest.mark.parametrize(
    "line",
    [
        "Uncontrolled intercurrent illness including type 2 diabetes and hypertension",
        "Poorly controlled chronic conditions, e.g. hypertension, diabetes",
        "Active or uncontrolled comorbidity such as heart failure, diabetes mellitus and hypertension",
    ],
)
def test_the_examples_are_alternatives(line: str) -> None:
    # "including diabetes and hypertension" does not ask for both: an uncontrolled diabetes alone excludes
    assert read_line("Exclusion", line, _diabetic(False)) == "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Maladie intercurrente non contrôlée, notamment diabète ou hypertension artérielle",
        "Pathologie chronique mal contrôlée telle que hypertension artérielle, diabète",
        "Maladie intercurrente non contrôlée, par exemple diabète",
    ],
)
def test_french_heads(line: str) -> None:
    assert read_french("Exclusion", line, _diabetic(True)) == "eligible", line
    assert read_french("Exclusion", line, _diabetic(False)) == "excluded", line
