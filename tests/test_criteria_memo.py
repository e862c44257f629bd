"""The parser's memo of criterion atoms (`parser._ATOMS_MEMO`): a criterion seen before gives the
same atoms as a fresh parse, a lead-in heading is part of the key, and the memo stays bounded."""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility, parser


def _atoms(text: str) -> list[list[tuple[object, ...]]]:
    return [
        [(a.kind, a.operator, a.value, a.code, a.span, a.negated, a.attributes) for a in c.atoms]
        for c in parse_eligibility(text).criteria
    ]


TRIAL = """Inclusion Criteria:

  - Age 18 years or older
  - ECOG performance status 0-1
  - Not pregnant or nursing
  - Platelets >= 100,000/mm^3

Exclusion Criteria:

  - Known active brain metastases
  - Prior treatment with a PD-1 inhibitor
"""


def test_memo_hit_equals_fresh_parse() -> None:
    parser._ATOMS_MEMO.clear()
    fresh = _atoms(TRIAL)
    assert any(fresh), "the trial must give atoms for the comparison to mean anything"
    assert len(parser._ATOMS_MEMO) == 6
    again = _atoms(TRIAL)  # every criterion now comes from the memo
    assert again == fresh
    parser._ATOMS_MEMO.clear()
    assert _atoms(TRIAL) == fresh


def test_heading_is_part_of_the_key() -> None:
    parser._ATOMS_MEMO.clear()
    # "18 years and over" under an "Age:" lead-in is an age threshold; on its own it says nothing
    under = parse_eligibility("Inclusion Criteria:\n\nAge:\n\n  - 18 years and over\n").criteria[-1]
    alone = parse_eligibility("Inclusion Criteria:\n\n  - 18 years and over\n").criteria[-1]
    assert [(a.kind, a.operator, a.value) for a in under.atoms] == [("age", ">=", 18.0)]
    assert alone.atoms == ()
    # and in the other order, with the bare text memoised first
    parser._ATOMS_MEMO.clear()
    alone = parse_eligibility("Inclusion Criteria:\n\n  - 18 years and over\n").criteria[-1]
    under = parse_eligibility("Inclusion Criteria:\n\nAge:\n\n  - 18 years and over\n").criteria[-1]
    assert alone.atoms == () and [a.kind for a in under.atoms] == ["age"]


def test_memo_is_bounded_and_evicts_oldest(monkeypatch: pytest.MonkeyPatch) -> None:
    parser._ATOMS_MEMO.clear()
    monkeypatch.setattr(parser, "ATOMS_MEMO_SIZE", 3)
    fresh = _atoms(TRIAL)
    assert len(parser._ATOMS_MEMO) == 3
    # the three kept are the last three criteria of the trial
    assert [k[0] for k in parser._ATOMS_MEMO] == [
        "Platelets >= 100,000/mm^3",
        "Known active brain metastases",
        "Prior treatment with a PD-1 inhibitor",
    ]
    assert _atoms(TRIAL) == fresh
    parser._ATOMS_MEMO.clear()


def test_memo_shared_by_threads_stays_bounded_and_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    parser._ATOMS_MEMO.clear()
    monkeypatch.setattr(parser, "ATOMS_MEMO_SIZE", 4)
    fresh = _atoms(TRIAL)
    texts = [TRIAL.replace("18 years", f"{18 + k} years") for k in range(30)]
    errors: list[BaseException] = []

    def work(chunk: list[str]) -> None:
        try:
            for text in chunk:
                parse_eligibility(text)
            assert _atoms(TRIAL) == fresh
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(texts[k::3],)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(parser._ATOMS_MEMO) <= 4
    parser._ATOMS_MEMO.clear()


def test_memo_size_zero_stores_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    parser._ATOMS_MEMO.clear()
    monkeypatch.setattr(parser, "ATOMS_MEMO_SIZE", 0)
    fresh = _atoms(TRIAL)
    assert len(parser._ATOMS_MEMO) == 0 and _atoms(TRIAL) == fresh
