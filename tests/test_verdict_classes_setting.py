"""Disease setting, stage, lines of therapy and treatment-naive: the classes the generated audit
(`benchmarks/audit_setting.py`, wordings composed there, never read off a benchmark file) found read
against its semantics, each on wordings written for this test (English and French), strict reading, and
run through the vectorised evaluator and the fast ranking path (`same_everywhere`):

1. a setting after "non" ("non-metastatic") is negated;
2. early / localised disease is a setting of its own (not left to the cancer alone);
3. a ranked line ("second-line", "third-line or later", "after first-line ...") counts the lines before it;
4. naive of one class ("chemotherapy-naive", "no prior chemotherapy") forbids that class only;
5. "untreated for <setting>", French "aucun traitement ... pour la maladie métastatique": naive in that setting;
6. counts of lines as ranges ("one or two", "1 à 2", "une à trois") and "plus de deux";
7. adjuvant therapy counted as a line when the relapse came within N months of its end;
8. surgery and radiotherapy are no systemic line, and a recorded "no prior systemic therapy" is 0 lines.
"""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Criterion, Fact, Outcome, PatientProfile
from oncofed.ingest.patients.notes.french import extract
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.facts import PatientView
from tests.verdict_cases import (
    DAY,
    SRC,
    parse,
    profile,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def course(drug: str, klass: str, setting: str, line: int | None = None, end: str | None = None) -> Fact:
    attrs: dict[str, object] = {"class": klass, "setting": setting}
    if line is not None:
        attrs["line"] = line
    if end:
        attrs["end"] = end
    return Fact("treatment", drug, provenance=SRC, attributes=attrs)


METASTATIC = Fact("disease_status", "metastatic", provenance=SRC)
NONE_GIVEN = Fact(
    "treatment", "systemic therapy", negated=True, provenance=SRC, attributes={"class": "systemic therapy"}
)


def met(*facts: Fact, name: str) -> PatientProfile:
    return profile(METASTATIC, *facts, name=name, stage="IV")


UNTREATED_MET = met(NONE_GIVEN, name="untreated")
ONE_LINE_ENDOCRINE = met(course("letrozole", "aromatase inhibitor", "metastatic", 1), name="l1")
TWO_LINES = met(
    course("paclitaxel", "taxane", "metastatic", 1),
    course("capecitabine", "antimetabolite", "metastatic", 2),
    name="l2",
)
THREE_LINES = met(
    course("paclitaxel", "taxane", "metastatic", 1),
    course("capecitabine", "antimetabolite", "metastatic", 2),
    course("eribulin", "chemotherapy", "metastatic", 3),
    name="l3",
)
EARLY_ADJUVANT = profile(
    Fact("metastasis", None, negated=True, provenance=SRC),
    course("docetaxel", "taxane", "adjuvant", end="2026-06-01"),
    name="early",
    stage="IIA",
)
LOCALLY_ADVANCED = profile(
    Fact("disease_status", "locally_advanced", provenance=SRC), NONE_GIVEN, name="la", stage="IIIB"
)
STAGE_IIIA = profile(NONE_GIVEN, name="iiia", stage="IIIA")


def outcome(c: Criterion, p: PatientProfile) -> Outcome:
    return evaluate_criteria([c], p, DAY)[0].outcome


def check(line: str, expected: dict[str, Outcome], patients: list[PatientProfile]) -> None:
    [c] = parse(f"- {line}")
    by_id = {p.id: p for p in patients}
    got = {pid: outcome(c, by_id[pid]) for pid in expected}
    assert got == expected, (line, c.atoms)
    same_everywhere([c], patients)


S, V, U = Outcome.SATISFIED, Outcome.VIOLATED, Outcome.UNKNOWN
ALL = [
    UNTREATED_MET,
    ONE_LINE_ENDOCRINE,
    TWO_LINES,
    THREE_LINES,
    EARLY_ADJUVANT,
    LOCALLY_ADVANCED,
    STAGE_IIIA,
]


# 1. "non-metastatic" --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Non-metastatic disease",
        "Nonmetastatic breast carcinoma",
        "Patients with non metastatic breast cancer",
        "Maladie non métastatique",
        "Carcinome mammaire non métastatique",
    ],
)
def test_a_setting_after_non_is_negated(line: str) -> None:
    check(line, {"untreated-2": V, "l2-3": V, "early-2": S}, ALL)


