"""Emission factor tables and yearly activity data from CSV (issue 21).

Factor table columns: category, item, name_en, name_fr, unit, kgco2e_per_unit, scope (1-3),
beges_post (e.g. 2.1), uncertainty_pct, source: the layout of
`resources/carbon/factors_example.csv`; the national table (ADEME Base Empreinte) is loaded in
the same columns. Comment lines `# version: V` and `# name: N` name the table.

Activity columns: centre, year, category, item, quantity, unit. Each row must name a factor of the
table in use, a quantity >= 0 and a unit convertible to the factor's (MWh for kWh, t for kg).
Every problem is reported by line; a file with one is refused as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from oncofed.carbon.units import conversion
from oncofed.domain.carbon import CATEGORIES, NORMALISER, NORMALISER_ITEMS, Activity, EmissionFactor
from oncofed.errors import InputError
from oncofed.ingest.tabular import Reject, number, rows

FACTOR_COLUMNS = ("category", "item", "name_en", "unit", "kgco2e_per_unit", "scope", "beges_post", "source")
FACTOR_OPTIONAL = ("name_fr", "uncertainty_pct")
ACTIVITY_COLUMNS = ("centre", "year", "category", "item", "quantity", "unit")
POST = re.compile(r"^[1-6]\.[1-5]$")
MAX_SHOWN = 15


def _refuse(rejects: list[Reject], source: str, what: str, fix: str) -> None:
    shown = "; ".join(str(r) for r in rejects[:MAX_SHOWN])
    more = f"; and {len(rejects) - MAX_SHOWN} more" if len(rejects) > MAX_SHOWN else ""
    raise InputError(f"{len(rejects)} problem(s), {what}: {shown}{more}", file=source, fix=fix)


def table_header(text: str) -> dict[str, str]:
    """`# key: value` comment lines at the top of a factor table."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*#\s*(version|name)\s*:\s*(.+?)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def read_factors(text: str, source: str) -> list[EmissionFactor]:
    factors: list[EmissionFactor] = []
    rejects: list[Reject] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows(text, source, FACTOR_COLUMNS, FACTOR_OPTIONAL):
        if "__error__" in row:
            rejects.append(Reject(line, "*", row["__error__"], "quote values that contain the delimiter"))
            continue
        rec = f"{row['category']}/{row['item']}"
        bad: list[Reject] = []
        if row["category"] not in CATEGORIES:
            bad.append(
                Reject(
                    line,
                    "category",
                    f"unknown category {row['category']!r}",
                    f"use one of {', '.join(CATEGORIES)}",
                    rec,
                )
            )
        if not row["item"]:
            bad.append(Reject(line, "item", "missing", "name the item, e.g. electricity", rec))
        elif (row["category"], row["item"]) in seen:
            bad.append(
                Reject(
                    line,
                    "item",
                    f"duplicate of line {seen[(row['category'], row['item'])]}",
                    "one factor per item",
                    rec,
                )
            )
        else:
            seen[(row["category"], row["item"])] = line
        if not row["source"]:
            bad.append(
                Reject(
                    line,
                    "source",
                    "missing",
                    "every factor must name its source (publication, table and version)",
                    rec,
                )
            )
        try:
            conversion(row["unit"], row["unit"])
        except InputError:
            bad.append(
                Reject(line, "unit", f"unknown unit {row['unit']!r}", "use kWh, kg, t, L, m3, km or EUR", rec)
            )
        value = _number(row["kgco2e_per_unit"], line, "kgco2e_per_unit", rec, bad)
        if value is not None and value < 0:
            bad.append(
                Reject(
                    line,
                    "kgco2e_per_unit",
                    f"{value:g} is negative",
                    "emission factors are >= 0 (report removals apart)",
                    rec,
                )
            )
        scope = row["scope"].strip()
        if scope not in ("1", "2", "3"):
            bad.append(Reject(line, "scope", f"{scope!r}", "use 1, 2 or 3 (GHG Protocol)", rec))
        if not POST.match(row["beges_post"]):
            bad.append(
                Reject(
                    line,
                    "beges_post",
                    f"{row['beges_post']!r}",
                    "use a BEGES post such as 1.1, 2.1, 3.4, 4.1",
                    rec,
                )
            )
        unc = _number(row.get("uncertainty_pct") or "0", line, "uncertainty_pct", rec, bad)
        if bad:
            rejects.extend(bad)
            continue
        factors.append(
            EmissionFactor(
                row["category"],
                row["item"],
                row["name_en"],
                row.get("name_fr") or row["name_en"],
                row["unit"],
                float(value or 0.0),
                int(scope),
                row["beges_post"],
                float(unc or 0.0),
                row["source"],
            )
        )
    if rejects:
        _refuse(
            rejects,
            source,
            "nothing loaded",
            "correct these rows (layout: resources/carbon/factors_example.csv)",
        )
    if not factors:
        raise InputError(
            "no factor in the table", file=source, fix="see resources/carbon/factors_example.csv"
        )
    return factors


