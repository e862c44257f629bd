"""The decision policy (matching/trust.py, outcomes.decided): a criterion read as violated excludes only
when a reading of a trusted kind violates it; otherwise it is "unknown", held back, with its evidence.
Tables are given explicitly here (`trust.using`), so these tests hold whatever the shipped table says;
the shipped table itself is checked against what benchmarks/verdicts_trust.py computes (last test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from oncofed.domain import Atom, Criterion, Fact, Outcome, PatientProfile, Provenance, Section, TrialVerdict
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.outcomes import EXCLUDED, UNSURE
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from tests.conftest import shared_data
from tests.verdict_cases import DAY, same_everywhere


@pytest.fixture(autouse=True)
def _unsplit() -> Iterator[None]:
    """The kinds read unsplit here, whatever split the shipped table uses (tests/test_verdict_policy_split.py
    tests the split kinds)."""
    with trust.splitting(""):
        yield


SRC = Provenance("fhir", "Observation/7")
ORGAN = ("inclusion:cancer_organ",)  # the organ question of an inclusion's cancer type


def patient(**kw: object) -> PatientProfile:
    base: dict[str, object] = {"id": "p", "centre_id": "c", "birth_date": date(1960, 1, 1)}
    base.update(kw)
    return PatientProfile(**base)  # type: ignore[arg-type]


def inc(*atoms: Atom, index: int = 1) -> Criterion:
    return Criterion(Section.INCLUSION, index, "inclusion line", atoms=atoms)


def exc(*atoms: Atom) -> Criterion:
    return Criterion(Section.EXCLUSION, 2, "exclusion line", atoms=atoms)


ECOG_01 = Atom("ecog", "<=", 1)
NSCLC = Atom("cancer_type", "in", ["NSCLC"])
HIV = Atom("infection", "present", code="hiv")
ANC = Atom("lab", ">=", 1.5, unit="10^9/L", code="anc")
HIV_FACT = Fact("comorbidity", "hiv", provenance=SRC)


def one(c: Criterion, p: PatientProfile) -> tuple[Outcome, bool, tuple[str, ...], str]:
    o = evaluate_criteria([c], p, DAY)[0]
    return o.outcome, o.held_back, o.reading, o.sentence


def test_an_untrusted_reading_is_held_back_with_its_evidence() -> None:
    p = patient(ecog=2, primary_cancer="LUAD")
    with trust.using(ORGAN):
        outcome, held, reading, text = one(inc(ECOG_01), p)
        a = assess_trial([inc(ECOG_01)], p, DAY)
    assert (outcome, held, reading) == (Outcome.UNKNOWN, True, ("inclusion:ecog",))
    assert text.startswith("Read as not met: ") and "ECOG 2" in text
    assert text.endswith("This kind of reading excludes no patient on its own: check it.")
    assert a.verdict is TrialVerdict.UNKNOWN and a.outcomes[0].checks[0].startswith("confirm the reading: ")
    with trust.using(("inclusion:ecog",)):
        assert one(inc(ECOG_01), p)[:2] == (Outcome.VIOLATED, False)
        assert assess_trial([inc(ECOG_01)], p, DAY).verdict is TrialVerdict.EXCLUDED
    with trust.strict():
        assert one(inc(ECOG_01), p)[:3] == (Outcome.VIOLATED, False, ("inclusion:ecog",))
    with trust.strict(False), trust.using(()):  # nothing trusted: nothing excludes
        assert one(inc(NSCLC), patient(primary_cancer="BRCA"))[:2] == (Outcome.UNKNOWN, True)


def test_one_false_trusted_atom_is_enough_for_an_inclusion() -> None:
    line = inc(NSCLC, ECOG_01)
    breast, lung = patient(primary_cancer="BRCA", ecog=2), patient(primary_cancer="LUAD", ecog=2)
    with trust.using(ORGAN):
        # both atoms false; the cancer type alone makes the line false, and it is trusted
        assert one(line, breast)[:3] == (
            Outcome.VIOLATED,
            False,
            ("inclusion:cancer_organ", "inclusion:ecog"),
        )
        # the cancer type holds: only the ECOG reading violates it, and it is not trusted
        assert one(line, lung)[:3] == (Outcome.UNKNOWN, True, ("inclusion:ecog",))
    same_under_tables([line], [breast, lung, patient(primary_cancer="LUAD", ecog=0), patient()])


def test_an_exclusion_needs_every_reading_trusted() -> None:
    both = exc(HIV, ANC)
    p = patient(facts=[HIV_FACT, Fact("lab", "anc", 2.0, "10^9/L", when=date(2026, 10, 20), provenance=SRC)])
    with trust.using(("exclusion:infection",)):
        assert one(exc(HIV), p)[:2] == (Outcome.VIOLATED, False)
        assert one(both, p)[:3] == (Outcome.UNKNOWN, True, ("exclusion:infection", "exclusion:lab"))
        assert one(both, p)[3].startswith("Read as applying: ")
    with trust.using(("exclusion:infection", "exclusion:lab")):
        assert one(both, p)[:2] == (Outcome.VIOLATED, False)
    # the same kind in the other section is another kind of reading
    with trust.using(("inclusion:infection",)):
        assert one(exc(HIV), p)[:2] == (Outcome.UNKNOWN, True)
    same_under_tables([both, exc(HIV)], [p, patient(), patient(facts=[HIV_FACT])])


def test_an_or_group_violates_only_when_all_its_readings_are_trusted() -> None:
    ex19 = Atom("biomarker", "present", "exon 19 deletion", code="EGFR", attributes={"group": "g"})
    l858r = Atom("biomarker", "present", "L858R", code="EGFR", attributes={"group": "g"})
    line = inc(ex19, l858r)
    wild = patient(facts=[Fact("biomarker", "EGFR", "wild type", provenance=SRC)])
    with trust.using(ORGAN):
        assert one(line, wild)[:2] == (Outcome.UNKNOWN, True)
    with trust.using(("inclusion:biomarker",)):
        assert one(line, wild)[:3] == (Outcome.VIOLATED, False, ("inclusion:biomarker",))
    same_under_tables([line], [wild, patient(facts=[Fact("biomarker", "EGFR", "L858R", provenance=SRC)])])


def test_registry_fields_are_a_kind_of_their_own() -> None:
    old = Criterion(Section.INCLUSION, -1, "maximum age 65", atoms=(Atom("age", "<=", 65.0),))
    p = patient(birth_date=date(1940, 1, 1))
    with trust.using(("inclusion:age",)):
        assert one(old, p)[:3] == (Outcome.UNKNOWN, True, ("registry:age",))
    with trust.using(("registry:age",)):
        assert one(old, p)[:2] == (Outcome.VIOLATED, False)


def test_a_cohort_of_another_cancer_stays_excluded_and_the_own_cohort_is_chosen() -> None:
    lung = Criterion(Section.INCLUSION, 1, "NSCLC cohort", atoms=(NSCLC,), cohort="Cohort A")
    breast = Criterion(
        Section.INCLUSION, 2, "breast cohort", atoms=(Atom("cancer_type", "in", ["BRCA"]),), cohort="Cohort B"
    )
    criteria = [lung, breast, inc(ECOG_01, index=3)]
    p = patient(primary_cancer="LUAD", ecog=2)
    with trust.using(ORGAN):
        a = assess_trial(criteria, p, DAY)
    assert a.verdict is TrialVerdict.UNKNOWN and a.cohort == "Cohort A"
    held = [o for o in a.outcomes if o.held_back]
    assert [o.criterion.index for o in held] == [3]
    same_under_tables(criteria, [p, patient(primary_cancer="BRCA", ecog=0), patient(primary_cancer="PAAD")])


def test_the_score_counts_a_held_back_violation() -> None:
    """Shown as "probably not met — check", scored as the engine read it: below a plain unknown, as in
    the strict reading (the ranker's signal; trust.reading), on the vectorised and per-patient paths."""
    criteria = [inc(NSCLC), inc(ECOG_01, index=2)]
    read_not_met, not_recorded = patient(primary_cancer="LUAD", ecog=2), patient(primary_cancer="LUAD")
    batch = PatientBatch.from_profiles([read_not_met, not_recorded], DAY)
    with trust.using(ORGAN):
        shown = evaluate_trial_over_patients(criteria, batch)
        assert assess_trial(criteria, read_not_met, DAY).verdict is TrialVerdict.UNKNOWN
        same_everywhere(criteria, [read_not_met, not_recorded])
    with trust.strict():
        strict = evaluate_trial_over_patients(criteria, batch)
    assert shown.trial_verdict.tolist() == [UNSURE, UNSURE]
    assert strict.trial_verdict.tolist() == [EXCLUDED, UNSURE]
    assert shown.score.tolist() == strict.score.tolist() and shown.score[0] < shown.score[1]


def same_under_tables(criteria: list[Criterion], profiles: list[PatientProfile]) -> None:
    """Per patient, vectorised and ranking paths agree under several tables (and strict)."""
    for table in (
        (),
        ORGAN,
        ("inclusion:cancer_type",),
        ("inclusion:ecog", "exclusion:infection", "inclusion:biomarker"),
    ):
        with trust.using(table):
            same_everywhere(criteria, profiles)


def test_the_shipped_table_follows_its_rule_and_the_organ_kind_decides_off_topic_trials() -> None:
    """The shipped table trusts exactly the kinds its rule admits (measured: benchmarks/verdicts_trust.py;
    the organ question of an inclusion's cancer type; with verdicts-blind7 counted it would be none: Wilson lower 0.77). A trial of another
    disease is excluded by the organ question when that kind is trusted, held back ("probably not met: check")
    when nothing is, and excluded by the strict engine; the subtype question is never trusted (no off-topic
    pair can prove it)."""
    table = trust.load_table()
    held_back = {k for k, c in table["confirm"]["kinds"].items() if not c["confirmed"]}
    assert trust.shipped() == {k for k, row in table["kinds"].items() if row["trusted"]} - held_back
    assert "inclusion:cancer_type" not in trust.shipped()
    for row in table["kinds"].values():
        assert row["trusted"] == (row["wilson_lower"] >= 0.8)
    breast_trial = [inc(Atom("cancer_type", "in", ["BRCA"])), inc(ECOG_01, index=2)]
    lung = patient(primary_cancer="LUAD", ecog=0)
    with trust.using(("inclusion:cancer_organ",)):
        assert assess_trial(breast_trial, lung, DAY).verdict is TrialVerdict.EXCLUDED
    with trust.using(None):
        assert assess_trial(breast_trial, lung, DAY).verdict is TrialVerdict.EXCLUDED
    with trust.using(()):
        assert assess_trial(breast_trial, lung, DAY).verdict is not TrialVerdict.EXCLUDED


def test_wilson_lower_bound() -> None:
    from benchmarks.verdicts_trust import wilson_lower

    assert wilson_lower(16, 16) == pytest.approx(0.806, abs=1e-3)
    assert wilson_lower(15, 15) < 0.8 < wilson_lower(16, 16)
    assert wilson_lower(0, 0) == 0.0 and wilson_lower(5, 10) < 0.5


def test_the_shipped_table_is_what_the_script_computes(tmp_path: Path) -> None:
    """resources/verdicts/trusted_violations.json == benchmarks/verdicts_trust.py on the counted sets."""
    from benchmarks import verdicts_corpus, verdicts_trust

    data = shared_data("trials").parent
    corpus = tmp_path / "corpus.jsonl"
    verdicts_corpus.build(data, corpus)
    events = [e for name in verdicts_trust.SETS for e in verdicts_trust.events(
        verdicts_trust.run_set(name, corpus, None))]  # fmt: skip
    computed = verdicts_trust.table_of(events)
    shipped = json.loads(verdicts_trust.TABLE.read_text(encoding="utf-8"))
    assert shipped["sets"] == list(verdicts_trust.SETS) and "verdicts-blind14" not in shipped["sets"]
    assert shipped["kinds"] == computed and shipped.get("split", "") == trust.shipped_split()
    # what ships: the rule's kinds less those the held-out sets contradict (their counts recorded with them)
    held_back = {k for k, c in shipped["confirm"]["kinds"].items() if not c["confirmed"]}
    assert set(shipped["confirm"]["kinds"]) == set(verdicts_trust.trusted_of(computed))
    assert shipped["trusted"] == [k for k in verdicts_trust.trusted_of(computed) if k not in held_back]
    assert shipped["trusted"] == sorted(trust.shipped())


def test_a_trusted_kind_the_held_out_sets_contradict_is_held_back() -> None:
    """The confirmation step (benchmarks/verdicts_trust.confirm): a kind trusted on the counted sets ships
    unless its precision on the held-out sets is surely below the bound (Wilson upper < 0.8)."""
    from benchmarks.verdicts_trust import confirm, shipped_of, table_of, wilson_upper

    counted = table_of(
        [("inclusion:x", "right")] * 40 + [("exclusion:y", "right")] * 30 + [("exclusion:z", "right")] * 3
    )
    assert sorted(k for k, r in counted.items() if r["trusted"]) == ["exclusion:y", "inclusion:x"]
    held = [("inclusion:x", "wrong")] * 4 + [("exclusion:y", "right")] * 3 + [("exclusion:y", "wrong")]
    held += [("exclusion:z", "wrong")] * 9  # an untrusted kind's held-out events are not asked about
    confirmed = confirm(counted, held)
    assert set(confirmed) == {"inclusion:x", "exclusion:y"}
    assert confirmed["inclusion:x"] == {"right": 0, "wrong": 4, "wilson_upper": round(wilson_upper(0, 4), 4),
                                        "confirmed": False}  # fmt: skip
    assert confirmed["exclusion:y"]["confirmed"]  # 3 / 4: not surely below 0.8
    assert shipped_of(counted, confirmed) == ["exclusion:y"]
    assert shipped_of(counted, None) == ["exclusion:y", "inclusion:x"]  # not run: the rule's kinds
    assert confirm(counted, [])["inclusion:x"]["confirmed"]  # never seen there: not contradicted
    assert wilson_upper(0, 0) == 1.0 and wilson_upper(0, 4) < 0.5 < wilson_upper(3, 4)
