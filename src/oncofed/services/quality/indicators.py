"""Quality indicators for the network: import care-pathway events (every rejected row reported),
compute every indicator with DuckDB over the store or a Parquet file, and compare centres honestly."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import delete, func, insert, select

from oncofed.errors import N_, NN_, InputError
from oncofed.quality import engine
from oncofed.quality.analysis import MIN_PUBLISHED, IndicatorResult, analyse
from oncofed.quality.boards import load_board_indicators, prepare_board_units
from oncofed.quality.events import COLUMNS, REJECT_REASONS
from oncofed.quality.funnel import mean_ci
from oncofed.quality.indicators import Indicator, load_indicators
from oncofed.services.quality.rejects import (  # noqa: F401 (re-exported: routes, CLI)
    EXAMPLES,
    REJECT_COLUMNS,
    list_rejects,
    reject_summary,
)
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, PatientRow
from oncofed.store.models_quality import QualityEventRow, QualityRejectRow

BATCH = 5000
TYPES = [pa.string(), pa.string(), pa.string(), pa.date32(), pa.string(), pa.float64()]


@dataclass
class ImportReport:
    source: str
    total: int
    accepted: int
    rejected: dict[str, int]
    examples: list[dict[str, Any]]
    checks_skipped: list[str] = field(default_factory=list)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


@dataclass
class QualityRun:
    """Every indicator computed over one source for one period."""

    source: str
    period_from: str
    period_to: str
    trend_unit: str
    results: list[IndicatorResult]
    rejects: dict[str, Any]
    events: int
    survey_items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def result(self, indicator_id: str) -> IndicatorResult:
        from oncofed.errors import NotFound

        for r in self.results:
            if r.indicator.id == indicator_id:
                return r
        raise NotFound(
            N_("no indicator %(indicator)s"),
            fix=N_("see /api/quality/indicators for the list"),
            code="quality.unknown_indicator",
            params={"indicator": repr(indicator_id)},
        )


def _read_file_sql(path: Path) -> str:
    if not path.exists():
        raise InputError(
            N_("file not found"), file=str(path), fix=N_("check the path"), code="file.not_found"
        )
    literal = str(path).replace("'", "''")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"SELECT * FROM read_parquet('{literal}')"
    if suffix in (".csv", ".txt"):
        return f"SELECT * FROM read_csv('{literal}', all_varchar = true, header = true)"
    raise InputError(
        N_("unsupported file type %(suffix)s"),
        file=str(path),
        fix=N_("give a .csv or .parquet file"),
        code="quality.file_type",
        params={"suffix": repr(suffix)},
    )


@contextmanager
def _readable(source: str) -> Iterator[None]:
    """DuckDB's errors on a file it cannot read (not UTF-8, ragged or unquoted CSV, a broken Parquet)
    become one clear error naming the file; raised before the store's transaction commits, so nothing
    from the file is written."""
    try:
        yield
    except duckdb.Error as exc:
        text = str(exc)
        first = text.strip().splitlines()[0][:300] if text.strip() else type(exc).__name__
        if "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
            problem, fix = (
                N_("the file is not UTF-8 text; nothing was imported"),
                N_("save it as a UTF-8 encoded CSV (or Parquet)"),
            )
            code = "quality.not_utf8"
        else:
            problem = N_("the file cannot be read as a table (%(detail)s); nothing was imported")
            fix = N_(
                "give a comma-separated file with the header %(expected)s, the same number of fields on "
                "every line and quotes closed, or a valid Parquet file"
            )
            code = "quality.unreadable_table"
        raise InputError(
            problem, file=source, fix=fix, code=code, params={"detail": first, "expected": ",".join(COLUMNS)}
        ) from exc


def _check_columns(con: Any, relation_sql: str, source: str) -> None:
    names = [d[0] for d in con.execute(f"SELECT * FROM ({relation_sql}) LIMIT 0").description]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(
            NN_("missing column %(columns)s", "missing columns %(columns)s"),
            file=source,
            field=missing[0],
            fix=N_("the header must hold %(expected)s (detail and value may be empty)"),
            code="quality.missing_columns",
            params={"num": len(missing), "columns": list(missing), "expected": list(COLUMNS)},
        )


def _known_patients(db: Database) -> pa.Table:
    with db.session() as s:
        rows = s.execute(select(PatientRow.id, PatientRow.centre_id)).all()
    return pa.table(
        {"patient_id": pa.array([r[0] for r in rows], pa.string()), "centre_id": [r[1] for r in rows]}
    )


def known_centres(db: Database) -> list[str]:
    with db.session() as s:
        return [r[0] for r in s.execute(select(CentreRow.id)).all()]


def load_store_events(db: Database) -> pa.Table:
    """The store's (already validated) events as Arrow, read through SQLAlchemy."""
    with db.session() as s:
        table = load_store_events_in(s)
    if table is None:
        return pa.table({c: pa.array([], t) for c, t in zip(COLUMNS, TYPES, strict=True)})
    return table


