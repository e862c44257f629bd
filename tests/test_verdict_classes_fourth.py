"""Issue 15, fourth pass: classes of error left on the verdict dev set (cohort alternatives written as
"or ... (cohort X)" lines, lesion counts, gene lists, negated diagnoses, polyps), each on small cases
written for the class (not copied from the dev set), also run through the vectorised evaluator."""

from __future__ import annotations

from datetime import date

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion, Outcome, PatientProfile, TrialVerdict
from oncofed.ingest.patients.notes import extract
from oncofed.matching.assess import assess_trial
from oncofed.matching.outcomes import OUTCOME_CODE, VERDICTS
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.matching.verdicts import note_day

DAY = date(2026, 12, 1)


def parse(inclusion: str, exclusion: str = "") -> list[Criterion]:
    text = f"Inclusion Criteria:\n\n{inclusion}\n"
    if exclusion:
        text += f"\nExclusion Criteria:\n\n{exclusion}\n"
    return parse_eligibility(text).criteria


def note(text: str) -> PatientProfile:
    return extract(text, "n", "note")


def assess(criteria: list[Criterion], p: PatientProfile):  # type: ignore[no-untyped-def]
    return assess_trial(criteria, p, note_day(p, DAY) or DAY)


def outcome(criteria: list[Criterion], p: PatientProfile, words: str) -> Outcome:
    return next(o.outcome for o in assess(criteria, p).outcomes if words in o.criterion.text)


def same_in_batch(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    batch = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(profiles, DAY))
    for j, p in enumerate(profiles):
        a = assess_trial(criteria, p, DAY)
        assert batch.verdicts[:, j].tolist() == [OUTCOME_CODE[o.outcome] for o in a.outcomes], p.facts
        assert int(batch.trial_verdict[j]) == VERDICTS.index(a.verdict)


BASKET = """Part 2 expansion: histologically confirmed

 pancreatic adenocarcinoma (cohort 1),

 or cholangiocarcinoma (cohort 2),

 or squamous cell carcinoma of the anal canal

 or cutaneous melanoma (cohort 4)

 ECOG 0-1

 For subjects in cohort 4: unresectable stage III or IV melanoma. Prior anti-PD-1 therapy is required for every subject of this cohort, whatever the line in which it was given. Brain metastases must have been treated with surgery or radiosurgery and be stable on imaging for at least four weeks before the first dose of the study treatment is given.

 For patients with cholangiocarcinoma (cohort 2):

 No prior gemcitabine"""


def test_or_lines_with_cohort_suffixes_are_alternatives() -> None:
    c = parse(BASKET)
    by_text = {x.text.strip()[:25]: x.cohort for x in c}
    anal = by_text["or squamous cell carcinom"]
    assert anal and "anal canal" in anal  # an unlabelled "or" line is one more alternative, not common
    assert by_text["ECOG 0-1"] is None  # the first unlabelled line after the run is common again
    melanoma = by_text["or cutaneous melanoma (co"]
    assert melanoma and melanoma.endswith("cohort 4")
    # "For subjects in cohort 4: ..." labels its line and the later sentences of the same item
    assert by_text["For subjects in cohort 4:"] == melanoma
    assert by_text["Prior anti-PD-1 therapy i"] == melanoma
    # "For patients with cholangiocarcinoma (cohort 2):" heads cohort 2's own lines
    cohort2 = by_text["or cholangiocarcinoma (co"]
    assert by_text["No prior gemcitabine"] == cohort2
    pancreas = note(
        "64 y/o M, metastatic pancreatic adenocarcinoma. ECOG 1. Prior gemcitabine/nab-paclitaxel."
    )
    anal_scc = note(
        "58 y/o F, metastatic squamous cell carcinoma of the anal canal. ECOG 0. No prior immunotherapy."
    )
    gastric = note("70 y/o M, metastatic gastric adenocarcinoma. ECOG 1.")
    assert (
        assess(c, pancreas).verdict is not TrialVerdict.EXCLUDED
    )  # cohort 1: cohort 4's and 2's lines do not apply
    assert assess(c, anal_scc).verdict is not TrialVerdict.EXCLUDED
    assert assess(c, gastric).verdict is TrialVerdict.EXCLUDED  # none of the alternatives
    same_in_batch(c, [pancreas, anal_scc, gastric])


