"""The evaluator, atom kind by atom kind: holds / does not hold / unknown, then sections and groups."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import Atom, Criterion, Fact, Outcome, PatientProfile, Provenance, Section
from oncofed.matching.evaluate import AtomEvidence, evaluate_atom, evaluate_criteria
from oncofed.matching.facts import PatientView
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

# how the evaluator reads each atom and criterion: the strict policy (every violation excludes); the
# decision policy on top of it is tested in tests/test_verdict_policy.py
pytestmark = pytest.mark.usefixtures("strict_reading")

DAY = date(2026, 11, 1)
SRC = Provenance("fhir", "Observation/42")


def patient(**kw: object) -> PatientProfile:
    facts = kw.pop("facts", [])
    return PatientProfile(id="p1", centre_id="c1", facts=list(facts), **kw)  # type: ignore[arg-type]


def holds(atom: Atom, p: PatientProfile) -> bool | None:
    return evaluate_atom(atom, PatientView.of(p), DAY).holds


def inc(*atoms: Atom) -> Criterion:
    return Criterion(Section.INCLUSION, 1, "inclusion", atoms=atoms)


def exc(*atoms: Atom) -> Criterion:
    return Criterion(Section.EXCLUSION, 1, "exclusion", atoms=atoms)


def verdict(c: Criterion, p: PatientProfile) -> Outcome:
    return evaluate_criteria([c], p, DAY)[0].outcome


def test_age_uses_birth_date_on_the_evaluation_day() -> None:
    p = patient(birth_date=date(2008, 11, 2))  # 17 on 2026-11-01, 18 the next day
    assert holds(Atom("age", ">=", 18.0), p) is False
    assert evaluate_atom(Atom("age", ">=", 18.0), PatientView.of(p), date(2026, 11, 2)).holds is True
    assert holds(Atom("age", ">=", 18.0), patient()) is None


def test_sex() -> None:
    assert holds(Atom("sex", "==", "FEMALE"), patient(sex="FEMALE")) is True
    assert holds(Atom("sex", "==", "FEMALE"), patient(sex="MALE")) is False
    assert holds(Atom("sex", "==", "FEMALE"), patient()) is None


def test_cancer_type_matches_oncotree_subtree() -> None:
    luad = patient(primary_cancer="LUAD")
    assert holds(Atom("cancer_type", "in", ["NSCLC"]), luad) is True
    assert holds(Atom("cancer_type", "in", ["BRCA"]), luad) is False
    assert (
        holds(Atom("cancer_type", "in", ["LUAD"]), patient(primary_cancer="NSCLC")) is None
    )  # subtype unknown
    assert holds(Atom("cancer_type", "in", ["NSCLC"]), patient()) is None


def test_stage_groups_and_substages() -> None:
    assert holds(Atom("stage", "in", ["III"]), patient(stage="IIIB")) is True
    assert holds(Atom("stage", "in", ["IV"]), patient(stage="IIIB")) is False
    assert holds(Atom("stage", "in", ["IIIB"]), patient(stage="III")) is None
    assert holds(Atom("stage", "in", ["IV"]), patient(stage="I")) is False  # "IV" does not start a "I" match


@pytest.mark.parametrize(
    ("fact", "atom", "expected"),
    [
        (
            Fact("biomarker", "EGFR", "L858R", attributes={"kind": "mutation"}),
            Atom("biomarker", "present", "L858R", code="EGFR"),
            True,
        ),
        (
            Fact("biomarker", "EGFR", "L858R", attributes={"kind": "mutation"}),
            Atom("biomarker", "present", "exon 19 deletion", code="EGFR"),
            False,
        ),
        (
            Fact("biomarker", "EGFR", "Exon 19 deletion"),
            Atom("biomarker", "present", "exon 19 deletion", code="EGFR"),
            True,
        ),
        (
            Fact("biomarker", "HER2", "3+", attributes={"kind": "ihc"}),
            Atom("biomarker", "==", "positive", code="HER2"),
            True,
        ),
        (
            Fact("biomarker", "HER2", "1+", attributes={"kind": "ihc"}),
            Atom("biomarker", "==", "positive", code="HER2"),
            False,
        ),
        (
            Fact("biomarker", "HER2", "2+", attributes={"kind": "ihc"}),
            Atom("biomarker", "==", "positive", code="HER2"),
            None,
        ),
        (
            Fact("biomarker", "HER2", "1+", attributes={"kind": "ihc"}),
            Atom("biomarker", "==", "low", code="ERBB2"),
            True,
        ),
        (
            Fact("biomarker", "PD-L1", 60, "%", attributes={"kind": "tps"}),
            Atom("biomarker", ">=", 50, code="PD-L1", attributes={"scale": "tps"}),
            True,
        ),
        (
            Fact("biomarker", "PD-L1", 10, attributes={"kind": "cps"}),
            Atom("biomarker", ">=", 50, code="PD-L1", attributes={"scale": "tps"}),
            None,
        ),
        (
            Fact("biomarker", "MSI", "MSI-H", attributes={"kind": "msi"}),
            Atom("biomarker", "==", "MSI-H", code="MSI"),
            True,
        ),
        (Fact("biomarker", "ER", "negative"), Atom("biomarker", "==", "positive", code="ER"), False),
        (Fact("biomarker", "EGFR", negated=True), Atom("biomarker", "present", code="EGFR"), False),
    ],
)
def test_biomarker_variants_and_statuses(fact: Fact, atom: Atom, expected: bool | None) -> None:
    assert holds(atom, patient(facts=[fact])) is expected


def test_biomarker_without_test_is_unknown_with_what_to_check() -> None:
    r = evaluate_atom(Atom("biomarker", "present", "G12C", code="KRAS"), PatientView.of(patient()), DAY)
    assert r.holds is None and "KRAS" in r.check


def test_ecog_and_karnofsky_with_conversion() -> None:
    assert holds(Atom("ecog", "<=", 1), patient(ecog=1)) is True
    assert holds(Atom("ecog", "<=", 1), patient(ecog=2)) is False
    assert (
        holds(Atom("ecog", "in", [0, 1]), patient(facts=[Fact("karnofsky", value=80)])) is True
    )  # KPS 80 -> ECOG 1
    assert holds(Atom("ecog", "<=", 1), patient(facts=[Fact("karnofsky", value=60)])) is False
    assert holds(Atom("karnofsky", ">=", 70), patient(ecog=1)) is True  # ECOG 1 -> KPS 70-80
    assert holds(Atom("karnofsky", ">=", 80), patient(ecog=1)) is None  # 70 or 80: undecided
    assert holds(Atom("karnofsky", ">=", 70), patient(ecog=3)) is False
    assert holds(Atom("ecog", "<=", 1), patient()) is None


def lab(code: str, value: float, unit: str, **attrs: object) -> Fact:
    return Fact("lab", code, value, unit, when=date(2026, 10, 20), provenance=SRC, attributes=dict(attrs))


def test_labs_canonical_units_and_multiples_of_uln() -> None:
    assert (
        holds(Atom("lab", ">=", 1.5, unit="10^9/L", code="anc"), patient(facts=[lab("anc", 2.1, "10^9/L")]))
        is True
    )
    assert (
        holds(Atom("lab", ">=", 1500, unit="/mm3", code="anc"), patient(facts=[lab("anc", 1.2, "10^9/L")]))
        is False
    )
    # bilirubin <= 1.5 x ULN with labs.tsv ULN 1.2 mg/dL -> threshold 1.8
    assert (
        holds(
            Atom("lab", "<=", 1.5, unit="x ULN", code="bilirubin"),
            patient(facts=[lab("bilirubin", 1.7, "mg/dL")]),
        )
        is True
    )
    assert (
        holds(
            Atom("lab", "<=", 1.5, unit="x ULN", code="bilirubin"),
            patient(facts=[lab("bilirubin", 1.9, "mg/dL")]),
        )
        is False
    )
    # the record's own ULN wins over the table's
    assert (
        holds(
            Atom("lab", "<=", 2.5, unit="x ULN", code="ast"), patient(facts=[lab("ast", 90, "U/L", uln=35)])
        )
        is False
    )
    assert (
        holds(Atom("lab", "<=", 2.5, unit="x ULN", code="ast"), patient(facts=[lab("ast", 90, "U/L")]))
        is True
    )
    assert holds(Atom("lab", ">=", 50, code="creatinine_clearance"), patient()) is None
    # a window: the value must be recent enough
    stale = Atom("lab", ">=", 1.5, code="anc", window_days=7)
    assert holds(stale, patient(facts=[lab("anc", 2.1, "10^9/L")])) is None


def treatment(drug: str, klass: str, end: str, line: int = 1, setting: str = "metastatic") -> Fact:
    return Fact(
        "treatment",
        drug,
        when=date(2025, 1, 1),
        provenance=SRC,
        attributes={"class": klass, "end": end, "line": line, "setting": setting},
    )


def test_prior_therapy_by_drug_class_and_window() -> None:
    p = patient(facts=[treatment("pembrolizumab", "anti-PD-1", "2026-10-15")])
    assert holds(Atom("prior_therapy", "present", code="pembrolizumab"), p) is True
    assert (
        holds(Atom("prior_therapy", "present", code="anti-PD-1", attributes={"class": "anti-PD-1"}), p)
        is True
    )
    listed = evaluate_atom(Atom("prior_therapy", "present", code="docetaxel"), PatientView.of(p), DAY)
    assert listed.holds is False and listed.presumed  # history recorded, not listed: a presumption
    assert holds(Atom("prior_therapy", "present", code="pembrolizumab", window_days=28), p) is True
    assert holds(Atom("prior_therapy", "present", code="pembrolizumab", window_days=7), p) is False
    assert holds(Atom("prior_therapy", "present", code="docetaxel"), patient()) is None  # no history at all


def test_prior_lines_and_treatment_naive() -> None:
    p = patient(
        facts=[
            treatment("carboplatin", "platinum", "2025-06-01", 1),
            treatment("docetaxel", "taxane", "2026-01-01", 2),
        ]
    )
    assert holds(Atom("prior_lines", "<=", 1), p) is False
    assert holds(Atom("prior_lines", ">=", 2), p) is True
    adjuvant = patient(facts=[treatment("paclitaxel", "taxane", "2024-01-01", 1, setting="adjuvant")])
    assert holds(Atom("prior_lines", "==", 0), adjuvant) is True
    assert holds(Atom("prior_lines", "<=", 1), patient()) is None
    assert holds(Atom("treatment_naive", "present"), p) is False
    assert holds(Atom("treatment_naive", "present"), patient()) is None


def test_brain_metastases_status() -> None:
    active = Atom("brain_metastases", "present", attributes={"status": "active"})
    stable = patient(stage="IV", facts=[Fact("metastasis", "brain", attributes={"status": "treated_stable"})])
    untreated = patient(stage="IV", facts=[Fact("metastasis", "brain", attributes={"status": "untreated"})])
    assert holds(active, untreated) is True
    assert holds(active, stable) is False
    assert holds(Atom("brain_metastases", "present"), stable) is True
    assert holds(active, patient(stage="IV", facts=[Fact("metastasis", "liver")])) is None
    assert holds(active, patient(stage="IV", facts=[Fact("metastasis", "brain", negated=True)])) is False
    assert holds(active, patient(stage="II")) is False  # non-metastatic stage


def test_pregnancy_comorbidities_and_windows() -> None:
    preg = Atom("pregnancy", "present")
    assert holds(preg, patient(sex="MALE")) is False
    assert holds(preg, patient(sex="FEMALE")) is None
    assert (
        holds(preg, patient(sex="FEMALE", facts=[Fact("pregnancy", value="pregnant", negated=True)])) is False
    )
    hiv = Atom("infection", "present", code="hiv")
    assert holds(hiv, patient(facts=[Fact("comorbidity", "hiv")])) is True
    assert holds(hiv, patient()) is None
    mi = Atom("comorbidity", "present", code="myocardial_infarction", window_days=180)
    assert (
        holds(mi, patient(facts=[Fact("comorbidity", "myocardial_infarction", when=date(2026, 9, 1))]))
        is True
    )
    assert (
        holds(mi, patient(facts=[Fact("comorbidity", "myocardial_infarction", when=date(2020, 1, 1))]))
        is False
    )
    assert holds(mi, patient(facts=[Fact("comorbidity", "myocardial_infarction")])) is None  # no date


def test_non_evaluable_and_unknown_kinds_are_never_guessed() -> None:
    full = patient(sex="FEMALE", ecog=0, birth_date=date(1960, 1, 1), primary_cancer="BRCA")
    assert holds(Atom("non_evaluable", "present", code="consent"), full) is None
    assert holds(Atom("astrology", "present"), full) is None
    assert verdict(inc(Atom("non_evaluable", "present", code="consent")), full) is Outcome.UNKNOWN


def test_sections_turn_holding_into_verdicts() -> None:
    p = patient(ecog=2, facts=[Fact("comorbidity", "hiv")])
    assert verdict(inc(Atom("ecog", "<=", 2)), p) is Outcome.SATISFIED
    assert verdict(inc(Atom("ecog", "<=", 1)), p) is Outcome.VIOLATED
    assert (
        verdict(exc(Atom("infection", "present", code="hiv")), p) is Outcome.VIOLATED
    )  # the exclusion applies
    assert verdict(exc(Atom("infection", "present", code="hepatitis_b")), p) is Outcome.UNKNOWN
    assert verdict(exc(Atom("ecog", ">=", 3)), p) is Outcome.SATISFIED  # clear of the exclusion


def test_groups_are_alternatives_and_atoms_otherwise_combine_with_and() -> None:
    egfr = Fact("biomarker", "EGFR", "L858R")
    ex19 = Atom("biomarker", "present", "exon 19 deletion", code="EGFR", attributes={"group": "g"})
    l858r = Atom("biomarker", "present", "L858R", code="EGFR", attributes={"group": "g"})
    assert verdict(inc(ex19, l858r), patient(facts=[egfr])) is Outcome.SATISFIED
    assert verdict(inc(ex19, l858r, Atom("ecog", "<=", 1)), patient(ecog=2, facts=[egfr])) is Outcome.VIOLATED
    assert verdict(inc(ex19, l858r, Atom("ecog", "<=", 1)), patient(facts=[egfr])) is Outcome.UNKNOWN
    # a negated atom: "no prior platinum"
    no_platinum = Atom(
        "prior_therapy", "present", code="platinum", attributes={"class": "platinum"}, negated=True
    )
    assert (
        verdict(inc(no_platinum), patient(facts=[treatment("cisplatin", "platinum", "2025-01-01")]))
        is Outcome.VIOLATED
    )


def test_evidence_names_the_fact_and_its_provenance() -> None:
    p = patient(facts=[lab("anc", 0.9, "10^9/L")])
    cv = evaluate_criteria([inc(Atom("lab", ">=", 1.5, code="anc"))], p, DAY)[0]
    assert cv.outcome is Outcome.VIOLATED
    ev = cv.evidence[0]
    assert isinstance(ev, AtomEvidence) and ev.fact is not None
    assert ev.fact.provenance.describe() == "fhir:Observation/42"
    assert "0.9" in ev.explanation


def test_criterion_without_atoms_is_unknown() -> None:
    assert verdict(Criterion(Section.INCLUSION, 3, "Adequate organ function"), patient()) is Outcome.UNKNOWN


def test_prior_therapy_class_from_the_drug_vocabulary_and_combined_classes() -> None:
    p = patient(facts=[Fact("treatment", "nivolumab", attributes={"line": 1, "setting": "metastatic"})])
    assert (
        holds(
            Atom("prior_therapy", "present", code="anti-PD-1/PD-L1", attributes={"class": "anti-PD-1/PD-L1"}),
            p,
        )
        is True
    )
    assert holds(Atom("prior_therapy", "present", code="immune checkpoint inhibitor"), p) is True
    assert holds(Atom("prior_therapy", "present", code="CDK4/6 inhibitor"), p) is False


def test_prior_malignancy_reads_its_own_record_not_another_comorbidity() -> None:
    pm = Atom("prior_malignancy", "present", window_days=3 * 365)
    other = Fact("comorbidity", "autoimmune_disease", when=date(2026, 1, 1))
    assert holds(pm, patient(facts=[other])) is None
    assert (
        holds(pm, patient(facts=[other, Fact("comorbidity", "prior_malignancy", when=date(2025, 1, 1))]))
        is True
    )
    assert holds(pm, patient(facts=[Fact("comorbidity", "prior_malignancy", when=date(2015, 1, 1))])) is False
