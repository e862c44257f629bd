"""Tumour-board records as indicator units (issue 19), in the same portable SQL as the pathways.

Two units, built from relations the caller registers (or empty when it registers none, e.g. a
Parquet file of events alone):

- `board_cases`: one row per discussed case (decision recorded): the board's centre, the meeting's
  month and quarter, the case kind, specialties present, candidate and proposed trials, whether the
  record is signed, and the day of the patient's inclusion in a trial the board proposed (the
  first enrolment in one of those trials on or after the meeting);
- `board_pathways`: the care pathways (`pathways`) with the day of the patient's first board
  discussion (`rcp_day`), for "discussed before the first treatment".

Registered relations: `clean_board_cases(case_id, centre_id, patient_id, kind, meeting_day,
n_specialties, n_candidates, n_proposed, signed)`, `clean_board_proposals(case_id, trial_id)` and
`clean_board_enrolments(patient_id, trial_id, enrolled_on)`.
"""

from __future__ import annotations

import functools
from typing import Any

from oncofed.quality.indicators import DIALECTS, Indicator, parse_indicator
from oncofed.resources import load_yaml, resource_path


@functools.cache
def load_board_indicators() -> tuple[Indicator, ...]:
    """The indicators over the board units (`resources/indicators/boards/*.yaml`): computed where the
    records are (the store), not over a file of care-pathway events alone."""
    folder = resource_path("indicators/boards")
    found = [
        parse_indicator(load_yaml(f"indicators/boards/{p.name}"), p.name)
        for p in sorted(folder.glob("*.yaml"))
    ]
    return tuple(sorted(found, key=lambda i: (i.order, i.id)))


RELATIONS = {
    "clean_board_cases": (
        "case_id BIGINT, centre_id VARCHAR, patient_id VARCHAR, kind VARCHAR, meeting_day DATE, "
        "n_specialties INTEGER, n_candidates INTEGER, n_proposed INTEGER, signed BOOLEAN"
    ),
    "clean_board_proposals": "case_id BIGINT, trial_id VARCHAR",
    "clean_board_enrolments": "patient_id VARCHAR, trial_id VARCHAR, enrolled_on DATE",
}


def board_cases_sql(dialect: str = "duckdb") -> str:
    d = DIALECTS[dialect]
    materialized = "MATERIALIZED " if dialect == "duckdb" else ""
    # proposals meet their case first (one row per proposed trial), then the enrolments on both keys:
    # left to itself the planner joined proposals and enrolments on the trial alone (150 M rows)
    return f"""
WITH prop AS {materialized}(
  SELECT p.case_id, p.trial_id, c.patient_id, c.meeting_day
  FROM clean_board_proposals p JOIN clean_board_cases c ON c.case_id = p.case_id
), inc AS (
  SELECT prop.case_id, MIN(e.enrolled_on) AS inclusion_date
  FROM prop JOIN clean_board_enrolments e ON e.patient_id = prop.patient_id AND e.trial_id = prop.trial_id
  WHERE e.enrolled_on >= prop.meeting_day
  GROUP BY prop.case_id
)
SELECT c.case_id, c.centre_id, c.patient_id, c.kind, c.signed, c.n_specialties, c.n_candidates, c.n_proposed,
  {d["day"].format(col="c.meeting_day")} AS meeting_day,
  {d["day"].format(col="inc.inclusion_date")} AS inclusion_day,
  {d["month"].format(col="c.meeting_day")} AS month,
  {d["quarter"].format(col="c.meeting_day")} AS quarter
FROM clean_board_cases c LEFT JOIN inc ON inc.case_id = c.case_id
"""


BOARD_PATHWAYS_SQL = """
SELECT p.*, r.rcp_day FROM pathways p
LEFT JOIN (SELECT patient_id, MIN(meeting_day) AS rcp_day FROM board_cases GROUP BY patient_id) r
  ON r.patient_id = p.patient_id
"""


def prepare_board_units(con: Any) -> None:
    """Materialise `board_cases` and `board_pathways` (after `pathways`); relations the caller did
    not register are empty, so the board indicators read "no data" instead of failing."""
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name, columns in RELATIONS.items():
        if name not in present:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE board_cases AS {board_cases_sql('duckdb')}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE board_pathways AS {BOARD_PATHWAYS_SQL}")