def test_lesion_counts_need_a_count_never_presence_alone() -> None:
    c = parse(
        "- Solid tumour with 1 to 4 brain metastases on MRI",
        "- More than 6 metastatic lesions in total\n- Leptomeningeal disease",
    )
    count = [a for x in c for a in x.atoms if a.attributes.get("count")]
    assert {(a.code, a.operator, a.value) for a in count} == {
        ("brain", ">=", 1.0),
        ("brain", "<=", 4.0),
        (None, ">", 6.0),
    }
    assert not any(a.kind == "brain_metastases" for x in c for a in x.atoms)  # the count decides
    two = note("NSCLC, 2 brain mets on MRI 03/2024, treated with SRS. ECOG 1.")
    none = note("NSCLC adenocarcinoma. MRI brain: no brain metastases. ECOG 1.")
    # today's notes reader records brain metastases without their number: unknown, to check
    assert outcome(c, two, "brain metastases") is Outcome.UNKNOWN
    assert outcome(c, none, "brain metastases") is Outcome.VIOLATED  # no brain metastasis: 0 < 1
    assert outcome(c, two, "metastatic lesions") is Outcome.UNKNOWN  # never "applies" from presence
    # a record that counts them (the contract: metastasis facts with attributes["count"]) decides
    from dataclasses import replace as _replace

    counted = _replace(
        two,
        facts=list(
            _replace(f, attributes={**f.attributes, "count": 2})
            if f.kind == "metastasis" and f.code == "brain" and not f.negated
            else f
            for f in two.facts
        ),
    )
    many = _replace(
        counted,
        facts=list(
            _replace(f, attributes={**f.attributes, "count": 7}) if f.kind == "metastasis" else f
            for f in counted.facts
        ),
    )
    assert outcome(c, counted, "brain metastases") is Outcome.SATISFIED
    assert outcome(c, many, "brain metastases") is Outcome.VIOLATED
    assert outcome(c, many, "metastatic lesions") is Outcome.VIOLATED
    same_in_batch(c, [two, none, counted, many])


def test_gene_lists_and_panels_are_alternatives() -> None:
    c = parse(
        "- Tumour with a deleterious alteration in an HRR gene (BRCA1, BRCA2, ATM, PALB2 or CHEK2)\n"
        "- Deleterious mutation in at least one of the genes involved in homologous recombination repair",
        "- Known EGFR, ALK or ROS1 alteration",
    )
    palb2 = note("Metastatic prostate adenocarcinoma. NGS: PALB2 mutation (pathogenic). EGFR wt.")
    kras = note("Metastatic prostate adenocarcinoma. NGS: KRAS mutation. BRCA1 and BRCA2 wild-type.")
    assert outcome(c, palb2, "BRCA1, BRCA2, ATM") is Outcome.SATISFIED  # one of the list suffices
    assert outcome(c, palb2, "homologous recombination") is Outcome.SATISFIED  # PALB2 is an HRR gene
    assert outcome(c, kras, "BRCA1, BRCA2, ATM") is Outcome.UNKNOWN  # the other genes are not reported
    assert outcome(c, palb2, "EGFR, ALK or ROS1") is not Outcome.VIOLATED
    negated = parse("- No EGFR, ALK or ROS1 alteration")
    atoms = [a for x in negated for a in x.atoms if a.kind == "biomarker"]
    assert len(atoms) == 3 and all(a.negated and "group" not in a.attributes for a in atoms)  # none of them
    wild = parse("- KRAS, NRAS and BRAF wild-type")
    assert all(a.operator == "absent" and "group" not in a.attributes for x in wild for a in x.atoms)
    same_in_batch(c, [palb2, kras])
