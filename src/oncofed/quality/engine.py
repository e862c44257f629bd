"""DuckDB execution: validate raw events (every rejected row with its reason), build per-patient
pathways, and aggregate every indicator per centre, period and exclusion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from oncofed.quality.events import EVENT_TYPES, SURVEY_MAX, SURVEY_MIN, TREATMENT_EVENTS
from oncofed.quality.indicators import Indicator, events_sql, indicator_sql, pathways_sql, surveys_sql

EXAMPLES_PER_REASON = 5


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


VALIDATE_SQL = f"""
CREATE OR REPLACE TEMP TABLE checked AS
WITH typed AS (
  SELECT row_number, stored, patient_id, centre_id, event, event_date_raw, detail, value_raw,
         TRY_CAST(event_date_raw AS DATE) AS event_date, TRY_CAST(value_raw AS DOUBLE) AS value
  FROM raw_events
), dups AS (
  -- hash aggregation (cheaper than a window over every row): the first row of each repeated key
  SELECT patient_id, event, event_date, coalesce(detail, '') AS d, coalesce(value, -1) AS v,
         MIN(row_number) AS first_row  -- stored rows are numbered -1: they come first
  FROM typed GROUP BY ALL HAVING COUNT(*) > 1
), first_pass AS (
  SELECT t.*,
    CASE
      WHEN t.event IS NULL OR t.event NOT IN ({_in_list(EVENT_TYPES)}) THEN 'invalid_value'
      WHEN t.event_date IS NULL THEN 'invalid_value'
      WHEN t.value IS NULL AND t.value_raw IS NOT NULL AND trim(CAST(t.value_raw AS VARCHAR)) <> ''
        THEN 'invalid_value'
      WHEN t.patient_id IS NULL OR (NOT $skip_patients AND kp.patient_id IS NULL) THEN 'unknown_patient'
      WHEN t.centre_id IS NULL OR (NOT $skip_centres AND kc.centre_id IS NULL) THEN 'unknown_centre'
      WHEN dp.first_row IS NOT NULL AND dp.first_row <> t.row_number THEN 'duplicate'
      WHEN t.event = 'survey' AND (t.value IS NULL OR t.value < {SURVEY_MIN} OR t.value > {SURVEY_MAX})
        THEN 'survey_out_of_range'
    END AS reason
  FROM typed t
  LEFT JOIN (SELECT DISTINCT patient_id FROM known_patients) kp ON kp.patient_id = t.patient_id
  LEFT JOIN (SELECT DISTINCT centre_id FROM known_centres) kc ON kc.centre_id = t.centre_id
  LEFT JOIN dups dp ON dp.patient_id = t.patient_id AND dp.event = t.event AND dp.event_date = t.event_date
    AND dp.d = coalesce(t.detail, '') AND dp.v = coalesce(t.value, -1)
), bounds AS (
  SELECT patient_id,
    MIN(CASE WHEN event = 'diagnosis' THEN event_date END) AS diagnosis_date,
    MIN(CASE WHEN event = 'death' THEN event_date END) AS death_date
  FROM first_pass WHERE reason IS NULL GROUP BY patient_id
)
SELECT f.row_number, f.stored, f.patient_id, f.centre_id, f.event, f.event_date,
  f.event_date_raw, f.detail, f.value, f.value_raw,
  COALESCE(f.reason,
    CASE
      WHEN f.event IN ({_in_list(TREATMENT_EVENTS)}) AND f.event_date < b.diagnosis_date THEN 'negative_delay'
      WHEN f.event <> 'diagnosis' AND f.event_date < b.diagnosis_date THEN 'dates_out_of_order'
      WHEN f.event <> 'death' AND f.event_date > b.death_date THEN 'dates_out_of_order'
    END) AS reason,
  b.diagnosis_date, b.death_date
FROM first_pass f LEFT JOIN bounds b ON b.patient_id = f.patient_id
"""

DETAIL_SQL = """
CASE reason
  WHEN 'invalid_value' THEN 'event ' || coalesce(event, '(empty)') || ', date ' || coalesce(event_date_text, '(empty)')
       || ', value ' || coalesce(value_text, '(empty)') || ': unknown event type, unreadable date or value'
  WHEN 'unknown_patient' THEN 'patient ' || coalesce(patient_id, '(empty)') || ' is not in the store'
  WHEN 'unknown_centre' THEN 'centre ' || coalesce(centre_id, '(empty)') || ' is not a centre of the network'
  WHEN 'duplicate' THEN 'same patient, event, date, detail and value as an earlier row'
  WHEN 'survey_out_of_range' THEN 'survey score ' || coalesce(value_text, '(empty)') || ' outside 0-100'
  WHEN 'negative_delay' THEN event || ' on ' || CAST(event_date AS VARCHAR) || ' is before diagnosis on '
       || CAST(diagnosis_date AS VARCHAR)
  WHEN 'dates_out_of_order' THEN event || ' on ' || CAST(event_date AS VARCHAR) || ' is '
       || CASE WHEN event_date < diagnosis_date THEN 'before diagnosis on ' || CAST(diagnosis_date AS VARCHAR)
               ELSE 'after death on ' || CAST(death_date AS VARCHAR) END
  ELSE '' END