def read_activities(
    text: str,
    source: str,
    factors: Mapping[tuple[str, str], EmissionFactor],
    centres: Collection[str],
    years: tuple[int, int] = (1990, 2100),
) -> list[Activity]:
    out: list[Activity] = []
    rejects: list[Reject] = []
    seen: dict[tuple[str, int, str, str], int] = {}
    for line, row in rows(text, source, ACTIVITY_COLUMNS):
        if "__error__" in row:
            rejects.append(Reject(line, "*", row["__error__"], "quote values that contain the delimiter"))
            continue
        rec = f"{row['centre']} {row['year']} {row['category']}/{row['item']}"
        bad: list[Reject] = []
        if row["centre"] not in centres:
            bad.append(
                Reject(
                    line,
                    "centre",
                    f"unknown centre {row['centre']!r}",
                    "use the centre ids of `oncofed centres`",
                    rec,
                )
            )
        year = int(row["year"]) if row["year"].isdigit() else None
        if year is None or not years[0] <= year <= years[1]:
            bad.append(
                Reject(
                    line, "year", f"{row['year']!r}", f"give the year as YYYY ({years[0]}-{years[1]})", rec
                )
            )
        quantity = _number(row["quantity"], line, "quantity", rec, bad)
        if quantity is not None and quantity < 0:
            bad.append(
                Reject(
                    line,
                    "quantity",
                    f"{quantity:g} is negative",
                    "quantities are >= 0 (a correction goes in a corrected file)",
                    rec,
                )
            )
        cat, item, unit = row["category"], row["item"], row["unit"]
        if cat == NORMALISER:
            if item not in NORMALISER_ITEMS:
                bad.append(Reject(line, "item", f"unknown activity item {item!r}", "use stays or beds", rec))
            elif unit.lower().rstrip("s") != NORMALISER_ITEMS[item]:
                bad.append(
                    Reject(
                        line,
                        "unit",
                        f"{unit!r}",
                        f"give {item} as a count, unit {NORMALISER_ITEMS[item]}",
                        rec,
                    )
                )
        elif cat not in CATEGORIES:
            bad.append(
                Reject(
                    line,
                    "category",
                    f"unknown category {cat!r}",
                    f"use one of {', '.join((*CATEGORIES, NORMALISER))}",
                    rec,
                )
            )
        elif (cat, item) not in factors:
            known = sorted(i for c, i in factors if c == cat)
            bad.append(
                Reject(
                    line,
                    "item",
                    f"no emission factor for {cat}/{item} in the table in use",
                    f"use one of {', '.join(known)} or load a table that has it",
                    rec,
                )
            )
        else:
            try:
                conversion(unit, factors[(cat, item)].unit)
            except InputError as exc:
                bad.append(Reject(line, "unit", exc.reason, exc.fix or "", rec))
        if year is not None:
            key = (row["centre"], year, cat, item)
            if key in seen:
                bad.append(
                    Reject(
                        line,
                        "item",
                        f"same centre, year and item as line {seen[key]}",
                        "give one total per item and year (sum them before, in one unit)",
                        rec,
                    )
                )
            seen[key] = line
        if bad:
            rejects.extend(bad)
            continue
        out.append(Activity(row["centre"], int(year or 0), cat, item, float(quantity or 0.0), unit, line))
    if rejects:
        _refuse(
            rejects,
            source,
            "nothing imported",
            "correct these rows (template: resources/carbon/activity_template.csv)",
        )
    if not out:
        raise InputError("no activity row", file=source, fix="see resources/carbon/activity_template.csv")
    return out


def _number(value: str, line: int, field: str, rec: str, bad: list[Reject]) -> float | None:
    try:
        return number(value)
    except ValueError:
        bad.append(
            Reject(
                line, field, f"{value!r} is not a number", "write digits with '.' or ',' as decimal mark", rec
            )
        )
        return None
