"""Trial inclusion rate per centre and year: patients included in any trial over the centre's new
patients of the year, compared with the quality engine (funnel limits around the network value,
bands, no ranks) and the OECI 10% reference line.

New patients: the care-pathway `diagnosis` events (the centre that diagnosed them). Included: a
`trial_inclusion` event, or an enrolment of an identified patient in the screening workflow
(`enrolments.patient_id`), at any date after diagnosis; a patient counts once however many trials."""

from __future__ import annotations

import functools
from typing import Any

import pyarrow as pa
from sqlalchemy import select

from oncofed.quality import engine
from oncofed.quality.analysis import IndicatorResult, analyse
from oncofed.quality.events import COLUMNS
from oncofed.quality.indicators import Indicator, parse_indicator
from oncofed.resources import load_yaml
from oncofed.services.quality.indicators import TYPES, load_store_events
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_prescreen import EnrolmentRow


@functools.cache
def inclusion_indicator() -> Indicator:
    return parse_indicator(load_yaml("research/inclusion_rate.yaml"), "research/inclusion_rate.yaml")


def _enrolment_events(db: Database) -> pa.Table:
    with db.session() as s:
        rows = s.execute(
            select(EnrolmentRow.patient_id, PatientRow.centre_id, EnrolmentRow.enrolled_on)
            .join(PatientRow, PatientRow.id == EnrolmentRow.patient_id)
            .where(EnrolmentRow.patient_id.is_not(None))
        ).all()
    cols = {
        "patient_id": [r[0] for r in rows],
        "centre_id": [r[1] for r in rows],
        "event": ["trial_inclusion"] * len(rows),
        "event_date": [r[2] for r in rows],
        "detail": ["enrolment"] * len(rows),
        "value": [None] * len(rows),
    }
    return pa.table({c: pa.array(cols[c], t) for c, t in zip(COLUMNS, TYPES, strict=True)})


def inclusion_results(db: Database, years: int = 5) -> tuple[list[int], dict[int, IndicatorResult]]:
    """(years with new patients, newest last) and the quality engine's comparison for each."""
    events = pa.concat_tables([load_store_events(db), _enrolment_events(db)])
    con = engine.connect()
    con.register("clean_events", events)
    engine.prepare_pathways(con)
    found = [
        int(r[0])
        for r in con.execute(
            "SELECT DISTINCT CAST(substr(month, 1, 4) AS INTEGER) FROM pathways WHERE month IS NOT NULL ORDER BY 1"
        ).fetchall()
    ][-years:]
    ind = inclusion_indicator()
    out = {}
    for y in found:
        rows = engine.aggregate(con, ind, f"{y}-01", f"{y}-12", "quarter")
        out[y] = analyse(ind, rows, f"{y}-01", f"{y}-12", "quarter", "auto")
    return found, out


COLUMNS_OUT = [
    "year",
    "centre_id",
    "centre",
    "new_patients",
    "included",
    "rate",
    "ci_low",
    "ci_high",
    "band",
    "assessment",
    "meets_oeci",
    "published",
]


def inclusion_rows(results: dict[int, IndicatorResult], names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per centre and year (the CSV); figures of small centres are not published."""
    ind = inclusion_indicator()
    out = []
    for y, res in sorted(results.items()):
        for f in res.centres:
            shown = f.published
            out.append(
                {
                    "year": y,
                    "centre_id": f.centre_id,
                    "centre": names.get(f.centre_id, f.centre_id),
                    "new_patients": f.n,
                    "included": f.k if shown else None,
                    "rate": round(f.value, 4) if shown and f.value is not None else None,
                    "ci_low": round(f.ci_low, 4) if shown and f.ci_low is not None else None,
                    "ci_high": round(f.ci_high, 4) if shown and f.ci_high is not None else None,
                    "band": f.band,
                    "assessment": f.assessment,
                    "meets_oeci": (f.value > (ind.target or 0)) if shown and f.value is not None else None,
                    "published": shown,
                }
            )
    return out


def network_rows(results: dict[int, IndicatorResult]) -> list[dict[str, Any]]:
    return [
        {
            "year": y,
            "new_patients": r.network["n"],
            "included": r.network["k"],
            "rate": round(r.network["value"], 4) if r.network["value"] is not None else None,
            "overdispersion": r.adjustment,
        }
        for y, r in sorted(results.items())
    ]