def import_events(
    db: Database, data: Path | pa.Table, source: str | None = None, *, replace: bool = False
) -> ImportReport:
    """Check and store events in one transaction. Rejected rows are stored with their reason
    (they appear on every indicator page); `replace` first removes the same source's rows."""
    label = source or (data.name if isinstance(data, Path) else "table")
    where = str(data) if isinstance(data, Path) else label  # errors name the file itself
    with _readable(where):
        con = engine.connect()
        if isinstance(data, Path):
            relation = _read_file_sql(data)
        else:
            con.register("incoming", data)
            relation = "SELECT * FROM incoming"
        _check_columns(con, relation, where)
        with db.session() as s:
            if replace:
                s.execute(delete(QualityEventRow).where(QualityEventRow.source == label))
                s.execute(delete(QualityRejectRow).where(QualityRejectRow.source == label))
                s.flush()
            stored = load_store_events_in(s)
            engine.register_raw(con, relation, stored)
            checked = engine.validate(con, _known_patients(db), known_centres(db))
            accepted = (
                con.sql("SELECT * FROM accepted_events ORDER BY patient_id").to_arrow_table().to_pylist()
            )
            for start in range(0, len(accepted), BATCH):
                chunk = [{**r, "source": label} for r in accepted[start : start + BATCH]]
                s.execute(insert(QualityEventRow), chunk)
            for start in range(0, len(checked.rejected), BATCH):
                s.execute(
                    insert(QualityRejectRow),
                    [{**r, "source": label} for r in checked.rejected[start : start + BATCH]],
                )
    _CACHE.clear()
    return ImportReport(
        label,
        checked.total,
        checked.accepted,
        checked.counts,
        checked.rejected[:EXAMPLES],
        checked.checks_skipped,
    )


def load_store_events_in(session: Any) -> pa.Table | None:
    rows = session.execute(select(*[getattr(QualityEventRow, c) for c in COLUMNS])).all()
    if not rows:
        return None
    arrays = list(zip(*rows, strict=True))
    return pa.table({c: pa.array(list(a), t) for c, a, t in zip(COLUMNS, arrays, TYPES, strict=True)})


def compute_over_table(
    clean: pa.Table | None,
    *,
    source: str,
    trend: str = "month",
    adjustment: str = "auto",
    period_to: str | None = None,
    months: int = 12,
    centre_ids: list[str] | None = None,
    rejects: dict[str, Any] | None = None,
    indicators: tuple[Indicator, ...] | None = None,
    con: Any = None,
) -> QualityRun:
    """Every indicator over clean (already validated) events: an Arrow table, or (None) the
    `clean_events` relation already defined in `con`."""
    con = con or engine.connect()
    if clean is not None:
        con.register("clean_events", clean)
        events = clean.num_rows
    else:
        events = int(con.execute("SELECT COUNT(*) FROM clean_events").fetchall()[0][0])
    return _compute(
        con, source, trend, adjustment, period_to, months, centre_ids, rejects, indicators, events
    )