"""


@dataclass
class Validation:
    """Outcome of checking a batch: the number of accepted rows (view `accepted_events` in the
    connection) and every rejected row with its reason."""

    total: int
    accepted: int
    rejected: list[dict[str, Any]]
    counts: dict[str, int] = field(default_factory=dict)
    checks_skipped: list[str] = field(default_factory=list)


def validate(
    con: duckdb.DuckDBPyConnection,
    known_patients: pa.Table | None,
    known_centres: list[str] | None,
    keep_rejected_rows: int | None = None,
) -> Validation:
    """Check the `raw_events` relation already registered in `con` (all columns as text, plus
    `row_number` and `stored`: rows already in the store take part in duplicate and date checks
    but are never reported). Returns accepted new rows and rejected new rows."""
    skipped = []
    if known_patients is None:
        known_patients = pa.table({"patient_id": pa.array([], pa.string())})
        skipped.append("unknown_patient")
    if known_centres is None:
        known_centres = []
        skipped.append("unknown_centre")
    con.register("known_patients", known_patients)
    con.register("known_centres", pa.table({"centre_id": pa.array(known_centres, pa.string())}))
    con.execute(
        VALIDATE_SQL,
        {"skip_patients": "unknown_patient" in skipped, "skip_centres": "unknown_centre" in skipped},
    )
    counts = dict(
        con.execute(
            "SELECT reason, COUNT(*) FROM checked WHERE NOT stored AND reason IS NOT NULL GROUP BY reason"
        ).fetchall()
    )
    total = con.execute("SELECT COUNT(*) FROM checked WHERE NOT stored").fetchall()[0][0]
    con.execute(
        "CREATE OR REPLACE TEMP VIEW accepted_events AS SELECT patient_id, centre_id, event, event_date, "
        "detail, value FROM checked WHERE NOT stored AND reason IS NULL"
    )
    accepted = int(con.execute("SELECT COUNT(*) FROM accepted_events").fetchall()[0][0])
    limit = "" if keep_rejected_rows is None else f"LIMIT {int(keep_rejected_rows)}"
    cur = con.execute(
        "WITH r AS (SELECT *, CAST(event_date_raw AS VARCHAR) AS event_date_text, "
        "CAST(value_raw AS VARCHAR) AS value_text FROM checked WHERE NOT stored AND reason IS NOT NULL) "
        f"SELECT row_number, reason, {DETAIL_SQL} AS detail_text, coalesce(patient_id, ''), coalesce(centre_id, ''), "
        f"coalesce(event, ''), coalesce(event_date_text, '') FROM r "
        f"ORDER BY row_number {limit}"
    )
    keys = ("row_number", "reason", "detail", "patient_id", "centre_id", "event", "event_date")
    rejected = [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]
    return Validation(int(total), accepted, rejected, {str(k): int(v) for k, v in counts.items()}, skipped)


def register_raw(con: duckdb.DuckDBPyConnection, relation_sql: str, stored: pa.Table | None = None) -> None:
    """Create the view `raw_events` (row_number, stored, patient_id, centre_id, event,
    event_date_raw, detail, value_raw) over the new rows (typed or text) and the stored ones."""
    new = (
        "SELECT CAST(row_number() OVER () AS BIGINT) AS row_number, FALSE AS stored, "
        "CAST(patient_id AS VARCHAR) AS patient_id, CAST(centre_id AS VARCHAR) AS centre_id, "
        "CAST(event AS VARCHAR) AS event, event_date AS event_date_raw, "
        "CAST(detail AS VARCHAR) AS detail, value AS value_raw "
        f"FROM ({relation_sql})"
    )
    if stored is not None and stored.num_rows:
        con.register("stored_events", stored)
        new += (
            " UNION ALL BY NAME SELECT CAST(-1 AS BIGINT) AS row_number, TRUE AS stored, patient_id, centre_id, "
            "event, event_date AS event_date_raw, detail, value AS value_raw FROM stored_events"
        )
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_events AS {new}")


def prepare_pathways(con: duckdb.DuckDBPyConnection, clean_relation: str = "clean_events") -> None:
    """Materialise `ev`, `pathways` and `surveys` from the clean events relation."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW ev AS {events_sql('duckdb', clean_relation)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE pathways AS {pathways_sql('duckdb')}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE surveys AS {surveys_sql('duckdb', clean_relation)}")


def latest_month(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT MAX(month) FROM pathways").fetchall()
    return str(row[0][0]) if row and row[0][0] else None


def shift_month(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def aggregate(
    con: duckdb.DuckDBPyConnection, ind: Indicator, period_from: str, period_to: str, trend: str = "month"
) -> list[dict[str, Any]]:
    """Run one indicator's SQL; rows as dicts (see `indicator_sql` for the columns)."""
    cur = con.execute(indicator_sql(ind, "duckdb", period_from, period_to, trend))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
