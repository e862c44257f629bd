"""verdicts36: classes of verdicts-blind12's readable folds, each tested on wordings written for it, with near-misses.

1. A washout under the inclusions ("at least 4 weeks since prior chemotherapy") reads "no X within N days"
   whatever else the line negates: "more than 7 days since prior and no concurrent chemotherapy" was negated twice
   (the line's "no", then the washout's toggle) into "received chemotherapy", failing every patient who never had
   it; "a minimum of 28 days since", "no less than 2 weeks from the last" were not read as washouts at all
   (criteria/washout.py).
2. A receptor given with a status and its opposite ("ER/PR positive or negative allowed") states no requirement on
   it (criteria/receptor_combinations.py `either_status`).
3. A drug named by its effect ("another drug known to cause neuropathy (A or B or C)") names drugs, not the
   patient's condition; the list after the phrase says which drugs (alternatives, current when the line says so)
   and replaces the class it qualifies (criteria/drug_effects.py).
4. A therapy to come ("letrozole to follow chemotherapy", "tamoxifen will start after radiotherapy") is a plan, and
   so is what it comes after (planned or ongoing: the note does not say): neither is received (notes/scopes.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Fact, Outcome
from oncofed.ingest.patients.notes import extract
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import DAY, SRC, parse, profile, read_line, same_everywhere

# --- 1. washouts under the inclusions -------------------------------------------------------------------

NEVER = profile(
    Fact("treatment", "chemotherapy", negated=True, provenance=SRC, attributes={"class": "chemotherapy"}),
    name="never",
)
LONG_AGO = profile(
    Fact("treatment", "paclitaxel", provenance=SRC, attributes={"class": "taxane", "end": "2025-03-03"}),
    name="long-ago",
)
LAST_WEEK = profile(
    Fact(
        "treatment",
        "paclitaxel",
        when=date(2026, 10, 28),
        provenance=SRC,
        attributes={"class": "taxane", "start": "2026-06-01", "end": "2026-10-28"},
    ),
    name="last-week",
)

WASHOUTS = [
    "More than 7 days since prior and no concurrent chemotherapy",
    "No concurrent chemotherapy and at least 14 days since prior chemotherapy",
    "Must not have received chemotherapy for at least 14 days since the last dose",
    "A minimum of 21 days since the last chemotherapy",
    "No less than 2 weeks from the last dose of chemotherapy; none concurrent",
    "At least 3 weeks since the last dose of chemotherapy and no concurrent chemotherapy",
    "Chemotherapy: 14 days or more since prior",
]


@pytest.mark.parametrize("line", WASHOUTS)
def test_a_washout_is_met_by_a_patient_who_never_had_the_therapy(line: str) -> None:
    assert read_line("Inclusion", line, NEVER) == "eligible", line
    assert read_line("Inclusion", line, LONG_AGO) == "eligible", line
    # a course ended 4 days ago: excluded, or unknown where the line reads "concurrent" as "ongoing now?" (the
    # record does not say whether the course goes on)
    assert read_line("Inclusion", line, LAST_WEEK) != "eligible", line
    same_everywhere(parse(line), [NEVER, LONG_AGO, LAST_WEEK])


@pytest.mark.parametrize(
    ("line", "never", "long_ago"),
    [  # near-misses: a therapy required, a count, an exclusion's window
        ("Prior chemotherapy is required", "excluded", "eligible"),
        ("A minimum of 2 prior lines of chemotherapy", "excluded", "unknown"),
        ("At least 6 months from diagnosis", "unknown", "unknown"),
    ],
)
def test_near_misses_a_therapy_required_stays_required(line: str, never: str, long_ago: str) -> None:
    assert read_line("Inclusion", line, NEVER) == never, line
    assert read_line("Inclusion", line, LONG_AGO) == long_ago, line


@pytest.mark.parametrize(
    "line", ["Less than 14 days since prior chemotherapy", "Chemotherapy within 14 days before inclusion"]
)
def test_near_misses_an_exclusion_window_is_the_receipt(line: str) -> None:
    assert read_line("Exclusion", line, NEVER) == "eligible", line
    assert read_line("Exclusion", line, LONG_AGO) == "eligible", line
    assert read_line("Exclusion", line, LAST_WEEK) == "excluded", line


# --- 2. a receptor status given with its opposite -------------------------------------------------------


def receptors(er: str, pr: str, her2: str, name: str) -> object:
    return profile(
        *(
            Fact("biomarker", gene, value, provenance=SRC, attributes={"alteration": "status"})
            for gene, value in (("ER", er), ("PR", pr), ("HER2", her2))
        ),
        name=name,
    )


ER_NEG = receptors("negative", "negative", "positive", "er-neg")
ER_POS = receptors("positive", "positive", "negative", "er-pos")

EITHER = [
    "Estrogen/progesterone receptor positive OR negative disease allowed.",
    "Hormone receptor status: positive or negative",
    "Tumours may be hormone receptor positive or negative",
    "HER2-positive or negative breast cancer (ER and PR: negative or positive)",
    "Breast cancer, hormone receptor (ER and/or PR) negative or positive",
    "ER/PR +/- allowed",
    "Oestrogen receptor positive/negative",
]


@pytest.mark.parametrize("line", EITHER)
def test_a_status_with_its_opposite_is_no_requirement(line: str) -> None:
    codes = {a.code for c in parse(line) for a in c.atoms if a.kind == "biomarker"}
    assert not codes & {"ER", "PR"}, (line, codes)
    assert read_line("Inclusion", line, ER_NEG) != "excluded", line
    assert read_line("Inclusion", line, ER_POS) != "excluded", line


@pytest.mark.parametrize(
    ("line", "er_neg", "er_pos"),
    [  # near-misses: one status, two receptors each with one, the pair on another receptor
        ("ER positive, HER2 negative", "excluded", "eligible"),
        ("ER positive, PR positive or negative", "excluded", "eligible"),
        ("ER negative or PR negative", "eligible", "excluded"),
        ("Hormone receptor positive disease", "excluded", "eligible"),
        ("ER-negative breast cancer, HER2 positive or negative", "eligible", "excluded"),
    ],
)
def test_near_misses_a_single_status_is_still_required(line: str, er_neg: str, er_pos: str) -> None:
    assert read_line("Inclusion", line, ER_NEG) == er_neg, line
    assert read_line("Inclusion", line, ER_POS) == er_pos, line


# --- 3. a drug named by its effect ----------------------------------------------------------------------


def pancreas(*facts: Fact, name: str) -> object:
    return profile(*facts, name=name, cancer="PAAD")


NEUROPATHY = pancreas(Fact("comorbidity", "peripheral_neuropathy", provenance=SRC), name="neuropathy")
ON_GEMCITABINE = pancreas(
    Fact("treatment", "gemcitabine", provenance=SRC, attributes={"class": "antimetabolite", "current": True}),
    name="gemcitabine",
)
ON_OXALIPLATIN = pancreas(
    Fact("treatment", "oxaliplatin", provenance=SRC, attributes={"class": "platinum", "current": True}),
    name="oxaliplatin",
)

EFFECT_LISTS = [
    "Concurrent chemotherapy with another drug known to cause neuropathy (cisplatin or carboplatin or oxaliplatin)",
    "Concomitant treatment with any other agent that is known to induce neuropathy (e.g. cisplatin, oxaliplatin)",
    "Ongoing therapy with drugs associated with a risk of neuropathy (oxaliplatin, cisplatin)",
    "Concomitant use of neurotoxic agents causing neuropathy, such as oxaliplatin",
    "Concurrent chemotherapy using other medications which may cause peripheral neuropathy (CDDP, CBDCA, L-OHP)",
]


@pytest.mark.parametrize("line", EFFECT_LISTS)
def test_a_drug_named_by_its_effect_is_the_drugs_listed(line: str) -> None:
    kinds = {a.kind for c in parse("Pancreatic cancer", line) for a in c.atoms}
    assert "comorbidity" not in kinds, (line, kinds)
    assert read_line("Exclusion", line, NEUROPATHY) != "excluded", line  # the patient's neuropathy is no drug
    assert read_line("Exclusion", line, ON_GEMCITABINE) == "eligible", line  # not a drug the line lists
    assert read_line("Exclusion", line, ON_OXALIPLATIN) == "excluded", line
    same_everywhere(parse("Pancreatic cancer", line), [NEUROPATHY, ON_GEMCITABINE, ON_OXALIPLATIN])


@pytest.mark.parametrize(
    "line",
    [
        "Current use of drugs known to cause peripheral neuropathy",
        "Patients receiving medications that may cause hepatotoxicity",
        "Concomitant medications with a known risk of neuropathy",
    ],
)
def test_an_effect_without_a_list_is_no_condition_of_the_patient(line: str) -> None:
    assert read_line("Exclusion", line, NEUROPATHY) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [  # near-misses: the condition is the patient's
        "Pre-existing peripheral neuropathy",
        "Peripheral neuropathy, including neuropathy caused by prior chemotherapy",
        "Prior therapy causing neuropathy of any grade",
        "Neuropathy known to be caused by oxaliplatin",
    ],
)
def test_near_misses_the_patients_own_condition_still_excludes(line: str) -> None:
    kinds = {a.kind for c in parse("Pancreatic cancer", line) for a in c.atoms}
    assert "comorbidity" in kinds, (line, kinds)


def test_near_miss_a_sentence_about_the_study_drug_keeps_its_population() -> None:
    # a finite verb ("the study drug causes") states a fact of the study, no class of drugs named by an effect
    line = "Whether the study drug causes side effects in women with breast cancer will be studied"
    kinds = {a.kind for c in parse(line) for a in (*c.atoms, *c.condition)}
    assert "cancer_type" in kinds, kinds


def test_near_miss_a_class_without_an_effect_keeps_every_drug() -> None:
    line = "Concurrent chemotherapy (e.g. gemcitabine, oxaliplatin)"
    assert read_line("Exclusion", line, ON_GEMCITABINE) == "excluded"
    assert read_line("Exclusion", line, ON_OXALIPLATIN) == "excluded"


# --- 4. a therapy to come is not received (the notes reader) ---------------------------------------------


def treatments(text: str) -> dict[str, bool]:
    """The treatments a note records as received (code -> negated); mentions in a plan are not among them."""
    return {str(f.code): f.negated for f in extract(text, "n", "note").facts if f.kind == "treatment"}


TO_COME = {  # a note: (the therapy to come, the therapy it comes after)
    "Letrozole to follow chemotherapy.": ("letrozole", "chemotherapy"),
    "Tamoxifen will start after radiotherapy.": ("tamoxifen", "radiotherapy"),
    "Anastrozole is to begin once radiotherapy is completed.": ("anastrozole", "radiotherapy"),
    "Capecitabine to be given after surgery, as discussed.": ("capecitabine", "surgery"),
    "Exemestane will follow, at the end of the chemotherapy.": ("exemestane", "chemotherapy"),
    "Letrozole not started yet (to follow chemotherapy).": (None, "chemotherapy"),
}


@pytest.mark.parametrize("text", TO_COME)
def test_a_therapy_to_come_and_what_it_follows_are_not_received(text: str) -> None:
    got = treatments(f"Early breast cancer, pT1c N0. {text}")
    for drug in TO_COME[text]:
        if drug is not None:
            assert got.get(drug, True), (text, got)  # absent, or recorded as not received
    assert not any(not negated for negated in got.values()), (text, got)


@pytest.mark.parametrize(
    ("text", "received"),
    [  # near-misses: a sequence given, a follow-up visit, a therapy started before the cue's comma
        ("AC x4 followed by weekly paclitaxel, completed 2024.", "paclitaxel"),
        ("On letrozole since 2023; to follow up in 3 months.", "letrozole"),
        ("Paclitaxel started 02/2026, to follow surgery.", "paclitaxel"),
        ("Paclitaxel received in 2024. Letrozole will follow.", "paclitaxel"),
    ],
)
def test_near_misses_a_therapy_given_is_still_received(text: str, received: str) -> None:
    got = treatments(f"Early breast cancer, pT1c N0. {text}")
    assert got.get(received) is False, (text, got)


def test_a_chemotherapy_to_come_fails_no_prior_chemotherapy_no_longer() -> None:
    note = "Early breast cancer. No chemotherapy in the past; letrozole not started yet (to follow chemotherapy)."
    criteria = parse_eligibility("Inclusion criteria:\n- No prior or concurrent chemotherapy").criteria
    p = extract(note, "n", "note")
    with trust.strict():
        outcomes = {o.outcome for o in evaluate_criteria(criteria, p, DAY)}
    assert outcomes == {Outcome.SATISFIED}


@pytest.mark.parametrize(
    "text",
    [
        "Létrozole à suivre après la chimiothérapie.",
        "Le tamoxifène débutera après la radiothérapie.",
        "Hormonothérapie par létrozole à débuter à l'issue de la radiothérapie.",
    ],
)
def test_a_therapy_to_come_in_french(text: str) -> None:
    got = treatments(f"Cancer du sein pT1c N0. {text}")
    assert not any(not negated for negated in got.values()), (text, got)


def test_near_misses_in_french_a_therapy_given_or_a_nodule_to_watch() -> None:
    assert (
        treatments("Cancer du sein. Nodule pulmonaire à suivre. Létrozole depuis 2023.").get("letrozole")
        is False
    )
    assert (
        treatments("Cancer du sein. Paclitaxel terminé en 2024; une hormonothérapie suivra.").get(
            "paclitaxel"
        )
        is False
    )


# --- 5. a local therapy qualified by its target ----------------------------------------------------------


def local(code: str, klass: str, name: str, **attrs: str) -> object:
    return profile(
        Fact("treatment", code, provenance=SRC, attributes={"class": klass, "end": "2024-06-30", **attrs}),
        Fact("metastasis", "lung", provenance=SRC),
        name=name,
        cancer="CCRCC",
    )


NEPHRECTOMY = local("nephrectomy", "surgery", "nephrectomy")
CRANIOTOMY = local("craniotomy", "surgery", "craniotomy")
SOME_SURGERY = local("surgery", "surgery", "surgery")
BREAST_RT = local("radiotherapy", "radiotherapy", "breast-rt", site="breast")
BRAIN_RT = local("radiotherapy", "radiotherapy", "brain-rt", site="brain")

TARGETED = {  # the line, its section, the therapy records: (on the target, on another organ, with no site)
    "No prior resection of cerebral metastases": ("Inclusion", CRANIOTOMY, NEPHRECTOMY, SOME_SURGERY),
    "No prior surgery for brain metastases": ("Inclusion", CRANIOTOMY, NEPHRECTOMY, SOME_SURGERY),
    "No previous surgery on known brain metastases": ("Inclusion", CRANIOTOMY, NEPHRECTOMY, SOME_SURGERY),
    "Prior surgical resection of brain metastases": ("Exclusion", CRANIOTOMY, NEPHRECTOMY, SOME_SURGERY),
    "Previous radiotherapy to brain metastases": ("Exclusion", BRAIN_RT, BREAST_RT, None),
    "Prior radiation therapy for brain metastases is not allowed": ("Inclusion", BRAIN_RT, BREAST_RT, None),
}


@pytest.mark.parametrize("line", TARGETED)
def test_a_local_therapy_counts_only_on_its_target(line: str) -> None:
    section, on, off, unsited = TARGETED[line]
    assert read_line(section, line, on) == "excluded", line
    assert read_line(section, line, off) == "eligible", line  # another organ's surgery is not it
    if unsited is not None:
        assert read_line(section, line, unsited) == "unknown", line  # a surgery of no stated site: to check
    same_everywhere(parse("Renal cell carcinoma", line), [p for p in (on, off, unsited) if p is not None])


@pytest.mark.parametrize(
    ("section", "line"),
    [  # near-misses: a therapy with no target counts whatever its site
        ("Inclusion", "No prior surgery"),
        ("Exclusion", "Prior surgery of any kind"),
        ("Exclusion", "Prior radiotherapy"),
    ],
)
def test_near_misses_a_therapy_without_a_target_counts_anywhere(section: str, line: str) -> None:
    off = BREAST_RT if "radio" in line else NEPHRECTOMY
    assert read_line(section, line, off) == "excluded", line


def radiotherapy(site: str) -> object:
    attrs = {"class": "radiotherapy", "site": site, "end": "2025-03-31"}
    return profile(Fact("treatment", "radiotherapy", provenance=SRC, attributes=attrs), name=site)


@pytest.mark.parametrize(
    ("line", "on", "off"),
    [  # a site qualifier and a record naming the site in other words
        ("No prior cranial radiotherapy", "whole brain", "breast"),
        ("No previous cranial irradiation", "brain", "chest wall"),
        ("No prior cranial radiation therapy", "stereotactic radiosurgery", "pelvis"),
        ("No prior thoracic radiotherapy", "chest wall", "whole brain"),
        ("No prior pelvic radiotherapy", "pelvis", "whole brain"),
    ],
)
def test_a_site_qualifier_is_read_in_the_records_words(line: str, on: str, off: str) -> None:
    assert read_line("Inclusion", line, radiotherapy(on)) == "excluded", line
    assert read_line("Inclusion", line, radiotherapy(off)) == "eligible", line


def test_near_misses_a_partly_thoracic_site_and_a_type_of_radiotherapy() -> None:
    assert read_line("Inclusion", "No prior thoracic radiotherapy", radiotherapy("breast")) == "unknown"
    # "whole brain" is a kind of radiotherapy, not a site: a focal brain irradiation is not it (as before)
    assert read_line("Inclusion", "No prior whole brain radiotherapy", radiotherapy("brain")) == "eligible"


def test_the_target_sentences_are_said_in_french() -> None:
    from oncofed.presenters.engine_text import say

    assert say("fr", "whether the surgery was on the brain metastases") == (
        "chirurgie\u00a0: sur les métastases cérébrales ou non\u202f?"
    )
    off = say("fr", "not on the brain metastases: received nephrectomy (surgery), last given 2022-06-30")
    assert off.startswith("pas sur les métastases cérébrales\u00a0: a reçu nephrectomy (chirurgie)"), off
