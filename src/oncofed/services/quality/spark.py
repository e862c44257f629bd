"""The quality indicators on Spark SQL: the same definitions (`quality/indicators.py`: the YAML
indicators and their portable SQL, dialect "spark") over Parquet, for a network whose events
outgrow one machine. `oncofed quality compute --engine spark` selects it.

Spark reads events that already passed the importer's checks (the store's events, which
`export_store_events` writes to Parquet, or a warehouse table built from them): the row checks
themselves (quality/engine.py) run in DuckDB at import. A file with rows no check would have let
through (an unknown event type, no patient, no centre or no date) is refused, naming the file
and the count, rather than computed.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from oncofed.errors import N_, NN_, InputError
from oncofed.quality.analysis import MIN_PUBLISHED, analyse
from oncofed.quality.engine import shift_month
from oncofed.quality.events import COLUMNS, EVENT_TYPES
from oncofed.quality.funnel import mean_ci
from oncofed.quality.indicators import (
    Indicator,
    events_sql,
    indicator_sql,
    load_indicators,
    pathways_sql,
    surveys_sql,
)
from oncofed.services.quality.indicators import QualityRun, load_store_events, reject_summary
from oncofed.store.db import Database

SURVEY_SQL = (
    "SELECT centre_id, item, COUNT(*) AS n, AVG(score) AS mean, stddev_samp(score) AS sd FROM surveys "
    "WHERE month >= '{first}' AND month <= '{last}' GROUP BY GROUPING SETS ((centre_id, item), (item))"
)


def export_store_events(db: Database, path: Path) -> int:
    """Write the store's (validated) events to a Parquet file; returns the number of rows."""
    table = load_store_events(db)
    pq.write_table(table, path)
    return int(table.num_rows)


def register_events(spark: Any, path: Path | str) -> int:
    """Read the Parquet events as the view `clean_events`, after checking they are clean."""
    if (
        "://" not in str(path) and not Path(path).exists()
    ):  # a cluster URI (hdfs://, s3a://) is Spark's to find
        raise InputError(
            N_("file not found"), file=str(path), fix=N_("check the path"), code="file.not_found"
        )
    df = spark.read.parquet(str(path))
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            NN_("missing column %(columns)s", "missing columns %(columns)s"),
            file=str(path),
            field=missing[0],
            fix=N_("the file must hold %(expected)s"),
            code="quality.missing_columns",
            params={"num": len(missing), "columns": list(missing), "expected": list(COLUMNS)},
        )
    df.select(*COLUMNS).createOrReplaceTempView("clean_events")
    types = ", ".join(f"'{t}'" for t in EVENT_TYPES)
    bad, total = spark.sql(
        "SELECT SUM(CASE WHEN patient_id IS NULL OR centre_id IS NULL OR event_date IS NULL "
        f"OR event IS NULL OR event NOT IN ({types}) THEN 1 ELSE 0 END), COUNT(*) FROM clean_events"
    ).collect()[0]
    if bad:
        raise InputError(
            NN_(
                "%(num)s row of %(total)s lacks a patient, centre or date, or has an unknown event type",
                "%(num)s rows of %(total)s lack a patient, centre or date, or have an unknown event type",
            ),
            file=str(path),
            fix=N_(
                "import the file with `oncofed quality import` (every bad row reported), then compute "
                "over the store, or use the DuckDB engine, which checks each row"
            ),
            code="quality.spark_bad_rows",
            params={"num": bad, "total": total},
        )
    return int(total)


def prepare_pathways(spark: Any) -> None:
    """`ev`, `pathways` (cached: every indicator reads it) and `surveys`, as in quality/engine.py."""
    spark.sql(events_sql("spark", "clean_events")).createOrReplaceTempView("ev")
    spark.sql(pathways_sql("spark")).cache().createOrReplaceTempView("pathways")
    spark.sql(surveys_sql("spark", "clean_events")).cache().createOrReplaceTempView("surveys")


def latest_month(spark: Any) -> str | None:
    value = spark.sql("SELECT MAX(month) FROM pathways").collect()[0][0]
    return str(value) if value else None


def aggregate(
    spark: Any, ind: Indicator, period_from: str, period_to: str, trend: str = "month"
) -> list[dict[str, Any]]:
    """One indicator's rows (the columns of `indicator_sql`), like `quality.engine.aggregate`."""
    rows = spark.sql(indicator_sql(ind, "spark", period_from, period_to, trend)).collect()
    return [_plain(r.asDict()) for r in rows]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """Spark's Decimal/int widths as DuckDB's Python values (ints stay ints, sums of doubles floats)."""
    out = {}
    for key, value in row.items():
        if key in ("n", "k", "g_centre", "g_period") and value is not None:
            value = int(value)
        out[key] = value
    return out


def compute_on_spark(
    spark: Any,
    path: Path | str,
    *,
    source: str | None = None,
    trend: str = "month",
    adjustment: str = "auto",
    period_to: str | None = None,
    months: int = 12,
    centre_ids: list[str] | None = None,
    rejects: dict[str, Any] | None = None,
    indicators: tuple[Indicator, ...] | None = None,
) -> QualityRun:
    """Every indicator over the Parquet events at `path`, on Spark (same QualityRun as DuckDB's)."""
    spark.catalog.clearCache()  # the previous run's pathways
    events = register_events(spark, path)
    prepare_pathways(spark)
    last = period_to or latest_month(spark) or date.today().strftime("%Y-%m")
    first = shift_month(last, -(months - 1))
    results = [
        analyse(ind, aggregate(spark, ind, first, last, trend), first, last, trend, adjustment, centre_ids)
        for ind in (indicators or load_indicators())
    ]
    surveys = {}
    for r in spark.sql(SURVEY_SQL.format(first=first, last=last)).collect():
        n, mean, sd = int(r["n"]), float(r["mean"]), float(r["sd"] or 0.0)
        low, high = mean_ci(mean, sd, n)
        surveys[(r["centre_id"] or "", str(r["item"]))] = {
            "n": n,
            "mean": mean,
            "ci_low": None if n < 2 else low,
            "ci_high": None if n < 2 else high,
            "published": n >= MIN_PUBLISHED,
        }
    return QualityRun(
        source or str(path),
        first,
        last,
        trend,
        results,
        rejects or {"total": 0, "reasons": []},
        events,
        surveys,
    )


def compute_store_on_spark(
    db: Database, spark: Any, trend: str = "month", adjustment: str = "auto"
) -> QualityRun:
    """The store's events on Spark (written to a Parquet snapshot first): the twin of
    `compute_over_store`, for checking a cluster set-up against the DuckDB figures."""
    with tempfile.TemporaryDirectory(prefix="oncofed-spark-") as tmp:
        path = Path(tmp) / "events.parquet"
        export_store_events(db, path)
        return compute_on_spark(
            spark, path, source="store", trend=trend, adjustment=adjustment, rejects=reject_summary(db)
        )