# 2. early / localised disease ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Early breast cancer",
        "Early-stage breast carcinoma",
        "Localized breast cancer",
        "Cancer du sein localisé",
        "Maladie localisée",
    ],
)
def test_early_disease_is_a_setting(line: str) -> None:
    check(line, {"untreated-2": V, "early-2": S, "la-2": V, "iiia-1": U}, ALL)


@pytest.mark.parametrize(
    "line",
    [
        "Early progression on prior therapy is not allowed",
        "Early tumour shrinkage",
        "Localized disease recurrence",
    ],
)
def test_an_early_event_is_no_setting(line: str) -> None:
    [c] = parse(f"- {line}")
    assert not [a for a in c.atoms if a.kind == "disease_setting" and a.code == "early"]


# 3. ranked lines -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Candidates for second-line therapy", {"untreated-2": V, "l1-2": S, "l2-3": V}),
        ("Candidates for third-line treatment", {"l1-2": V, "l2-3": S, "l3-4": V}),
        ("Third-line or later treatment", {"untreated-2": V, "l1-2": V, "l2-3": S, "l3-4": S}),
        ("Second-line or beyond", {"untreated-2": V, "l1-2": S, "l3-4": S}),
        ("Following first-line treatment for metastatic disease", {"untreated-2": V, "l1-2": S, "l2-3": S}),
        ("Patients en deuxième ligne", {"untreated-2": V, "l1-2": S, "l2-3": V}),
    ],
)
def test_a_ranked_line_counts_the_lines_before_it(line: str, expected: dict[str, Outcome]) -> None:
    check(line, expected, ALL)


@pytest.mark.parametrize(
    "line",
    [
        "Response to first- or second-line treatment",
        "Progression on first line or second line therapy",
        "Candidates for second- or third-line therapy",
        "Second or third line of treatment",
        "Prior first-line, second-line and/or third-line regimens",
    ],
)
def test_ranks_as_alternatives_count_nothing(line: str) -> None:
    [c] = parse(f"- {line}")
    assert not [a for a in c.atoms if a.kind == "prior_lines" and a.attributes.get("rank")], c.atoms


# 4. naive of one class ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Chemotherapy-naive",
        "Chemo-naive patients",
        "No prior chemotherapy",
        "Naïf de chimiothérapie",
        "chemotherapy naïve",
    ],
)
def test_naive_of_a_class_is_that_class_only(line: str) -> None:
    check(line, {"untreated-2": S, "l1-2": S, "l2-3": V, "early-2": V}, ALL)


# 5. untreated in a setting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Untreated for metastatic disease",
        "Untreated for advanced disease",
        "Untreated in the metastatic setting",
        "Pas de traitement systémique antérieur au stade métastatique",
        "Aucun traitement systémique antérieur pour la maladie métastatique",
    ],
)
def test_untreated_for_a_setting(line: str) -> None:
    check(line, {"untreated-2": S, "l1-2": V, "l3-4": V, "early-2": S}, ALL)


# 6. counts of lines as ranges ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("One or two prior lines of systemic therapy", {"untreated-2": V, "l1-2": S, "l2-3": S, "l3-4": V}),
        ("1 or 2 prior lines for advanced disease", {"untreated-2": V, "l1-2": S, "l2-3": S, "l3-4": V}),
        ("1 à 2 lignes antérieures", {"untreated-2": V, "l1-2": S, "l2-3": S, "l3-4": V}),
        ("Une à trois lignes de traitement antérieures", {"untreated-2": V, "l1-2": S, "l3-4": S}),
        ("Plus de deux lignes antérieures au stade métastatique", {"l1-2": V, "l2-3": V, "l3-4": S}),
        ("Au maximum 2 lignes de traitement antérieures au stade métastatique", {"early-2": S, "l3-4": V}),
    ],
)
def test_counts_of_lines_as_ranges(line: str, expected: dict[str, Outcome]) -> None:
    check(line, expected, ALL)


