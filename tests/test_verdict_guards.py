"""General guards against wrong exclusions (criteria/coverage.py): a criterion read only in part, and a
line for a cohort the structure reader did not recognise, never exclude a patient. Small cases written
for each class (not copied from the verdict sets), also run through the vectorised evaluator."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oncofed.criteria.coverage import names_scope, unread_clause, unread_qualifiers
from oncofed.domain import Criterion, Outcome, TrialVerdict
from tests.test_verdict_classes_fourth import assess, note, outcome, parse, same_in_batch
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

pytestmark = pytest.mark.usefixtures("strict_reading")


def _criterion(criteria: list[Criterion], words: str) -> Criterion:
    return next(c for c in criteria if words in c.text)


# --- 1. partial reading: a qualifier of the whole statement that no atom reads ----------------------


def test_a_trailing_condition_no_atom_reads_turns_violated_into_unknown_with_the_evidence() -> None:
    c = parse(
        "- Metastatic colorectal adenocarcinoma",
        "- Prior treatment with an anti-EGFR antibody and discontinued because of grade 3 skin toxicity",
    )
    crit = _criterion(c, "anti-EGFR")
    assert "discontinued" in unread_clause(crit)
    p = note(
        "Metastatic colorectal adenocarcinoma, RAS wild-type. Cetuximab + FOLFIRI 2023-2024, PD. ECOG 1."
    )
    a = assess(c, p)
    o = next(o for o in a.outcomes if "anti-EGFR" in o.criterion.text)
    assert o.outcome is Outcome.UNKNOWN and a.verdict is not TrialVerdict.EXCLUDED
    assert "only part of the criterion was read" in o.sentence and "discontinued" in o.sentence
    assert any(e.fact is not None for e in o.evidence)  # the cetuximab found is kept as evidence
    from oncofed.presenters.engine_text import say

    french = say("fr", o.sentence)
    assert (
        french.startswith("Non tranché\u00a0: le critère n'a été lu qu'en partie")
        and "discontinued" in french
    )
    same_in_batch(c, [p])


def test_a_criterion_read_completely_still_excludes() -> None:
    c = parse("- Metastatic colorectal adenocarcinoma", "- Prior treatment with an anti-EGFR antibody")
    assert unread_clause(_criterion(c, "anti-EGFR")) == ""
    p = note(
        "Metastatic colorectal adenocarcinoma, RAS wild-type. Cetuximab + FOLFIRI 2023-2024, PD. ECOG 1."
    )
    assert outcome(c, p, "anti-EGFR") is Outcome.VIOLATED
    assert assess(c, p).verdict is TrialVerdict.EXCLUDED
    same_in_batch(c, [p])


def test_an_exception_the_atoms_carry_is_read_and_one_they_do_not_is_not() -> None:
    # "except ..." of a prior-malignancy line: the atom carries its exceptions
    carried = parse(
        "- Solid tumour", "- Other malignancy within 3 years except basal cell carcinoma of the skin"
    )
    assert unread_clause(_criterion(carried, "Other malignancy")) == ""
    # "unless ..." nobody reads: the exclusion cannot be decided from the read part
    c = parse(
        "- Solid tumour", "- Known hepatitis B infection, unless the viral load is undetectable on therapy"
    )
    assert "unless" in unread_clause(_criterion(c, "hepatitis B"))
    hbv = note("Metastatic NSCLC. Chronic hepatitis B on entecavir, HBV DNA undetectable. ECOG 1.")
    assert outcome(c, hbv, "hepatitis B") is not Outcome.VIOLATED
    same_in_batch(c, [hbv])


def test_in_an_inclusion_only_a_widening_clause_guards() -> None:
    # "with ..." narrows an inclusion: a lung cancer violates "melanoma with ..." whatever the rest says
    c = parse("- Metastatic melanoma with a documented response to a prior line")
    assert unread_clause(c[0]) == ""
    lung = note("Metastatic lung adenocarcinoma, EGFR exon 19 deletion. ECOG 1.")
    assert outcome(c, lung, "melanoma") is Outcome.VIOLATED
    # "unless ..." widens it: the unread exception may let the patient in
    w = parse("- Metastatic melanoma unless the sponsor agrees to a rare histology")
    assert "unless" in unread_clause(w[0])
    assert outcome(w, lung, "melanoma") is Outcome.UNKNOWN
    same_in_batch(w, [lung])


def test_a_qualifier_attached_to_one_atom_caps_that_atom_only() -> None:
    c = parse(
        "- Solid tumour",
        "- Active infection requiring intravenous antibiotics, or known HIV infection",
    )
    crit = _criterion(c, "Active infection")
    capped = unread_qualifiers(crit)
    assert capped and all("requiring" in q for _, q in capped)
    assert all(a.code != "hiv" for a, _ in capped)  # the HIV mention has no unread qualifier
    infected = note("NSCLC. Active pneumonia on oral amoxicillin. ECOG 1.")
    hiv = note("NSCLC. Known HIV infection on antiretroviral therapy, CD4 600. ECOG 1.")
    assert outcome(c, infected, "Active infection") is not Outcome.VIOLATED
    assert outcome(c, hiv, "Active infection") is Outcome.VIOLATED  # the part read completely decides
    same_in_batch(c, [infected, hiv])


def test_a_time_window_the_atom_carries_is_read_and_a_later_mention_is_not_the_one_read() -> None:
    c = parse("- Solid tumour", "- Major surgery within 28 days before the first dose")
    assert unread_qualifiers(_criterion(c, "Major surgery")) == []
    p = parse("- Solid tumour", "- Breastfeeding or have been breastfeeding during the last 3 months")
    assert unread_qualifiers(_criterion(p, "Breastfeeding")) == []  # "or" sets the window apart


def test_french_lines_keep_their_own_clause_words() -> None:
    from oncofed.criteria.parser import parse_eligibility

    c = parse_eligibility(
        "Critères d'inclusion :\n- Adénocarcinome colorectal métastatique\n"
        "Critères de non-inclusion :\n"
        "- Traitement antérieur par cetuximab et arrêté en raison d'une toxicité cutanée de grade 3\n"
        "- Infection active nécessitant des antibiotiques intraveineux, ou infection VIH connue\n"
        "- Chirurgie majeure dans les 28 jours précédant la première dose\n"
        "- Antécédent de cancer du site osseux\n"
    ).criteria
    assert "arrêté" in unread_clause(_criterion(c, "cetuximab"))
    assert [q for _, q in unread_qualifiers(_criterion(c, "Infection active"))] == [
        "nécessitant des antibiotiques intraveineux"
    ]
    assert unread_qualifiers(_criterion(c, "Chirurgie")) == []  # the window is the atom's
    assert unread_clause(_criterion(c, "site osseux")) == ""  # "si" of "site" is no clause word


# --- 2. multi-part trials: lines for a part that was not recognised ---------------------------------


MODULAR = """Inclusion criteria:
- Adults with an advanced solid tumour
- Module 1: advanced gastric adenocarcinoma
- Module 2: metastatic triple negative breast cancer
- Module 3 All: platinum-sensitive relapsed ovarian cancer
Exclusion criteria:
- Prior exposure to an ATR inhibitor
- Module 1: Patients with type 1 or type 2 diabetes
"""


def test_a_line_naming_a_part_read_as_common_never_excludes() -> None:
    from oncofed.criteria.parser import parse_eligibility

    read = parse_eligibility(MODULAR).criteria
    # the structure reader reads "Module 3 All:" as a part since the seventh pass; the guard is for a
    # label it still misses: the same line without its cohort
    assert next(x for x in read if "platinum-sensitive" in x.text).cohort == "Module 3 All"
    c = [replace(x, cohort=None) if "platinum-sensitive" in x.text else x for x in read]
    missed = next(x for x in c if "platinum-sensitive" in x.text)
    assert missed.cohort is None and names_scope(missed) == "Module 3 All"  # the reader missed "Module 3 All"
    lung = note("Metastatic lung adenocarcinoma, 2 prior lines, PD. ECOG 1.")
    a = assess(c, lung)
    assert outcome(c, lung, "platinum-sensitive") is Outcome.UNKNOWN  # not "violated" for every patient
    assert a.verdict is TrialVerdict.UNKNOWN and a.cohort is None  # possibly the part not recognised
    # a line scoped to one module applies to that module's patients only
    tnbc = note(
        "Metastatic triple negative breast cancer, ER-/PR-/HER2 0. Type 2 diabetes on metformin. ECOG 1."
    )
    assert assess(c, tnbc).verdict is not TrialVerdict.EXCLUDED
    same_in_batch(c, [lung, tnbc])


def test_names_scope_reads_part_labels_and_ignores_other_lines() -> None:
    from oncofed.domain import Criterion, Section

    def line(text: str, cohort: str | None = None) -> Criterion:
        return Criterion(Section.INCLUSION, 3, text, cohort=cohort)

    assert names_scope(line("Module 5 All: ovarian cancer, prior PARP inhibitor")) == "Module 5 All"
    assert names_scope(line("Part B2: HER2-negative breast cancer")) == "Part B2"
    assert names_scope(line("Arm A) patients with NSCLC")) == "Arm A"
    assert names_scope(line("Module 5 All: ovarian cancer", cohort="Module 5")) == ""  # recognised
    assert names_scope(line("Partial response to the last line of therapy")) == ""
    assert names_scope(line("Arms and legs free of lesions")) == ""


def test_excluded_by_recognised_parts_only_is_unknown_when_a_part_was_not_recognised() -> None:
    from oncofed.domain import Atom, Criterion, Section
    from oncofed.matching.assess import assess_trial
    from oncofed.matching.outcomes import compile_plan

    def cancer(index: int, text: str, code: str, cohort: str | None) -> Criterion:
        atom = Atom("cancer_type", "in", [code], code=code, span=(len(text) - 8, len(text)), text=text[-8:])
        return Criterion(Section.INCLUSION, index, text, atoms=(atom,), cohort=cohort)

    recognised = [
        cancer(0, "Part A: gastric cancer", "STAD", "Part A"),
        cancer(1, "Part B: breast cancer", "BRCA", "Part B"),
    ]
    lung = note("Metastatic lung adenocarcinoma. ECOG 1.")
    # every part the text names was recognised: a lung cancer fits none of them
    assert assess_trial(recognised, lung).verdict is TrialVerdict.EXCLUDED
    missed = Criterion(Section.INCLUSION, 2, "Part C all: any other solid tumour", cohort=None)
    assert names_scope(missed) == "Part C all"
    assert compile_plan(missed).scope
    a = assess_trial([*recognised, missed], lung)
    assert a.verdict is TrialVerdict.UNKNOWN and a.cohort is None
    same_in_batch([*recognised, missed], [lung])