def _compute(
    con: Any,
    source: str,
    trend: str,
    adjustment: str,
    period_to: str | None,
    months: int,
    centre_ids: list[str] | None,
    rejects: dict[str, Any] | None,
    indicators: tuple[Indicator, ...] | None,
    events: int,
) -> QualityRun:
    engine.prepare_pathways(con)
    prepare_board_units(con)  # tumour-board records (issue 19): empty unless registered
    last = period_to or engine.latest_month(con) or date.today().strftime("%Y-%m")
    first = engine.shift_month(last, -(months - 1))
    results = [
        analyse(
            ind, engine.aggregate(con, ind, first, last, trend), first, last, trend, adjustment, centre_ids
        )
        for ind in (indicators or load_indicators())
    ]
    surveys = {}
    for centre_id, item, n, mean, sd in con.execute(
        "SELECT centre_id, item, COUNT(*), AVG(score), stddev_samp(score) FROM surveys "
        "WHERE month >= ? AND month <= ? GROUP BY GROUPING SETS ((centre_id, item), (item))",
        [first, last],
    ).fetchall():
        low, high = mean_ci(float(mean), float(sd or 0.0), int(n))
        surveys[(centre_id or "", str(item))] = {
            "n": int(n),
            "mean": float(mean),
            "ci_low": None if n < 2 else low,
            "ci_high": None if n < 2 else high,
            "published": int(n) >= MIN_PUBLISHED,
        }
    return QualityRun(
        source, first, last, trend, results, rejects or {"total": 0, "reasons": []}, events, surveys
    )


def compute_over_parquet(
    path: Path,
    patients: Path | None = None,
    *,
    trend: str = "month",
    adjustment: str = "auto",
    months: int = 12,
    threads: int | None = None,
) -> QualityRun:
    """Validate then compute straight over a Parquet (or CSV) file of events, out of the store."""
    with _readable(str(path)):
        con = engine.connect(threads)
        relation = _read_file_sql(path)
        _check_columns(con, relation, str(path))
        engine.register_raw(con, relation)
        known = None
        centres = None
        if patients is not None:
            known = con.sql(
                f"SELECT patient_id, centre_id FROM ({_read_file_sql(patients)})"
            ).to_arrow_table()
            con.register("known_input", known)
            centres = [
                str(r[0])
                for r in con.execute("SELECT DISTINCT centre_id FROM known_input ORDER BY 1").fetchall()
            ]
        checked = engine.validate(con, known, centres, keep_rejected_rows=1000)
        rejects = {
            "total": sum(checked.counts.values()),
            "skipped_checks": checked.checks_skipped,
            "reasons": [
                {
                    "reason": reason,
                    "count": checked.counts[reason],
                    "examples": [r for r in checked.rejected if r["reason"] == reason][:EXAMPLES],
                }
                for reason in REJECT_REASONS
                if checked.counts.get(reason)
            ],
        }
        con.execute("CREATE OR REPLACE TEMP VIEW clean_events AS SELECT * FROM accepted_events")
        return _compute(
            con, str(path), trend, adjustment, None, months, centres, rejects, None, checked.accepted
        )


_CACHE: dict[tuple[Any, ...], QualityRun] = {}
_LOCK = threading.Lock()


def store_signature(db: Database) -> tuple[Any, ...]:
    with db.session() as s:
        n, last = s.execute(select(func.count(), func.max(QualityEventRow.id))).one()
        r = s.scalar(select(func.count()).select_from(QualityRejectRow))
    return (db.url, int(n or 0), int(last or 0), int(r or 0))


def compute_over_store(db: Database, trend: str = "month", adjustment: str = "auto") -> QualityRun:
    """Every indicator over the store's events (cached until the events change)."""
    from oncofed.services.boards.indicators import board_signature, register_board_records

    key = (*store_signature(db), *board_signature(db), trend, adjustment)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        con = engine.connect()
        register_board_records(con, db)  # the tumour-board records' indicators (issue 19)
        run = compute_over_table(
            load_store_events(db),
            source="store",
            trend=trend,
            adjustment=adjustment,
            centre_ids=None,
            rejects=reject_summary(db),
            indicators=load_indicators() + load_board_indicators(),
            con=con,
        )
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = run
        return run
