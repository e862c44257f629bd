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
from oncofed.errors import N_, NN_, InputError
from oncofed.ingest.tabular import Reject, checked_rows, summary

FACTOR_COLUMNS = ("category", "item", "name_en", "unit", "kgco2e_per_unit", "scope", "beges_post", "source")
FACTOR_OPTIONAL = ("name_fr", "uncertainty_pct")
ACTIVITY_COLUMNS = ("centre", "year", "category", "item", "quantity", "unit")
POST = re.compile(r"^[1-6]\.[1-5]$")
MAX_SHOWN = 15


def _refuse(rejects: list[Reject], source: str, message: tuple[str, str], fix: str) -> None:
    raise InputError(
        message,
        file=source,
        fix=fix,
        code="carbon.rows_refused",
        params={"num": len(rejects), "rows": summary(rejects, MAX_SHOWN)},
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
                "category", N_("unknown category %(value)r"), N_("use one of %(choices)s"),
                code="carbon.category", value=row["category"], choices=list(CATEGORIES),
            )  # fmt: skip
        if not row["item"]:
            row.reject(
                "item", N_("missing"), N_("name the item, e.g. electricity"), code="carbon.item_missing"
            )
        elif (row["category"], row["item"]) in seen:
            row.reject(
                "item", N_("duplicate of line %(other)s"), N_("one factor per item"),
                code="carbon.factor_duplicate", other=seen[(row["category"], row["item"])],
            )  # fmt: skip
        else:
            seen[(row["category"], row["item"])] = line
        if not row["source"]:
            row.reject(
                "source", N_("missing"), N_("every factor must name its source (publication, table and version)"),
                code="carbon.source_missing",
            )  # fmt: skip
        try:
            conversion(row["unit"], row["unit"])
        except InputError:
            row.reject(
                "unit", N_("unknown unit %(value)r"), N_("use kWh, kg, t, L, m3, km or EUR"),
                code="carbon.unit", value=row["unit"],
            )  # fmt: skip
        value = row.number("kgco2e_per_unit")
        if value is not None and value < 0:
            row.reject(
                "kgco2e_per_unit", N_("%(value)s is negative"), N_("emission factors are >= 0 (report removals apart)"),
                code="carbon.factor_negative", value=f"{value:g}",
            )  # fmt: skip
        scope = row["scope"].strip()
        if scope not in ("1", "2", "3"):
            row.reject(
                "scope", N_("%(value)r is not a scope"), N_("use 1, 2 or 3 (GHG Protocol)"),
                code="carbon.scope", value=scope,
            )  # fmt: skip
        if not POST.match(row["beges_post"]):
            row.reject(
                "beges_post", N_("%(value)r is not a BEGES post"), N_("use a BEGES post such as 1.1, 2.1, 3.4, 4.1"),
                code="carbon.beges_post", value=row["beges_post"],
            )  # fmt: skip
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
            NN_("%(num)s problem, nothing loaded: %(rows)s", "%(num)s problems, nothing loaded: %(rows)s"),
            N_("correct these rows (layout: resources/carbon/factors_example.csv)"),
        )
    if not factors:
        raise InputError(
            N_("no factor in the table"),
            file=source,
            fix=N_("see resources/carbon/factors_example.csv"),
            code="carbon.no_factor",
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
                "centre", N_("unknown centre %(value)r"), N_("use the centre ids of `oncofed centres`"),
                code="carbon.centre", value=row["centre"],
            )  # fmt: skip
        year = int(row["year"]) if row["year"].isdigit() else None
        if year is None or not years[0] <= year <= years[1]:
            row.reject(
                "year", N_("%(value)r is not a year"), N_("give the year as YYYY (%(first)s-%(last)s)"),
                code="carbon.year", value=row["year"], first=years[0], last=years[1],
            )  # fmt: skip
        quantity = row.number("quantity")
        if quantity is not None and quantity < 0:
            row.reject(
                "quantity", N_("%(value)s is negative"), N_("quantities are >= 0 (a correction goes in a corrected file)"),
                code="carbon.quantity_negative", value=f"{quantity:g}",
            )  # fmt: skip
        cat, item, unit = row["category"], row["item"], row["unit"]
        if cat == NORMALISER:
            if item not in NORMALISER_ITEMS:
                row.reject(
                    "item", N_("unknown activity item %(value)r"), N_("use stays or beds"),
                    code="carbon.activity_item", value=item,
                )  # fmt: skip
            elif unit.lower().rstrip("s") != NORMALISER_ITEMS[item]:
                row.reject(
                    "unit", N_("%(value)r is not a count"), N_("give %(item)s as a count, unit %(unit)s"),
                    code="carbon.count_unit", value=unit, item=item, unit=NORMALISER_ITEMS[item],
                )  # fmt: skip
        elif cat not in CATEGORIES:
            row.reject(
                "category", N_("unknown category %(value)r"), N_("use one of %(choices)s"),
                code="carbon.category", value=cat, choices=[*CATEGORIES, NORMALISER],
            )  # fmt: skip
        elif (cat, item) not in factors:
            known = sorted(i for c, i in factors if c == cat)
            row.reject(
                "item", N_("no emission factor for %(category)s/%(item)s in the table in use"),
                N_("use one of %(choices)s or load a table that has it"),
                code="carbon.no_factor_for", category=cat, item=item, choices=known,
            )  # fmt: skip
        else:
            try:
                conversion(unit, factors[(cat, item)].unit)
            except InputError as exc:
                if exc.code and exc.template and exc.fix_template and isinstance(exc.template, str):
                    row.reject("unit", exc.template, exc.fix_template, code=exc.code, **exc.params)
                else:
                    row.reject("unit", exc.reason, exc.fix or "")
        if year is not None:
            key = (row["centre"], year, cat, item)
            if key in seen:
                row.reject(
                    "item", N_("same centre, year and item as line %(other)s"),
                    N_("give one total per item and year (sum them before, in one unit)"),
                    code="carbon.activity_duplicate", other=seen[key],
                )  # fmt: skip
            seen[key] = line
        if not row.ok:
            rejects.extend(row.problems)
            continue
        out.append(Activity(row["centre"], int(year or 0), cat, item, float(quantity or 0.0), unit, line))
    if rejects:
        _refuse(
            rejects,
            source,
            NN_(
                "%(num)s problem, nothing imported: %(rows)s", "%(num)s problems, nothing imported: %(rows)s"
            ),
            N_("correct these rows (template: resources/carbon/activity_template.csv)"),
        )
    if not out:
        raise InputError(
            N_("no activity row"),
            file=source,
            fix=N_("see resources/carbon/activity_template.csv"),
            code="carbon.no_activity_row",
        )
    return out
