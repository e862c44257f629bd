"""Kinds of reading split by what the engine knows of the line when it decides (matching/trust.py `SPLITS`,
docs/MATCHING.md, session 12): the key carries the part ("inclusion:ecog/plain"), a part excludes only when
its own Wilson bound passes (benchmarks/verdicts_trust.py counts and chooses the split leave-one-set-out),
the per-patient, fast and numpy paths agree under every split, the explanation says the part and how often
its kind was right (FR/EN), and pre-screening's odds read the split keys and the keys stored before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from oncofed.domain import Atom, Criterion, Fact, Outcome, PatientProfile, Section, TrialVerdict
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.presenters.engine_text import say, unsaid
from oncofed.presenters.i18n import translator
from oncofed.presenters.prescreen import held_back_said
from oncofed.services.prescreen import odds
from oncofed.services.prescreen.readings import held_kinds, split_kinds
from tests.verdict_cases import DAY, _same

ECOG = Atom("ecog", "<=", 1)
# the same reading as one alternative of an OR group: "ECOG 0-1 or Karnofsky >= 80"
ECOG_OR = Atom("ecog", "<=", 1, attributes={"group": 1})
KPS_OR = Atom("karnofsky", ">=", 80, attributes={"group": 1})
BRAIN = Atom("brain_metastases", "present")


def patient(pid: str = "p", **kw: Any) -> PatientProfile:
    base: dict[str, Any] = {
        "id": pid,
        "centre_id": "c",
        "birth_date": date(1960, 1, 1),
        "primary_cancer": "LUAD",
    }
    base.update(kw)
    return PatientProfile(**base)


def inc(*atoms: Atom, index: int = 1, text: str = "inclusion line") -> Criterion:
    return Criterion(Section.INCLUSION, index, text, atoms=atoms)


def exc(*atoms: Atom, index: int = 5, text: str = "exclusion line") -> Criterion:
    return Criterion(Section.EXCLUSION, index, text, atoms=atoms)


def test_the_key_carries_the_part_the_engine_knows_when_it_decides() -> None:
    p = patient(ecog=3)
    with trust.using(None):
        with trust.splitting("form"):
            assert evaluate_criteria([inc(ECOG)], p, DAY)[0].reading == ("inclusion:ecog/plain",)
            grouped = evaluate_criteria([inc(ECOG_OR, KPS_OR)], p, DAY)[0].reading
            assert grouped == ("inclusion:ecog/qualified", "inclusion:karnofsky/qualified")
        with trust.splitting("measure"):
            assert evaluate_criteria([inc(ECOG)], p, DAY)[0].reading == ("inclusion:ecog/measured",)
            breast = evaluate_criteria([inc(Atom("cancer_type", "in", ["BRCA"]))], p, DAY)[0].reading
            assert breast == ("inclusion:cancer_organ/category",)
        with trust.splitting(""):
            assert evaluate_criteria([inc(ECOG)], p, DAY)[0].reading == ("inclusion:ecog",)
    with pytest.raises(ValueError, match="unknown split"), trust.splitting("by-trial"):
        pass


def test_a_line_is_read_whole_only_when_every_content_word_after_the_first_read_one_is_read() -> None:
    whole = Criterion(
        Section.INCLUSION, 1, "ECOG performance status 0-1", atoms=(Atom("ecog", "<=", 1, span=(0, 27)),)
    )
    tail = Criterion(Section.INCLUSION, 1, "ECOG performance status 0-1 confirmed by two physicians",
                     atoms=(Atom("ecog", "<=", 1, span=(0, 27)),))  # fmt: skip
    # words before the first read one lead to it ("Patients must have"); an example in parentheses is no part
    lead = Criterion(Section.INCLUSION, 1, "Patients must have ECOG 0-1 (e.g. ambulatory)",
                     atoms=(Atom("ecog", "<=", 1, span=(19, 27)),))  # fmt: skip
    unnamed = Criterion(Section.EXCLUSION, 2, "Brain metastases or a rare thing",
                        atoms=(Atom("brain_metastases", "present", span=(0, 16)),
                               Atom("non_evaluable", "present", span=(20, 32))))  # fmt: skip
    assert trust.read_whole(whole) and trust.read_whole(lead)
    assert not trust.read_whole(tail) and not trust.read_whole(unnamed)
    assert not trust.read_whole(whole, capped=True)  # an atom's qualifier no atom read
    p = patient(ecog=3)
    with trust.using(None), trust.splitting("read"):
        assert evaluate_criteria([whole], p, DAY)[0].reading == ("inclusion:ecog/whole",)
        assert evaluate_criteria([tail], p, DAY)[0].reading == ("inclusion:ecog/partly",)


def test_a_split_kind_excludes_only_when_its_own_bound_passes() -> None:
    """16 right readings of a plain ECOG line pass the Wilson rule (0.806); 15 of the same kind in an OR group
    do not (0.796): the plain reading excludes, the qualified one of the same kind is held back."""
    from benchmarks.verdicts_trust import table_of, trusted_of

    events = [("inclusion:ecog/plain", "right")] * 16 + [("inclusion:ecog/qualified", "right")] * 15
    table = trusted_of(table_of(events))
    assert table == ["inclusion:ecog/plain"]
    p = patient(ecog=3)
    with trust.splitting("form"), trust.using(table):
        plain = assess_trial([inc(ECOG)], p, DAY)
        grouped = assess_trial([inc(ECOG_OR, KPS_OR)], p, DAY)
    assert plain.verdict is TrialVerdict.EXCLUDED and plain.outcomes[0].outcome is Outcome.VIOLATED
    assert grouped.verdict is not TrialVerdict.EXCLUDED and grouped.outcomes[0].held_back
    # the same table with the kinds unsplit trusts nothing of them; a table naming the kind unsplit trusts
    # every part of it
    with trust.splitting(""), trust.using(table):
        assert assess_trial([inc(ECOG)], p, DAY).verdict is not TrialVerdict.EXCLUDED
    with trust.splitting("form"), trust.using(("inclusion:ecog", "inclusion:karnofsky")):
        assert assess_trial([inc(ECOG_OR, KPS_OR)], p, DAY).outcomes[0].outcome is Outcome.VIOLATED


CRITERIA = [
    inc(Atom("cancer_type", "in", ["LUAD"]), index=1),
    inc(ECOG, index=2),
    inc(ECOG_OR, KPS_OR, index=3),
    exc(BRAIN, index=4),
    exc(Atom("prior_therapy", "present", attributes={"class": "PARP inhibitor"}), index=5),
]
PEOPLE = [
    patient("P-1", ecog=3),
    patient("P-2", ecog=0, primary_cancer="BRCA"),
    patient("P-3", ecog=1, facts=[Fact("metastasis", "brain")]),
    patient("P-4", ecog=2, primary_cancer="LUSC"),
    patient("P-5", ecog=0, facts=[Fact("metastasis", "brain", negated=True)]),
]


@pytest.mark.parametrize("split", [s for s in trust.SPLITS if s])
def test_every_path_agrees_under_each_split_and_each_part_trusted(split: str) -> None:
    kinds = ("inclusion:cancer_organ", "inclusion:cancer_type", "inclusion:ecog", "inclusion:karnofsky",
             "exclusion:brain_metastases", "exclusion:prior_therapy")  # fmt: skip
    with trust.splitting(split):
        for part in trust.SPLITS[split]:
            with trust.using([f"{k}/{part}" for k in kinds]):
                _same(CRITERIA, PEOPLE)
        with trust.using(()):
            _same(CRITERIA, PEOPLE)
            # pre-screening's kinds per held criterion (numpy path) are the per-patient reading, split keys
            batch = PatientBatch.from_profiles(PEOPLE, DAY)
            result = evaluate_trial_over_patients(CRITERIA, batch)
            encoded = held_kinds(CRITERIA, batch, result.held)
            assert result.held is not None and any(encoded)
            for j, p in enumerate(PEOPLE):
                outcomes = evaluate_criteria(CRITERIA, p, DAY)
                assert split_kinds(encoded[j]) == [
                    o.reading for k, o in enumerate(outcomes) if result.held[k, j]
                ]
                assert all("/" in k for kinds_ in split_kinds(encoded[j]) for k in kinds_)


TABLE = {
    "split": "form",
    "split_parts": ["plain", "qualified"],
    "sets": ["set-a"],
    "day": "2026-12-01",
    "commit": "abc1234",
    "kinds": {
        "inclusion:ecog/plain": {"right": 15, "off_topic": 0, "wrong": 0},
        "inclusion:ecog/qualified": {"right": 0, "off_topic": 0, "wrong": 8},
        "exclusion:brain_metastases/plain": {"right": 9, "off_topic": 0, "wrong": 1},
    },
}


def test_the_explanation_says_the_part_and_how_often_its_kind_was_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trust, "shipped_kinds", lambda: TABLE["kinds"])
    p = patient(ecog=3, facts=[Fact("metastasis", "brain")])
    with trust.splitting("form"), trust.using(()):
        held = evaluate_criteria([inc(ECOG)], p, DAY)[0]
        brain = evaluate_criteria([exc(BRAIN)], p, DAY)[0]
    assert held.held_back and held.sentence.endswith(
        "This kind of reading (a plain reading) was right 15 of 15 times on labelled trials, "
        "not enough to exclude on its own: check it."
    )
    assert "was right 9 of 10 times" in brain.sentence and brain.sentence.startswith("Read as applying: ")
    with trust.splitting("form"), trust.using(["inclusion:ecog/plain"]):
        excluded = evaluate_criteria([inc(ECOG)], p, DAY)[0]
    assert excluded.outcome is Outcome.VIOLATED
    assert excluded.sentence.startswith("Excludes on its own: ECOG 3") and excluded.sentence.endswith(
        "This kind of reading (a plain reading) was right 15 of 15 times on labelled trials."
    )
    with trust.splitting("form"), trust.strict():  # the strict engine says nothing of the policy
        assert "labelled trials" not in evaluate_criteria([inc(ECOG)], p, DAY)[0].sentence
    for text in (held.sentence, brain.sentence, excluded.sentence):
        french = say("fr", text)
        assert "a été juste" in french and ("une lecture simple" in french), french
        assert not [u for u in unsaid("fr", text) if "labelled" in u or "plain reading" in u]
    assert "Lu comme non rempli\u00a0: " in say("fr", held.sentence)


def test_odds_read_split_keys_and_the_keys_stored_before_the_split() -> None:
    table = odds.table_from(TABLE)
    assert (table.odds("inclusion:ecog/plain").right, table.odds("inclusion:ecog/plain").events) == (15, 15)
    # a part of the table's split without a row: never measured (the middle)
    assert not table.odds("exclusion:brain_metastases/qualified").measured
    # stored before the split ("inclusion:ecog") or under another split ("inclusion:ecog/whole"): the kind
    # unsplit, its parts summed
    for old in ("inclusion:ecog", "inclusion:ecog/whole"):
        o = table.odds(old)
        assert (o.right, o.events) == (15, 23)
    assert not table.odds("inclusion:exercise").measured
    # an unsplit table (before this change) reads split keys as their kind
    flat = odds.table_from({"kinds": {"inclusion:ecog": {"right": 14, "wrong": 8}}})
    assert (flat.odds("inclusion:ecog/plain").right, flat.odds("inclusion:ecog/plain").events) == (14, 22)
    # the order of the "probably not" tab: the usually-wrong qualified reading first
    assert odds.place_key("inclusion:ecog/qualified", 1, table) < odds.place_key(
        "inclusion:ecog/plain", 1, table
    )
    assert odds.place_key("inclusion:ecog", 1, table) < odds.place_key("inclusion:ecog/plain", 1, table)
    rows = odds.held_back("inclusion:ecog/plain", [{"section": "inclusion", "text": "ECOG 0-1"}], table)
    kind = rows[0]["kinds"][0]
    assert (kind["reading"], kind["part"], kind["origin"]) == ("ecog", "plain", "inclusion")
    en, fr = held_back_said(translator("en"), rows[0]), held_back_said(translator("fr"), rows[0])
    assert "a plain reading" in en and "une lecture simple" in fr, (en, fr)


def test_the_split_chosen_by_the_rule() -> None:
    from benchmarks.verdicts_splits import choose

    def sc(balanced: float, kept: tuple[float, float]) -> dict[str, Any]:
        return {"balanced": balanced, "ci": {"eligible_kept": kept}}

    today = sc(0.50, (0.94, 0.99))
    # the best balanced accuracy whose eligible-kept interval overlaps today's
    assert choose({"": today, "a": sc(0.56, (0.80, 0.90)), "b": sc(0.52, (0.95, 1.0))}) == "b"
    # none above today's: nothing ships
    assert choose({"": today, "a": sc(0.50, (0.95, 1.0)), "b": sc(0.49, (0.95, 1.0))}) == ""


def test_every_part_word_is_said_in_french() -> None:
    from oncofed.presenters.engine_words import READING_PARTS

    assert set(READING_PARTS.values()) == set(trust.PART_WORDS.values())
    assert {p for parts in trust.SPLITS.values() for p in parts if p} == set(trust.PART_WORDS)
    fr = translator("fr")
    assert all(fr.gettext(w) != w for w in READING_PARTS.values())
