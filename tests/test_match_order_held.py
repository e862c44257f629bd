"""The match page lists a trial's criteria most decisive first: a criterion read as not met but held back by
the decision policy ("probably not met — check") comes right after the violated ones, before the other
unknowns (it was among them, after the data to check that came first in the trial's text)."""

from __future__ import annotations

from oncofed.domain.criteria import Criterion, Section
from oncofed.domain.matching import CriterionOutcome, Outcome
from oncofed.presenters.matching import _order


def _outcome(i: int, outcome: Outcome, **kw: bool) -> CriterionOutcome:
    return CriterionOutcome(Criterion(Section.INCLUSION, i, f"criterion {i}"), outcome, **kw)


def test_held_back_readings_come_before_the_other_unknowns() -> None:
    outcomes = [
        _outcome(0, Outcome.SATISFIED),
        _outcome(1, Outcome.UNKNOWN, investigator=True),
        _outcome(2, Outcome.UNKNOWN),
        _outcome(3, Outcome.UNKNOWN, held_back=True),
        _outcome(4, Outcome.NOT_APPLICABLE),
        _outcome(5, Outcome.VIOLATED),
    ]
    assert [o.criterion.index for o in _order(outcomes)] == [5, 3, 2, 1, 0, 4]
