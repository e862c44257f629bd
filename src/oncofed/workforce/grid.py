"""Read and check a pay grid document (YAML or JSON): every dated component, overlaps refused.

Layout (see `resources/workforce/demo_grid.yaml` for a full example):

    name: ...                     fictional: true|false        source: where the grid comes from
    employer_rate: 0.45           (default employer contributions, share of gross pay)
    families:     [{code: NUR, en: Nurses, fr: Infirmiers}]
    point_values: [{value: 4.85, from: 2024-01-01, to: 2024-12-31}, ...]   euros per point per month
    levels:       [{family: NUR, from: 2024-01-01, coefficients: {N1: 420, N2: 455}}]
    steps:        [{family: NUR, from: 2024-01-01, points: {3: 12, 6: 25}}]   years -> extra points
    allowances:   [{code: NIGHT, en: ..., fr: ..., family: NUR, kind: monthly, value: 90, from: ...}]

`from` and `to` are ISO dates, `to` inclusive and optional. Two components of the same key
(the point value; a family's level; a family's step; an allowance code and family) whose periods
overlap are refused: the grid in force on a date must be unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from gettext import ngettext
from typing import Any

from oncofed.domain.workforce import (
    ALL_FAMILIES,
    Allowance,
    AllowanceKind,
    ExperienceStep,
    Grid,
    JobFamily,
    LevelCoefficient,
    Period,
    PointValue,
)
from oncofed.errors import InputError

TOP_KEYS = {
    "name",
    "fictional",
    "source",
    "employer_rate",
    "families",
    "point_values",
    "levels",
    "steps",
    "allowances",
    "notes",
}
MAX_PROBLEMS = 12


class GridProblems:
    """Problems found in one document: every one is reported, then the document is refused."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[tuple[str, str, str]] = []  # (record, field, message)

    def add(self, record: str, field: str, message: str) -> None:
        self.items.append((record, field, message))

    def raise_if_any(self, fix: str) -> None:
        if not self.items:
            return
        shown = [
            f"{rec}.{fld}: {msg}" if fld else f"{rec}: {msg}" for rec, fld, msg in self.items[:MAX_PROBLEMS]
        ]
        more = len(self.items) - len(shown)
        n = len(self.items)
        message = ngettext("%(num)s problem in the grid: ", "%(num)s problems in the grid: ", n) % {"num": n}
        message += "; ".join(shown)
        if more > 0:
            message += f"; and {more} more"
        rec, fld, _ = self.items[0]
        raise InputError(message, file=self.source, record=rec, field=fld, fix=fix)


