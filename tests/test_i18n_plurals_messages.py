"""Count messages of the importers and services said in the singular or the plural (gettext's
`ngettext`), never with "(s)": a missing column or columns of a CSV file, an unknown field or fields of a
grid proposal, the problems of a pay grid."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from oncofed.errors import InputError
from oncofed.ingest.tabular import rows
from oncofed.workforce.grid import GridProblems
from oncofed.workforce.proposals import parse_proposal


def _error(call: Any, *args: Any) -> str:
    with pytest.raises(InputError) as err:
        list(call(*args))
    message = str(err.value)
    assert "(s)" not in message
    return message


@pytest.mark.parametrize(
    ("header", "words"),
    [("a,b\n1,2\n", "missing column c (found: a, b)"), ("a\n1\n", "missing columns b, c (found: a)")],
)
def test_a_csv_file_names_its_missing_column_or_columns(header: str, words: str) -> None:
    assert words in _error(rows, header, "in.csv", ("a", "b", "c"))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"kind": "x", "colour": 1}, "unknown field colour"),
        ({"hue": 1, "tone": 2}, "unknown fields hue, tone"),
    ],
)
def test_a_proposal_names_its_unknown_field_or_fields(change: dict[str, Any], words: str) -> None:
    doc = {"name": "p", "effective": date(2027, 1, 1), "changes": [change]}
    assert words in _error(parse_proposal, doc, "p.yaml")


@pytest.mark.parametrize(
    ("count", "words"), [(1, "1 problem in the grid: "), (3, "3 problems in the grid: ")]
)
def test_a_pay_grid_counts_its_problems(count: int, words: str) -> None:
    problems = GridProblems("grid.yaml")
    for i in range(count):
        problems.add(f"levels[{i}]", "coefficient", "must be a number")

    def check() -> list[None]:
        problems.raise_if_any("correct the grid")
        return []

    assert f": {words}levels[0]" in _error(check)
