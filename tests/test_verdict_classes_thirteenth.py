"""Thirteenth pass of verdict classes (session 9): criteria lines the engine read nothing from, or half of,
each class on wordings written for it (not copied from any verdict set), also run through the vectorised
evaluator and the fast ranking path:

1. receptors named with their abbreviation in parentheses ("Estrogen receptor (ER) positive"), with their
   status in one word ("ER positive", "ER+"), coordinated and sharing one status ("Oestrogen receptor (ER)
   and progesterone receptor (PR) negative", "ER, PR and HER2 negative", "positive for ER and/or PR"), and
   the wordings that were already right (the table below: full name, abbreviation, British and American
   spelling, "-positive", "+", "status: positive", "hormone receptor", French "RE+ RP-", "RH+"); percentages
   in parentheses after a hormone receptor status ("HR-positive (ER and/or PR >= 1 %)") define the status;
2. a criterion ending with "at inclusion" / "prior to inclusion" / "at the time of inclusion" is a
   criterion, not an "Inclusion" section header (the line read as a header gave "no criteria found");
3. a ConText modifier inside parentheses ("(if known)", "(if available)") reaches nothing after the
   closing parenthesis."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, Fact, Outcome, PatientProfile
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import (
    DAY,
    SRC,
    parse,
    profile,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def patient(*facts: Fact, name: str = "p") -> PatientProfile:
    return profile(*facts, name=name, born=date(1970, 5, 1))


def status(code: str, value: str) -> Fact:
    return Fact("biomarker", code, value, provenance=SRC)


def statuses(c: Criterion) -> set[tuple[str, str]]:
    return {(str(a.code), str(a.value)) for a in c.atoms if a.kind == "biomarker" and a.operator == "=="}


def outcome(c: Criterion, p: PatientProfile) -> Outcome:
    return evaluate_criteria([c], p, DAY)[0].outcome


POS, NEG = "positive", "negative"

# 1. receptors: the wordings table --------------------------------------------------------------------------

# (line, statuses read); the first rows were read wrong or not at all before this pass, the others were
# right and must stay so
RECEPTOR_WORDINGS = [
    ("Estrogen receptor (ER) positive", {("ER", POS)}),
    ("Oestrogen receptor (ER)-positive tumour", {("ER", POS)}),
    ("Tumour ER positive on the most recent biopsy", {("ER", POS)}),
    ("ER-positive disease", {("ER", POS)}),
    ("Documented ER status: positive", {("ER", POS)}),
    ("HER2 status: negative on the primary tumour", {("HER2", NEG)}),
    ("Oestrogen receptor (ER) and progesterone receptor (PR) negative", {("ER", NEG), ("PR", NEG)}),
    ("Estrogen receptor and progesterone receptor negative tumour", {("ER", NEG), ("PR", NEG)}),
    ("Oestrogen and progesterone receptor negative disease", {("ER", NEG), ("PR", NEG)}),
    ("Tumour ER, PR and HER2 negative", {("ER", NEG), ("PR", NEG), ("HER2", NEG)}),
    ("ER, PgR and HER2 negative invasive carcinoma", {("ER", NEG), ("PR", NEG), ("HER2", NEG)}),
    ("Tumour positive for ER and/or PR", {("ER", POS), ("PR", POS)}),
    ("Positive for estrogen receptor by immunohistochemistry", {("ER", POS)}),
    ("Tumour must be ER+ and/or PgR+", {("ER", POS), ("PR", POS)}),
    ("ER-positive, HER2-negative breast cancer", {("ER", POS), ("HER2", NEG)}),
    ("ER+/HER2- breast cancer", {("ER", POS), ("HER2", NEG)}),
    ("ER+ PR- HER2- tumour", {("ER", POS), ("PR", NEG), ("HER2", NEG)}),
    ("Cancer du sein RE+ RP- HER2-", {("ER", POS), ("PR", NEG), ("HER2", NEG)}),
    # already right before this pass
    ("ER and/or PR positive", {("ER", POS), ("PR", POS)}),
    ("Estrogen receptor positive", {("ER", POS)}),
    ("Oestrogen receptor positive breast cancer", {("ER", POS)}),
    ("ER negative, PR negative and HER2 negative", {("ER", NEG), ("PR", NEG), ("HER2", NEG)}),
    ("Human epidermal growth factor receptor 2 (HER2) negative", {("HER2", NEG)}),
    ("HR+/HER2- advanced breast cancer", {("ER", POS), ("PR", POS), ("HER2", NEG)}),
    ("Hormone receptor (HR) positive disease", {("ER", POS), ("PR", POS)}),
    ("hormone receptor-positive tumour", {("ER", POS), ("PR", POS)}),
    ("Cancer du sein RH+ HER2-", {("ER", POS), ("PR", POS), ("HER2", NEG)}),
    ("Tumeur avec récepteurs hormonaux positifs", {("ER", POS), ("PR", POS)}),
    ("Triple negative breast cancer", {("ER", NEG), ("PR", NEG), ("HER2", NEG)}),
]


@pytest.mark.parametrize(("text", "expected"), RECEPTOR_WORDINGS)
def test_receptor_wordings_read_every_receptor_and_its_status(
    text: str, expected: set[tuple[str, str]]
) -> None:
    (c,) = parse(text)
    assert statuses(c) == expected


HR_POSITIVE = patient(status("ER", POS), status("PR", POS), status("HER2", NEG), name="luminal")
ER_NEGATIVE = patient(status("ER", NEG), status("PR", NEG), status("HER2", NEG), name="tnbc")


@pytest.mark.parametrize(
    "text",
    [
        "Estrogen receptor (ER) positive",
        "Tumour ER positive on the most recent biopsy",
        "Documented ER status: positive",
        "Positive for estrogen receptor by immunohistochemistry",
        "Tumour positive for ER and/or PR",
    ],
)
def test_a_receptor_required_positive_excludes_a_negative_tumour(text: str) -> None:
    (c,) = parse(text)
    assert outcome(c, HR_POSITIVE) is Outcome.SATISFIED
    assert outcome(c, ER_NEGATIVE) is Outcome.VIOLATED
    same_everywhere([c], [HR_POSITIVE, ER_NEGATIVE])


@pytest.mark.parametrize(
    "text",
    [
        "Oestrogen receptor (ER) and progesterone receptor (PR) negative",
        "Tumour ER, PR and HER2 negative",
        "Oestrogen and progesterone receptor negative disease",
        "Estrogen receptor and progesterone receptor negative tumour",
        "ER, PgR and HER2 negative invasive carcinoma",
        # the status word ("negative on ...") is no negation of the receptors it qualifies
        "ER, PR and HER2 negative on the local biopsy report",
    ],
)
def test_coordinated_receptors_share_the_status(text: str) -> None:
    (c,) = parse(text)
    assert outcome(c, ER_NEGATIVE) is Outcome.SATISFIED
    assert outcome(c, HR_POSITIVE) is Outcome.VIOLATED  # ER positive: not met, whatever PR says
    same_everywhere([c], [HR_POSITIVE, ER_NEGATIVE])


PR_ONLY = patient(status("ER", NEG), status("PR", POS), status("HER2", NEG), name="pr-only")


@pytest.mark.parametrize(
    "text",
    [
        "hormone receptor positive (ER and/or PR >= 1 %)",
        "HR-positive (ER and/or PR >= 1%), HER2-negative",
        "Hormone receptor-positive disease (ER >= 1% and/or PR >= 1%)",
        "HR positive breast cancer (ER or PR >= 10 %)",
        "Hormone receptor positive tumour (oestrogen and/or progesterone receptor >= 1 %)",
    ],
)
def test_percentages_in_parentheses_define_the_hormone_receptor_status(text: str) -> None:
    (c,) = parse(text)
    assert outcome(c, PR_ONLY) is Outcome.SATISFIED  # PR positive alone: hormone receptor positive
    assert outcome(c, HR_POSITIVE) is Outcome.SATISFIED
    assert outcome(c, ER_NEGATIVE) is Outcome.VIOLATED
    same_everywhere([c], [PR_ONLY, HR_POSITIVE, ER_NEGATIVE])


# 2. "at inclusion" ends a criterion, it heads no section -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ECOG performance status of 0 to 2 at inclusion", "ecog"),
        ("Histologically proven breast carcinoma at inclusion", "cancer_type"),
        ("Untreated brain metastases at the time of inclusion", "brain_metastases"),
        ("Platelets >= 100 G/L within 14 days prior to inclusion", "lab"),
        ("Haemoglobin >= 9 g/dL within 7 days of study inclusion", "lab"),
        ("Signed informed consent obtained before inclusion", "non_evaluable"),
    ],
)
def test_a_criterion_ending_at_inclusion_is_read(text: str, kind: str) -> None:
    result = parse_eligibility(f"Inclusion Criteria:\n\n- Age >= 18 years\n- {text}\n")
    assert result.warnings == []
    lines = [c for c in result.criteria if c.text.strip() == text]
    assert len(lines) == 1
    assert kind in {a.kind for a in lines[0].atoms}
    (alone,) = parse_eligibility(text).criteria  # on its own too: no "no criteria found"
    assert kind in {a.kind for a in alone.atoms}


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("Inclusion", "inclusion"),
        ("Key exclusion criteria", "exclusion"),
        ("Cohort B inclusion", "inclusion"),
        ("Criteria for inclusion", "inclusion"),
    ],
)
def test_section_headers_still_head_their_section(text: str, section: str) -> None:
    result = parse_eligibility(f"{text}\n\n- Age >= 18 years\n- ECOG 0 or 1 at inclusion\n")
    assert [c.section.value for c in result.criteria] == [section, section]


# 3. a modifier inside parentheses ends with them --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Breast carcinoma (HER2 status to be confirmed if known) and ER positive", "biomarker"),
        ("Previous trastuzumab (if given as adjuvant therapy) and HER2-positive disease", "biomarker"),
        ("Tumour sample (if available) and measurable disease per RECIST 1.1", "measurable_disease"),
        ("BRCA testing (when possible) and brain metastases treated", "brain_metastases"),
        ("Prior endocrine therapy (if indicated) and progesterone receptor negative", "biomarker"),
    ],
)
def test_a_conditional_in_parentheses_leaves_what_follows_it_stated(text: str, kind: str) -> None:
    (c,) = parse(text)
    close = text.index(")")
    after = [a for a in c.atoms if a.kind == kind and a.span and a.span[0] > close]
    assert after, text
    for a in after:
        assert not a.hypothetical, (text, a.attributes.get("context"))
    inside = [a for a in c.atoms if a.span and a.span[0] < close and a.kind == "disease_setting"]
    for a in inside:  # "(if given as adjuvant therapy)": the conditional still qualifies what it holds
        assert a.hypothetical


# an ER / PR staining intensity is no status --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ER, PR and HER2 negative", "ER"),
        ("Oestrogen receptor (ER) and progesterone receptor (PR) negative", "PR"),
        ("Estrogen receptor (ER) positive", "ER"),
        ("Tumour positive for ER and/or PR", "PR"),
        ("progesterone receptor negative", "PR"),
        ("Tumour ER and PR negative, defined as staining present in <= 10 % of the cells", "ER"),
    ],
)
def test_a_receptor_staining_intensity_leaves_its_status_to_check(text: str, code: str) -> None:
    (c,) = parse(text)
    others = [status(m, NEG) for m in ("ER", "PR", "HER2") if m != code]
    wanted = next(a.value for a in c.atoms if a.kind == "biomarker" and a.code == code)
    for score in ("1+", "2+", "3+"):  # weak staining of few cells (ER-low) or of most: not said
        p = patient(status(code, score), *others, name=f"{code}{score}")
        assert outcome(c, p) is Outcome.UNKNOWN, score
    unstained = patient(status(code, "0"), *others, name=f"{code}0")
    assert outcome(c, unstained) is (Outcome.SATISFIED if wanted == "negative" else Outcome.VIOLATED)
    same_everywhere([c], [unstained, patient(status(code, "1+"), *others)])


@pytest.mark.parametrize(
    "text",
    [
        "Negative for ER and PR",
        "Tumour negative for estrogen receptor",
        "Tumour negative for ER",
        "Cancer negative for both ER and PgR",
        "Biopsy negative for oestrogen receptor and progesterone receptor",
    ],
)
def test_negative_for_a_receptor_is_never_read_backwards(text: str) -> None:
    (c,) = parse(text)
    assert outcome(c, ER_NEGATIVE) is not Outcome.VIOLATED  # a triple-negative tumour is never excluded
    same_everywhere([c], [HR_POSITIVE, ER_NEGATIVE])
