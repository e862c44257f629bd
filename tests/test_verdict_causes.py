"""benchmarks/verdicts_causes.py: the cause of a wrong violated reading decided from the engine's evidence,
and its refusal to show the cases of a held-out set or fold."""

from __future__ import annotations

from datetime import date

import pytest
from benchmarks import verdicts_causes as VC

from oncofed.domain import (
    Atom,
    Criterion,
    CriterionOutcome,
    Fact,
    Outcome,
    PatientProfile,
    Provenance,
    Section,
)
from oncofed.matching.evidence import AtomEvidence
from oncofed.matching.facts import PatientView

SRC = Provenance("note", record="n", span=(0, 4), note_id="n")


def outcome(
    atom: Atom, fact: Fact | None, holds: bool, section: str = "inclusion", cohort: str | None = None
):
    crit = Criterion(Section(section), 0, "a line", atoms=(atom,), cohort=cohort)
    ev = AtomEvidence("x", fact, atom=atom, holds=holds, tri=4 if holds else 0)
    return CriterionOutcome(crit, Outcome.VIOLATED, (ev,), reading=(f"{section}:{atom.kind}",))


LAB = Atom("lab", ">=", 1.5, unit="10^9/L", code="anc")
DRUG = Atom("prior_therapy", "present", code="docetaxel", window_days=28)


@pytest.mark.parametrize(
    ("o", "kind", "cause"),
    [
        (outcome(LAB, None, False), "inclusion:lab", "no_fact"),
        (outcome(LAB, Fact("lab", "anc", 1.1, provenance=SRC), False), "inclusion:lab", "threshold"),
        (
            outcome(LAB, Fact("lab", "anc", 1.1, negated=True, provenance=SRC), False),
            "inclusion:lab",
            "negated_fact",
        ),
        (
            outcome(
                Atom("comorbidity", "present", code="hepatitis_b"),
                Fact("comorbidity", "hepatitis_b", attributes={"historical": True}, provenance=SRC),
                True,
                "exclusion",
            ),  # fmt: skip
            "exclusion:comorbidity",
            "historical_fact",
        ),
        (
            outcome(
                DRUG,
                Fact("treatment", "docetaxel", when=date(2026, 10, 1), provenance=SRC),
                True,
                "exclusion",
            ),
            "exclusion:prior_therapy",
            "window",
        ),
        (
            outcome(
                Atom("prior_therapy", "present", code="taxane", negated=True),
                Fact("treatment", "paclitaxel", provenance=SRC),
                False,
            ),  # fmt: skip
            "inclusion:prior_therapy",
            "negated_atom",
        ),
        (
            outcome(
                Atom("biomarker", "==", "positive", code="ER"), Fact("biomarker", "ER", "negative"), False
            ),
            "inclusion:biomarker",
            "category",
        ),
        (outcome(LAB, Fact("lab", "anc", 1.1), False, cohort="Arm B"), "inclusion:lab", "cohort_line"),
        (
            outcome(
                Atom("sex", "==", "FEMALE"),
                Fact("sex", "MALE", provenance=Provenance("patient record")),
                False,
            ),
            "inclusion:sex",
            "record_field",
        ),
    ],
)
def test_the_cause_comes_from_the_deciding_atom(o: CriterionOutcome, kind: str, cause: str) -> None:
    assert VC.cause_of(o, kind) == cause


def test_a_stage_the_record_shows_gone_beyond_is_a_stale_stage() -> None:
    stage = Fact("stage", "IIB", "IIB", provenance=SRC)
    line = Fact("treatment", "paclitaxel", attributes={"setting": "metastatic", "line": 1}, provenance=SRC)
    o = outcome(Atom("stage", "in", ["IV"]), stage, False)
    relapsed = PatientView.of(PatientProfile("p", "c", facts=[stage, line]))
    never = PatientView.of(PatientProfile("q", "c", facts=[stage]))
    assert VC.cause_of(o, "inclusion:stage", relapsed) == "stale_stage"
    assert VC.cause_of(o, "inclusion:stage", never) == "category"


def test_only_the_atoms_of_the_reading_kind_decide() -> None:
    ecog = Atom("ecog", "<=", 1)
    crit = Criterion(Section.INCLUSION, 0, "two atoms", atoms=(LAB, ecog))
    evs = (
        AtomEvidence("lab", Fact("lab", "anc", 1.1), atom=LAB, holds=False, tri=0),
        AtomEvidence("ecog", None, atom=ecog, holds=False, tri=0),
    )
    o = CriterionOutcome(crit, Outcome.VIOLATED, evs)
    assert (VC.cause_of(o, "inclusion:lab"), VC.cause_of(o, "inclusion:ecog")) == ("threshold", "no_fact")


@pytest.mark.parametrize(
    "name", ["verdicts-blind14", "verdicts-blind15", "verdicts-blind4", "verdicts-blind16"]
)
def test_show_is_refused_for_held_out_and_unknown_sets(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(VC.Refused):
        VC.check_show(["verdicts-dev", name])
    assert VC.main([name, "--show"]) == 2  # refused before anything is run
    assert "refused" in capsys.readouterr().err


def test_the_never_read_folds_are_never_shown() -> None:
    VC.check_show(["verdicts-dev", "verdicts-blind7"])
    assert VC.may_show("verdicts-blind7", 0) and VC.may_show("verdicts-dev", 2)
    assert not any(
        VC.may_show(n, 2) for n in ("verdicts-blind", "verdicts-blind3", "verdicts-blind8", "verdicts-blind9")
    )
    assert not VC.may_show("verdicts-blind14", 0) and not VC.may_show("verdicts-blind13", 2)
    assert VC.may_show("verdicts-blind13", 0) and VC.may_show("verdicts-blind12", 1)
    rows = [{"set": "verdicts-blind7", "fold": f, "pair": f"q{f}/t", "kind": "inclusion:lab", "cause": "threshold",
             "line": f"line {f}", "facts": ""} for f in (0, 2)]  # fmt: skip
    shown = VC.show(rows)
    assert "line 0" in shown and "line 2" not in shown
    assert "| inclusion:lab | 2 | 2 |" in VC.table(rows)  # counted in aggregate, fold 2 included
