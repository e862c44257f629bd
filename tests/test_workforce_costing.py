"""Pay grid, proposals, costing and the grid minimum on a small grid costed by hand (issue 21)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.domain.workforce import StaffRecord
from oncofed.errors import InputError
from oncofed.workforce.costing import StaffColumns, below_minimum, cost_proposal, grid_pay_monthly
from oncofed.workforce.grid import grid_document, parse_grid
from oncofed.workforce.proposals import apply_proposal, parse_proposal

GRID = {
    "name": "hand grid",
    "employer_rate": 0.40,
    "families": [{"code": "NUR", "en": "Nurses", "fr": "Infirmiers"}],
    "point_values": [{"value": 5.0, "from": "2024-01-01"}],
    "levels": [{"family": "NUR", "from": "2024-01-01", "coefficients": {"N1": 400, "N2": 500}}],
    "steps": [{"family": "*", "from": "2024-01-01", "points": {5: 20}}],
    "allowances": [{"code": "ONCO", "family": "NUR", "kind": "monthly", "value": 50, "from": "2024-01-01"}],
}
STAFF = [
    StaffRecord("s1", "A", "NUR", "N1", date(2020, 6, 15), 1.0, 1990.0),
    StaffRecord("s2", "A", "NUR", "N2", date(2010, 1, 1), 0.5, 1300.0),
    StaffRecord("s3", "B", "NUR", "N1", date(2024, 1, 1), 0.8, 1600.0),
]


def by_centre(result):  # type: ignore[no-untyped-def]
    out: dict[str, tuple[float, float]] = {}
    for ln in result.lines:
        g, e = out.get(ln.centre_id, (0.0, 0.0))
        out[ln.centre_id] = (g + ln.gross_delta, e + ln.employer_delta)
    return out


def test_one_percent_on_the_point_costed_by_hand() -> None:
    """+1% on a 5.00 point from 2025-01-01: (coefficient + step) x 0.05 per month x FTE.
    s1 reaches 5 years on 2025-06-15: 6 months at 400 points then 6 at 420 -> 120 + 126 = 246;
    s2 (15 years, half time): 520 x 0.05 x 12 x 0.5 = 156; s3 (1 year, 0.8): 400 x 0.05 x 12 x 0.8 = 192.
    Employer contributions 40%: A 402 + 160.80, B 192 + 76.80."""
    grid = parse_grid(GRID, "hand")
    proposal = parse_proposal(
        {"name": "+1%", "effective": "2025-01-01", "changes": [{"kind": "point_value", "percent": 1}]}
    )
    result = cost_proposal(grid, StaffColumns.from_records(STAFF), proposal)
    costs = by_centre(result)
    assert costs["A"] == pytest.approx((402.0, 160.8))
    assert costs["B"] == pytest.approx((192.0, 76.8))
    assert sum(ln.total for ln in result.lines) == pytest.approx((402 + 192) * 1.4)
    s1_baseline = 6 * (400 * 5 + 50) + 6 * (420 * 5 + 50)
    a = [ln for ln in result.lines if ln.centre_id == "A"][0]
    assert a.baseline_gross == pytest.approx(s1_baseline + 12 * (520 * 5 + 50) * 0.5)
    assert result.employer_rate == 0.40 and result.window_end == date(2026, 1, 1)


def test_new_allowance_and_employer_rate_override() -> None:
    grid = parse_grid(GRID, "hand")
    proposal = parse_proposal(
        {
            "name": "allowance",
            "effective": "2025-01-01",
            "employer_rate": 0.5,
            "changes": [
                {
                    "kind": "allowance",
                    "code": "NEW",
                    "family": "NUR",
                    "allowance_kind": "monthly",
                    "value": 30,
                }
            ],
        }
    )
    costs = by_centre(cost_proposal(grid, StaffColumns.from_records(STAFF), proposal))
    assert costs["A"] == pytest.approx((30 * 12 * 1.5, 30 * 12 * 1.5 * 0.5))
    assert costs["B"] == pytest.approx((30 * 12 * 0.8, 30 * 12 * 0.8 * 0.5))


def test_moved_step_costs_only_the_months_it_changes() -> None:
    """The 5-year step moved to 4 years from 2025-01-01: s1 (4 years on that day) gets 20 points
    6 months earlier: 6 x 20 x 5.00 = 600; s2 already past it, s3 far from it: 0."""
    grid = parse_grid(GRID, "hand")
    proposal = parse_proposal(
        {
            "name": "move",
            "effective": "2025-01-01",
            "changes": [{"kind": "move_step", "family": "*", "after_years": 5, "to_years": 4}],
        }
    )
    costs = by_centre(cost_proposal(grid, StaffColumns.from_records(STAFF), proposal))
    assert costs["A"][0] == pytest.approx(600.0)
    assert costs["B"][0] == pytest.approx(0.0)


def test_grid_in_force_on_a_date_and_round_trip() -> None:
    doc = dict(
        GRID,
        point_values=[
            {"value": 4.9, "from": "2023-01-01", "to": "2023-12-31"},
            {"value": 5.0, "from": "2024-01-01"},
        ],
        levels=[{"family": "NUR", "from": "2023-01-01", "coefficients": {"N1": 400, "N2": 500}}],
    )
    grid = parse_grid(doc, "hand")
    assert grid.point_value_on(date(2023, 6, 1)) == 4.9 and grid.point_value_on(date(2024, 6, 1)) == 5.0
    assert grid.point_value_on(date(2022, 6, 1)) is None
    assert parse_grid(grid_document(grid), "again") == grid
    pay = grid_pay_monthly(grid, StaffColumns.from_records(STAFF[:1]), date(2023, 6, 1))
    assert pay[0] == pytest.approx(400 * 4.9)  # the allowance and the step start in 2024
    pay = grid_pay_monthly(grid, StaffColumns.from_records(STAFF[:1]), date(2025, 7, 1))
    assert pay[0] == pytest.approx((400 + 20) * 5.0 + 50)


def test_overlapping_effective_dates_are_refused_with_both_periods_named() -> None:
    doc = dict(
        GRID,
        point_values=[
            {"value": 4.9, "from": "2023-01-01", "to": "2024-03-31"},
            {"value": 5.0, "from": "2024-01-01"},
        ],
    )
    with pytest.raises(InputError) as err:
        parse_grid(doc, "grid.yaml")
    message = str(err.value)
    assert (
        "grid.yaml" in message
        and "2023-01-01..2024-03-31" in message
        and "2024-01-01.." in message
        and "overlap" in message
    )


def test_bad_grid_values_are_all_reported() -> None:
    doc = dict(
        GRID,
        levels=[{"family": "XXX", "from": "2024-01-01", "coefficients": {"N1": -3}}],
        point_values=[{"value": 0, "from": "soon"}],
    )
    with pytest.raises(InputError) as err:
        parse_grid(doc, "g")
    message = str(err.value)
    assert "unknown family 'XXX'" in message and "not a date" in message and "must be > 0" in message


def test_proposal_errors_name_the_change() -> None:
    grid = parse_grid(GRID, "hand")
    with pytest.raises(InputError, match=r"changes\[0\].*unknown kind"):
        parse_proposal({"name": "x", "effective": "2025-01-01", "changes": [{"kind": "bonus"}]}, "p.yaml")
    with pytest.raises(InputError, match="no step after 7 years"):
        apply_proposal(
            grid,
            parse_proposal(
                {
                    "name": "x",
                    "effective": "2025-01-01",
                    "changes": [{"kind": "move_step", "after_years": 7, "to_years": 6}],
                }
            ),
        )
    with pytest.raises(InputError, match="allowance_kind"):
        apply_proposal(
            grid,
            parse_proposal(
                {
                    "name": "x",
                    "effective": "2025-01-01",
                    "changes": [{"kind": "allowance", "code": "Z", "value": 3}],
                }
            ),
        )


def test_unknown_level_in_costing_is_an_error_not_a_zero() -> None:
    grid = parse_grid(GRID, "hand")
    staff = StaffColumns.from_records([StaffRecord("s9", "A", "NUR", "N7", date(2020, 1, 1), 1.0, 2000.0)])
    with pytest.raises(InputError, match="N7"):
        grid_pay_monthly(grid, staff, date(2025, 1, 1))


def test_grid_minimum_flags_only_pay_under_it() -> None:
    """Minimum on 2025-01-01 = (coefficient + step) x 5.00 x FTE: s1 2000 (paid 1990: flagged),
    s2 1300 (paid exactly that), s3 1600 (paid exactly that)."""
    grid = parse_grid(GRID, "hand")
    under, minimum = below_minimum(grid, StaffColumns.from_records(STAFF), date(2025, 1, 1))
    assert under.tolist() == [True, False, False]
    assert minimum.tolist() == pytest.approx([2000.0, 1300.0, 1600.0])


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200)
    | st.builds(
        lambda d: f"name: x\neffective: {d}\nchanges:\n  - {{kind: point_value, percent: 1}}\n",
        st.text(max_size=12),
    )
)
def test_any_proposal_text_gives_a_proposal_or_a_clear_error(text: str) -> None:
    from oncofed.services.workforce.costing import proposal_from_text

    try:
        apply_proposal(parse_grid(GRID, "hand"), proposal_from_text(text, "fuzz.yaml"))
    except InputError as exc:
        assert "fuzz.yaml" in str(exc) or "hand" in str(exc)
