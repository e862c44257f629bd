"""Property tests: whatever rows arrive, each is accepted or rejected with a reason, never lost;
the indicator SQL renders for Spark with only Spark functions."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.quality import engine
from oncofed.quality.events import EVENT_TYPES, REJECT_REASONS
from oncofed.quality.indicators import events_sql, indicator_sql, load_indicators, pathways_sql, surveys_sql

text = st.one_of(st.none(), st.text(max_size=12))
rows = st.lists(
    st.fixed_dictionaries(
        {
            "patient_id": st.one_of(st.sampled_from(["P1", "P2", "P3"]), text),
            "centre_id": st.one_of(st.just("C1"), text),
            "event": st.one_of(st.sampled_from(EVENT_TYPES), text),
            "event_date": st.one_of(
                st.dates().map(str), st.sampled_from(["2025-02-30", "01/02/2025", ""]), text
            ),
            "detail": text,
            "value": st.one_of(
                st.floats(allow_nan=False, width=32).map(str), st.sampled_from(["abc", ""]), st.none()
            ),
        }
    ),
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_every_row_is_either_accepted_or_rejected_with_a_known_reason(batch: list[dict]) -> None:
    con = engine.connect(threads=1)
    table = (
        pa.table({k: pa.array([r[k] for r in batch], pa.string()) for k in batch[0]})
        if batch
        else pa.table(
            {
                k: pa.array([], pa.string())
                for k in ("patient_id", "centre_id", "event", "event_date", "detail", "value")
            }
        )
    )
    con.register("incoming", table)
    engine.register_raw(con, "SELECT * FROM incoming")
    known = pa.table({"patient_id": ["P1", "P2"], "centre_id": ["C1", "C1"]})
    checked = engine.validate(con, known, ["C1"])
    assert checked.total == len(batch)
    assert checked.accepted + len(checked.rejected) == len(batch)
    assert {r["reason"] for r in checked.rejected} <= set(REJECT_REASONS)
    assert all(r["detail"] for r in checked.rejected)


def test_indicator_sql_renders_for_spark_without_duckdb_only_functions() -> None:
    parts = [events_sql("spark"), pathways_sql("spark"), surveys_sql("spark")]
    parts += [indicator_sql(ind, "spark", "2025-01", "2025-12", "quarter") for ind in load_indicators()]
    sql = "\n".join(parts)
    for duckdb_only in ("quantile_cont", "strftime", "date_diff(", "::", "GROUP BY ALL"):
        assert duckdb_only not in sql
    assert "percentile(x, 0.5)" in sql and "datediff(event_date, DATE '1970-01-01')" in sql
    assert "GROUPING SETS" in sql