def _date(value: Any, problems: GridProblems, record: str, field: str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.add(record, field, f"{value!r} is not a date (use YYYY-MM-DD)")
        return None


def _number(
    value: Any, problems: GridProblems, record: str, field: str, *, minimum: float = 0.0, strict: bool = False
) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.add(record, field, f"{value!r} is not a number")
        return None
    try:
        number = float(value)
    except ValueError:
        problems.add(record, field, f"{value!r} is not a number")
        return None
    if number != number or number < minimum or (strict and number == minimum):
        sign = ">" if strict else ">="
        problems.add(
            record, field, f"{number:g} must be {sign} {minimum:g} (negative or zero values are refused)"
        )
        return None
    return number


def _period(item: dict[str, Any], problems: GridProblems, record: str) -> Period | None:
    if "from" not in item:
        problems.add(record, "from", "missing: every component needs the date it takes effect")
        return None
    start = _date(item["from"], problems, record, "from")
    end = _date(item["to"], problems, record, "to") if item.get("to") not in (None, "") else None
    if start is None:
        return None
    if end is not None and end < start:
        problems.add(record, "to", f"{end} is before 'from' {start}")
        return None
    return Period(start, end)


def _items(doc: dict[str, Any], key: str, problems: GridProblems) -> list[tuple[str, dict[str, Any]]]:
    raw = doc.get(key) or []
    if not isinstance(raw, list):
        problems.add(key, "", "must be a list")
        return []
    out = []
    for i, item in enumerate(raw):
        record = f"{key}[{i}]"
        if not isinstance(item, dict):
            problems.add(record, "", "must be a mapping")
            continue
        out.append((record, item))
    return out


def parse_grid(doc: Any, source: str = "grid") -> Grid:
    """A checked `Grid` from a parsed document; every problem is named, then InputError."""
    problems = GridProblems(source)
    if not isinstance(doc, dict):
        raise InputError(
            "a grid document must be a mapping", file=source, fix="see resources/workforce/demo_grid.yaml"
        )
    for key in sorted(set(doc) - TOP_KEYS):
        problems.add(str(key), "", f"unknown section (known: {', '.join(sorted(TOP_KEYS))})")
    families: list[JobFamily] = []
    for record, item in _items(doc, "families", problems):
        code = str(item.get("code", "")).strip()
        if not code or code == ALL_FAMILIES:
            problems.add(record, "code", "missing or invalid family code")
            continue
        families.append(JobFamily(code, str(item.get("en", code)), str(item.get("fr", item.get("en", code)))))
    codes = {f.code for f in families}
    if not families:
        problems.add("families", "", "no job family: list at least one")

    def family_of(item: dict[str, Any], record: str, *, allow_all: bool) -> str | None:
        fam = str(item.get("family", ALL_FAMILIES if allow_all else "")).strip()
        if fam == ALL_FAMILIES and allow_all:
            return fam
        if fam not in codes:
            problems.add(record, "family", f"unknown family {fam!r} (known: {', '.join(sorted(codes))})")
            return None
        return fam

    point_values = []
    for record, item in _items(doc, "point_values", problems):
        period = _period(item, problems, record)
        value = _number(item.get("value"), problems, record, "value", strict=True)
        if period and value is not None:
            point_values.append(PointValue(value, period))
    if not point_values:
        problems.add("point_values", "", "no point value: give at least one with its 'from' date")

    levels = []
    for record, item in _items(doc, "levels", problems):
        fam, period = family_of(item, record, allow_all=False), _period(item, problems, record)
        coefs = item.get("coefficients")
        if not isinstance(coefs, dict) or not coefs:
            problems.add(record, "coefficients", "must map each level to its coefficient, e.g. {N1: 420}")
            continue
        for level, raw in coefs.items():
            value = _number(raw, problems, record, f"coefficients.{level}", strict=True)
            if fam and period and value is not None:
                levels.append(LevelCoefficient(fam, str(level), value, period))

    steps = []
    for record, item in _items(doc, "steps", problems):
        fam, period = family_of(item, record, allow_all=True), _period(item, problems, record)
        points = item.get("points")
        if not isinstance(points, dict) or not points:
            problems.add(record, "points", "must map years of experience to extra points, e.g. {3: 12}")
            continue
        for years, raw in points.items():
            value = _number(raw, problems, record, f"points.{years}")
            y = _number(years, problems, record, f"points.{years}")
            if fam and period and value is not None and y is not None:
                if y != int(y):
                    problems.add(record, f"points.{years}", "years of experience must be a whole number")
                    continue
                steps.append(ExperienceStep(fam, int(y), value, period))

    allowances = []
    for record, item in _items(doc, "allowances", problems):
        fam, period = family_of(item, record, allow_all=True), _period(item, problems, record)
        code = str(item.get("code", "")).strip()
        if not code:
            problems.add(record, "code", "missing allowance code")
        try:
            kind = AllowanceKind(str(item.get("kind", "")))
        except ValueError:
            problems.add(
                record,
                "kind",
                f"{item.get('kind')!r}: use one of {', '.join(k.value for k in AllowanceKind)}",
            )
            continue
        value = _number(item.get("value"), problems, record, "value")
        if fam and period and code and value is not None:
            name_en = str(item.get("en", code))
            allowances.append(
                Allowance(code, name_en, str(item.get("fr", name_en)), fam, kind, value, period)
            )

    rate = _number(doc.get("employer_rate", 0.0), problems, "employer_rate", "")
    if rate is not None and rate > 2:
        problems.add("employer_rate", "", f"{rate:g} looks like a percentage: give a share (0.45 for 45%)")
    _check_overlaps(point_values, lambda p: "point value", "point_values", problems)
    _check_overlaps(levels, lambda lv: f"level {lv.family}/{lv.level}", "levels", problems)
    _check_overlaps(steps, lambda s: f"step {s.family} after {s.after_years} years", "steps", problems)
    _check_overlaps(allowances, lambda a: f"allowance {a.code} ({a.family})", "allowances", problems)
    problems.raise_if_any(
        "fix the dates so each component has one value per day (end the old one the day before the new one starts)"
    )
    return Grid(
        name=str(doc.get("name", source)),
        fictional=bool(doc.get("fictional", False)),
        source=str(doc.get("source", "")),
        employer_rate=float(rate or 0.0),
        families=tuple(families),
        point_values=tuple(sorted(point_values, key=lambda p: p.period.start)),
        levels=tuple(levels),
        steps=tuple(steps),
        allowances=tuple(allowances),
    )


def _check_overlaps(
    items: Iterable[Any], key: Callable[[Any], str], section: str, problems: GridProblems
) -> None:
    by_key: dict[str, list[Period]] = {}
    for item in items:
        by_key.setdefault(key(item), []).append(item.period)
    for name, periods in by_key.items():
        periods.sort(key=lambda p: p.start)
        for a, b in zip(periods, periods[1:], strict=False):
            if a.overlaps(b):
                problems.add(section, "from", f"{name}: periods {a.label()} and {b.label()} overlap")


def grid_document(grid: Grid) -> dict[str, Any]:
    """The document layout of `grid` (what `parse_grid` reads back): proposals stored as grids."""

    def period(p: Period) -> dict[str, str]:
        return {"from": p.start.isoformat(), **({"to": p.end.isoformat()} if p.end else {})}

    levels: dict[tuple[str, Period], dict[str, float]] = {}
    for lv in grid.levels:
        levels.setdefault((lv.family, lv.period), {})[lv.level] = lv.coefficient
    steps: dict[tuple[str, Period], dict[int, float]] = {}
    for s in grid.steps:
        steps.setdefault((s.family, s.period), {})[s.after_years] = s.points
    return {
        "name": grid.name,
        "fictional": grid.fictional,
        "source": grid.source,
        "employer_rate": grid.employer_rate,
        "families": [{"code": f.code, "en": f.name_en, "fr": f.name_fr} for f in grid.families],
        "point_values": [{"value": p.value, **period(p.period)} for p in grid.point_values],
        "levels": [{"family": f, **period(p), "coefficients": c} for (f, p), c in levels.items()],
        "steps": [{"family": f, **period(p), "points": c} for (f, p), c in steps.items()],
        "allowances": [
            {
                "code": a.code,
                "en": a.name_en,
                "fr": a.name_fr,
                "family": a.family,
                "kind": a.kind.value,
                "value": a.value,
                **period(a.period),
            }
            for a in grid.allowances
        ],
    }


def day_before(day: date) -> date:
    return day - timedelta(days=1)
