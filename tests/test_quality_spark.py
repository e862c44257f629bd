"""The indicator definitions run unchanged on Spark SQL (issue 22): every indicator computed by
DuckDB and by Spark (local mode) from the same Parquet events, compared exactly.

pyspark is the optional extra `[spark]` (a 450 MB install with a JVM): without it these tests skip
and say so; CI installs it (see docs/OPERATIONS.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from oncofed.errors import InputError
from oncofed.presenters.quality import result_json
from oncofed.quality import engine
from oncofed.quality.indicators import load_indicators
from oncofed.services.network.centres import network_centres
from oncofed.services.operations.spark import spark_available
from oncofed.services.quality.indicators import compute_over_table
from oncofed.synthetic.quality_events import generate_network

pytestmark = pytest.mark.skipif(
    not spark_available(), reason="pyspark not installed: pip install -e '.[spark]' (needs Java 17)"
)


@pytest.fixture(scope="module")
def spark() -> Any:
    from oncofed.services.operations.spark import spark_session

    session = spark_session("local[2]", "oncofed-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> tuple[pa.Table, Path]:
    table, _ = generate_network(30_000, [c.id for c in network_centres()], seed=11)
    path = tmp_path_factory.mktemp("spark") / "events.parquet"
    pq.write_table(table, path)
    return table, path


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in ("g_centre", "g_period", "centre_id", "period", "excluded_by"))


@pytest.mark.parametrize("trend", ["month", "quarter"])
def test_every_indicator_gives_the_same_rows_on_duckdb_and_spark(
    spark: Any, events: tuple[pa.Table, Path], trend: str
) -> None:
    from oncofed.services.quality import spark as on_spark

    table, path = events
    con = engine.connect()
    con.register("clean_events", table)
    engine.prepare_pathways(con)
    on_spark.register_events(spark, path)
    on_spark.prepare_pathways(spark)
    last = engine.latest_month(con)
    assert last is not None and on_spark.latest_month(spark) == last
    first = engine.shift_month(last, -11)
    for ind in load_indicators():
        duck = sorted(engine.aggregate(con, ind, first, last, trend), key=_key)
        sprk = sorted(on_spark.aggregate(spark, ind, first, last, trend), key=_key)
        assert len(duck) > 20, ind.id
        assert duck == sprk, f"{ind.id}: the engines disagree"  # exactly: counts, sums, medians, quartiles


def test_the_analysed_results_are_the_same(spark: Any, events: tuple[pa.Table, Path]) -> None:
    from oncofed.services.quality.spark import compute_on_spark

    table, path = events
    duck = compute_over_table(table, source="x")
    sprk = compute_on_spark(spark, path, source="x")
    assert (duck.period_from, duck.period_to, duck.events) == (sprk.period_from, sprk.period_to, sprk.events)
    assert [result_json(r, {}) for r in duck.results] == [result_json(r, {}) for r in sprk.results]
    assert duck.survey_items.keys() == sprk.survey_items.keys()
    for key, d in duck.survey_items.items():  # standard deviations: two summation orders, 1e-12 apart
        s = sprk.survey_items[key]
        assert (d["n"], d["mean"], d["published"]) == (s["n"], s["mean"], s["published"])
        assert d["ci_low"] == pytest.approx(s["ci_low"], rel=1e-12, abs=1e-12)


def test_spark_refuses_events_no_check_would_have_let_through(spark: Any, tmp_path: Path) -> None:
    from oncofed.services.quality.spark import register_events

    table, _ = generate_network(2_000, ["curie", "gustave-roussy"], seed=3)
    bad = table.cast(
        pa.schema([(f.name, pa.string() if f.name == "event" else f.type) for f in table.schema])
    )
    events = bad.column("event").to_pylist()
    events[5] = "teleportation"
    bad = bad.set_column(bad.schema.get_field_index("event"), "event", pa.array(events, pa.string()))
    path = tmp_path / "dirty.parquet"
    pq.write_table(bad, path)
    with pytest.raises(InputError, match="1 of .* rows .* unknown event type") as exc:
        register_events(spark, path)
    assert str(path) in str(exc.value)


def test_cli_engine_flag_gives_the_same_json(spark: Any, events: tuple[pa.Table, Path]) -> None:
    import json

    from typer.testing import CliRunner

    from oncofed.cli import app

    _, path = events
    runner = CliRunner()
    outputs = {}
    for name in ("duckdb", "spark"):
        out = runner.invoke(app, ["quality", "compute", "--parquet", str(path), "--engine", name, "--json"])
        assert out.exit_code == 0, out.output
        outputs[name] = json.loads(out.output)
    assert outputs["duckdb"] == outputs["spark"] and len(outputs["spark"]) == len(load_indicators())