def test_french_stage_range() -> None:
    check("Stade IIA à IIIB", {"early-2": S, "la-2": S, "untreated-2": V}, ALL)


# 7. adjuvant therapy counted as a line --------------------------------------------------------------------------

RELAPSE = date(2026, 7, 1)


def relapsed(adjuvant_end: str | None, name: str) -> PatientProfile:
    return met(
        Fact("disease_status", "recurrent", when=RELAPSE, provenance=SRC),
        course("epirubicin", "anthracycline", "adjuvant", end=adjuvant_end),
        name=name,
    )


FAST = relapsed("2026-03-01", "fast")  # 4 months
SLOW = relapsed("2023-03-01", "slow")  # 40 months
UNDATED = relapsed(None, "undated")
ADJUVANT = [FAST, SLOW, UNDATED, UNTREATED_MET, ONE_LINE_ENDOCRINE]


@pytest.mark.parametrize(
    "line",
    [
        "At least one prior line of therapy for advanced disease (adjuvant therapy counts as a line if relapse "
        "occurred within 12 months of its completion)",
        "At least 1 prior line for metastatic disease; relapse within 6 months of adjuvant chemotherapy counts as "
        "one line",
        "One or more prior lines of systemic therapy (neoadjuvant or adjuvant therapy counted as a line when "
        "recurrence occurs within 6 months)",
        "Au moins une ligne antérieure (un traitement adjuvant compte comme une ligne en cas de rechute dans les "
        "12 mois)",
        "At least one prior regimen for advanced disease. Adjuvant chemotherapy counts as a prior line if the "
        "disease recurred within twelve months",
    ],
)
def test_adjuvant_counted_as_a_line_on_an_early_relapse(line: str) -> None:
    check(line, {"fast-3": S, "slow-3": V, "undated-3": U, "untreated-2": V, "l1-2": S}, ADJUVANT)


# 8. local treatments and a recorded absence of systemic therapy -------------------------------------------------


def test_surgery_is_no_systemic_line_and_none_recorded_is_zero() -> None:
    operated = met(course("mastectomy", "surgery", ""), NONE_GIVEN, name="operated")
    view = PatientView.of(operated)
    assert view.prior_lines()[0] == 0
    for line in ("Treatment-naive", "No prior systemic therapy", "Previously untreated"):
        check(line, {"operated-3": S, "l1-2": V}, [operated, ONE_LINE_ENDOCRINE])


@pytest.mark.parametrize(
    "note",
    [
        "Stage IV breast cancer with bone metastases. No prior systemic therapy.",
        "Cancer du sein métastatique d'emblée. Aucun traitement systémique antérieur.",
        "Metastatic breast cancer, operated in 2022 (mastectomy). No prior systemic therapy.",
    ],
)
def test_notes_no_prior_systemic_therapy_is_zero_lines(note: str) -> None:
    assert PatientView.of(extract(note, "n", "test")).prior_lines()[0] == 0


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("Stage IV breast cancer. She is treatment-naive.", "systemic therapy"),
        ("Metastatic NSCLC, therapy-naive, referred for first-line treatment.", "systemic therapy"),
        ("Cancer du sein de stade IV. Patiente naïve de tout traitement.", "systemic therapy"),
        ("Chemo-naive; letrozole since 2024 for metastatic disease.", "chemotherapy"),
        ("Metastatic prostate cancer, chemotherapy-naive, on enzalutamide.", "chemotherapy"),
    ],
)
def test_notes_naive_is_a_recorded_absence(note: str, code: str) -> None:
    profile_ = extract(note, "n", "test")
    assert [f.code for f in profile_.facts if f.kind == "treatment" and f.negated] == [code]


def test_notes_naive_in_a_trial_scope_or_denied_is_no_absence() -> None:
    for note in ("Metastatic breast cancer, not treatment-naive: letrozole in 2024.",):
        profile_ = extract(note, "n", "test")
        assert not [f for f in profile_.facts if f.kind == "treatment" and f.code == "systemic therapy"]
