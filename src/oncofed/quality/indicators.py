"""Indicator definitions held as data (`resources/indicators/*.yaml`) and their portable SQL.

The SQL uses only what DuckDB and Spark SQL share (CASE, MIN, COUNT, SUM, GROUPING SETS,
GROUPING(), integer day numbers); the few functions that differ (median, quantiles, day numbers,
month keys) come from `DIALECTS`. To run on Spark: register the events as a view named
`clean_events`, then execute `pathways_sql("spark")`, `surveys_sql("spark")` and
`indicator_sql(ind, "spark", ...)` with `spark.sql(...)`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from oncofed.errors import InputError
from oncofed.resources import load_yaml, resource_path

KINDS = ("proportion", "mean", "median")
UNITS = ("pathways", "surveys", "board_cases", "board_pathways")  # board units: quality/boards.py (issue 19)

DIALECTS: dict[str, dict[str, str]] = {
    "duckdb": {
        "day": "CAST(date_diff('day', DATE '1970-01-01', {col}) AS INTEGER)",
        "month": "strftime({col}, '%Y-%m')",
        "quarter": "CAST(year({col}) AS VARCHAR) || '-Q' || CAST(quarter({col}) AS VARCHAR)",
        "median": "quantile_cont({x}, 0.5)",
        "q1": "quantile_cont({x}, 0.25)",
        "q3": "quantile_cont({x}, 0.75)",
    },
    "spark": {
        "day": "datediff({col}, DATE '1970-01-01')",
        "month": "date_format({col}, 'yyyy-MM')",
        "quarter": "concat(CAST(year({col}) AS STRING), '-Q', CAST(quarter({col}) AS STRING))",
        "median": "percentile({x}, 0.5)",
        "q1": "percentile({x}, 0.25)",
        "q3": "percentile({x}, 0.75)",
    },
}


@dataclass(frozen=True)
class Exclusion:
    id: str
    when: str
    label: dict[str, str]


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: str
    unit: str
    title: dict[str, str]
    description: dict[str, str]
    population: str
    better: str
    order: int = 100
    numerator: str | None = None
    value: str | None = None
    exclusions: tuple[Exclusion, ...] = ()
    period_column: str = "month"
    target: float | None = None
    # where the target comes from, {lang: text} (a YAML text alone is English): `target_source_in(lang)`
    target_source_said: dict[str, str] = field(default_factory=dict)
    unit_label: dict[str, str] = field(default_factory=dict)

    def t(self, attr: str, lang: str) -> str:
        text: dict[str, str] = getattr(self, attr)
        return text.get(lang) or text.get("en") or ""

    @property
    def target_source(self) -> str | None:
        """Where the target comes from, in English."""
        return self.target_source_said.get("en") or None

    def target_source_in(self, lang: str) -> str | None:
        """Where the target comes from, in `lang` when the definition says it in that language."""
        return self.target_source_said.get(lang) or self.target_source

    @property
    def compared(self) -> bool:
        """Medians are shown with their interquartile range but get no control limits."""
        return self.kind in ("proportion", "mean")


def parse_indicator(data: dict[str, Any], source: str) -> Indicator:
    """Build an Indicator from its YAML mapping, with errors naming the file and field."""

    def need(key: str) -> Any:
        if key not in data or data[key] in (None, ""):
            raise InputError("missing field", file=source, field=key, fix=f"add `{key}:` to the indicator")
        return data[key]

    kind = need("kind")
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}", file=source, field="kind", fix=f"use one of {KINDS}")
    unit = data.get("unit", "pathways")
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", file=source, field="unit", fix=f"use one of {UNITS}")
    if kind == "proportion":
        need("numerator")
    else:
        need("value")
    better = need("better")
    if better not in ("higher", "lower"):
        raise InputError("better must be higher or lower", file=source, field="better")
    exclusions = tuple(
        Exclusion(str(e["id"]), str(e["when"]), dict(e.get("label") or {"en": e["id"]}))
        for e in data.get("exclusions") or []
    )
    said = data.get("target_source")  # a text (English), or {lang: text}
    return Indicator(
        id=str(need("id")),
        kind=kind,
        unit=unit,
        title=dict(need("title")),
        description=dict(data.get("description") or {}),
        population=str(need("population")),
        better=better,
        order=int(data.get("order", 100)),
        numerator=data.get("numerator"),
        value=data.get("value"),
        exclusions=exclusions,
        period_column=str(data.get("period_column", "month")),
        target=float(data["target"]) if data.get("target") is not None else None,
        target_source_said={str(k): str(v) for k, v in said.items()}
        if isinstance(said, dict)
        else ({"en": str(said)} if said else {}),
        unit_label=dict(data.get("unit_label") or {}),
    )


@functools.cache
def load_indicators() -> tuple[Indicator, ...]:
    """Every indicator shipped in resources/indicators, in display order."""
    folder = resource_path("indicators")
    out = [parse_indicator(load_yaml(f"indicators/{p.name}"), p.name) for p in sorted(folder.glob("*.yaml"))]
    return tuple(sorted(out, key=lambda i: (i.order, i.id)))


def get_indicator(indicator_id: str) -> Indicator:
    from oncofed.errors import NotFound

    for ind in load_indicators():
        if ind.id == indicator_id:
            return ind
    raise NotFound(
        f"no indicator {indicator_id!r}",
        fix="see /api/quality/indicators for the list",
    )


def _d(dialect: str, name: str, **kw: str) -> str:
    return DIALECTS[dialect][name].format(**kw)


def events_sql(dialect: str = "duckdb", source: str = "clean_events") -> str:
    """Events with integer day numbers (the only per-event dialect-specific step)."""
    return (
        "SELECT patient_id, centre_id, event, event_date, detail, value, "
        f"{_d(dialect, 'day', col='event_date')} AS day FROM {source}"
    )


def pathways_sql(dialect: str = "duckdb", source: str = "ev") -> str:
    """One row per patient: diagnosis centre, day, month, quarter, and the first day of each step.
    Month and quarter keys are formatted once per patient (not once per event)."""
    first = {
        "mdt_day": "event = 'mdt_review'",
        "care_plan_day": "event = 'care_plan'",
        "first_treatment_day": "event IN ('first_treatment', 'surgery', 'radiotherapy', 'systemic_therapy')",
        "trial_day": "event = 'trial_inclusion'",
        "supportive_day": "event = 'supportive_care'",
        "death_day": "event = 'death'",
    }
    cols = ",\n    ".join(f"MIN(CASE WHEN {cond} THEN day END) AS {name}" for name, cond in first.items())
    return (
        f"SELECT p.*, {_d(dialect, 'month', col='diagnosis_date')} AS month, "
        f"{_d(dialect, 'quarter', col='diagnosis_date')} AS quarter FROM (\n"
        "  SELECT patient_id,\n"
        "    MIN(CASE WHEN event = 'diagnosis' THEN centre_id END) AS centre_id,\n"
        "    MIN(CASE WHEN event = 'diagnosis' THEN day END) AS diagnosis_day,\n"
        "    MIN(CASE WHEN event = 'diagnosis' THEN event_date END) AS diagnosis_date,\n"
        f"    {cols}\n"
        f"  FROM {source} GROUP BY patient_id) p"
    )


def surveys_sql(dialect: str = "duckdb", source: str = "clean_events") -> str:
    return (
        "SELECT patient_id, centre_id, "
        f"{_d(dialect, 'month', col='event_date')} AS month, {_d(dialect, 'quarter', col='event_date')} AS quarter, "
        f"detail AS item, value AS score FROM {source} WHERE event = 'survey'"
    )


def indicator_sql(
    ind: Indicator, dialect: str, period_from: str, period_to: str, trend: str = "month"
) -> str:
    """Aggregates per (centre), (centre, period), (network) and (network, period), split by exclusion.

    Columns: centre_id, period, excluded_by ('' = kept), n, k (numerator), sx, sxx, med, q1, q3,
    g_centre, g_period (GROUPING() flags: 1 = rolled up). Rows come in one order on every engine
    (the analysis sums floats in row order: the same order gives the same last bits).
    """
    if trend not in ("month", "quarter"):
        raise ValueError("trend must be month or quarter")
    column = ind.period_column if trend == "month" else "quarter"
    excl = " ".join(f"WHEN ({e.when}) THEN '{e.id}'" for e in ind.exclusions)
    excluded_by = f"CASE {excl} ELSE '' END" if excl else "''"
    hit = f"CASE WHEN ({ind.numerator}) THEN 1 ELSE 0 END" if ind.numerator else "0"
    x = f"CAST(({ind.value}) AS DOUBLE)" if ind.value else "CAST(NULL AS DOUBLE)"
    return f"""
WITH base AS (
  SELECT centre_id, {column} AS period, {excluded_by} AS excluded_by, {hit} AS hit, {x} AS x
  FROM {ind.unit}
  WHERE ({ind.population}) AND month >= '{period_from}' AND month <= '{period_to}'
)
SELECT centre_id, period, excluded_by, COUNT(*) AS n, SUM(hit) AS k, SUM(x) AS sx, SUM(x * x) AS sxx,
  {_d(dialect, "median", x="x")} AS med, {_d(dialect, "q1", x="x")} AS q1, {_d(dialect, "q3", x="x")} AS q3,
  GROUPING(centre_id) AS g_centre, GROUPING(period) AS g_period
FROM base
GROUP BY GROUPING SETS ((centre_id, excluded_by), (centre_id, period, excluded_by), (excluded_by), (period, excluded_by))
ORDER BY g_centre, g_period, centre_id NULLS FIRST, period NULLS FIRST, excluded_by
"""
