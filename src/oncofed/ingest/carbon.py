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
from gettext import ngettext

from oncofed.carbon.units import conversion
from oncofed.domain.carbon import CATEGORIES, NORMALISER, NORMALISER_ITEMS, Activity, EmissionFactor
from oncofed.errors import InputError
from oncofed.ingest.tabular import Reject, checked_rows, summary

FACTOR_COLUMNS = ("category", "item", "name_en", "unit", "kgco2e_per_unit", "scope", "beges_post", "source")
FACTOR_OPTIONAL = ("name_fr", "uncertainty_pct")
ACTIVITY_COLUMNS = ("centre", "year", "category", "item", "quantity", "unit")
POST = re.compile(r"^[1-6]\.[1-5]$")
MAX_SHOWN = 15


def _refuse(rejects: list[Reject], source: str, what: str, fix: str) -> None:
    raise InputError(
        ngettext("%(num)s problem", "%(num)s problems", len(rejects)) % {"num": len(rejects)}
        + f", {what}: {summary(rejects, MAX_SHOWN)}",
        file=source,
        fix=fix,
    )


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
    for row in checked_rows(text, source, FACTOR_COLUMNS, FACTOR_OPTIONAL):
        if not row.ok:
            rejects.extend(row.problems)
            continue
        line = row.line
        row.record = f"{row['category']}/{row['item']}"
        if row["category"] not in CATEGORIES:
            row.reject(
                "category", f"unknown category {row['category']!r}", f"use one of {', '.join(CATEGORIES)}"
            )
        if not row["item"]:
            row.reject("item", "missing", "name the item, e.g. electricity")
        elif (row["category"], row["item"]) in seen:
            row.reject(
                "item", f"duplicate of line {seen[(row['category'], row['item'])]}", "one factor per item"
            )
        else:
            seen[(row["category"], row["item"])] = line
        if not row["source"]:
            row.reject(
                "source", "missing", "every factor must name its source (publication, table and version)"
            )
        try:
            conversion(row["unit"], row["unit"])
        except InputError:
            row.reject("unit", f"unknown unit {row['unit']!r}", "use kWh, kg, t, L, m3, km or EUR")
        value = row.number("kgco2e_per_unit")
        if value is not None and value < 0:
            row.reject(
                "kgco2e_per_unit",
                f"{value:g} is negative",
                "emission factors are >= 0 (report removals apart)",
            )
        scope = row["scope"].strip()
        if scope not in ("1", "2", "3"):
            row.reject("scope", f"{scope!r}", "use 1, 2 or 3 (GHG Protocol)")
        if not POST.match(row["beges_post"]):
            row.reject("beges_post", f"{row['beges_post']!r}", "use a BEGES post such as 1.1, 2.1, 3.4, 4.1")
        unc = row.number("uncertainty_pct", "0")
        if not row.ok:
            rejects.extend(row.problems)
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
    for row in checked_rows(text, source, ACTIVITY_COLUMNS):
        if not row.ok:
            rejects.extend(row.problems)
            continue
        line = row.line
        row.record = f"{row['centre']} {row['year']} {row['category']}/{row['item']}"
        if row["centre"] not in centres:
            row.reject(
                "centre", f"unknown centre {row['centre']!r}", "use the centre ids of `oncofed centres`"
            )
        year = int(row["year"]) if row["year"].isdigit() else None
        if year is None or not years[0] <= year <= years[1]:
            row.reject("year", f"{row['year']!r}", f"give the year as YYYY ({years[0]}-{years[1]})")
        quantity = row.number("quantity")
        if quantity is not None and quantity < 0:
            row.reject(
                "quantity",
                f"{quantity:g} is negative",
                "quantities are >= 0 (a correction goes in a corrected file)",
            )
        cat, item, unit = row["category"], row["item"], row["unit"]
        if cat == NORMALISER:
            if item not in NORMALISER_ITEMS:
                row.reject("item", f"unknown activity item {item!r}", "use stays or beds")
            elif unit.lower().rstrip("s") != NORMALISER_ITEMS[item]:
                row.reject("unit", f"{unit!r}", f"give {item} as a count, unit {NORMALISER_ITEMS[item]}")
        elif cat not in CATEGORIES:
            row.reject(
                "category", f"unknown category {cat!r}", f"use one of {', '.join((*CATEGORIES, NORMALISER))}"
            )
        elif (cat, item) not in factors:
            known = sorted(i for c, i in factors if c == cat)
            row.reject(
                "item",
                f"no emission factor for {cat}/{item} in the table in use",
                f"use one of {', '.join(known)} or load a table that has it",
            )
        else:
            try:
                conversion(unit, factors[(cat, item)].unit)
            except InputError as exc:
                row.reject("unit", exc.reason, exc.fix or "")
        if year is not None:
            key = (row["centre"], year, cat, item)
            if key in seen:
                row.reject(
                    "item",
                    f"same centre, year and item as line {seen[key]}",
                    "give one total per item and year (sum them before, in one unit)",
                )
            seen[key] = line
        if not row.ok:
            rejects.extend(row.problems)
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
