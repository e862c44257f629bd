"""Payroll CSV export -> staff records of one centre, checked against the grid in force.

Columns: staff_id (pseudonymised), family, level, hire_date (YYYY-MM-DD), fte (0-1.2),
gross_monthly (monthly gross base pay at the employee's FTE, before allowances); optional
`centre` (must be the centre being imported). Template: resources/workforce/staff_template.csv.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from oncofed.domain.workforce import Grid
from oncofed.ingest.tabular import Reject, checked_rows

REQUIRED = ("staff_id", "family", "level", "hire_date", "fte", "gross_monthly")
OPTIONAL = ("centre",)
MAX_FTE = 1.2
STAFF_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def read_payroll(
    text: str, source: str, grid: Grid, as_of: date, centre_id: str
) -> tuple[list[dict[str, Any]], list[Reject]]:
    """(valid rows in the store layout, rejected rows with the reason). Nothing is guessed."""
    levels = grid.levels_on(as_of)
    families = set(grid.family_codes())
    good: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    seen: dict[str, int] = {}
    for row in checked_rows(
        text, source, REQUIRED, OPTIONAL, malformed_fix="check the delimiters and quotes of this line"
    ):
        if not row.ok:
            rejects.extend(row.problems)
            continue
        line = row.line
        sid = row.record = row["staff_id"]
        if not STAFF_ID.match(sid):
            row.reject(
                "staff_id",
                f"{sid!r} is not a pseudonymised id",
                "use letters, digits, '.', '_' or '-' (no names)",
            )
        elif sid in seen:
            row.reject("staff_id", f"duplicate of line {seen[sid]}", "one row per employee")
        else:
            seen[sid] = line
        if row.get("centre") and row["centre"] != centre_id:
            row.reject(
                "centre",
                f"{row['centre']!r} is not the centre imported ({centre_id})",
                "import each centre's export separately",
            )
        fam, lvl = row["family"], row["level"]
        if fam not in families:
            row.reject("family", f"unknown family {fam!r}", f"use one of {', '.join(sorted(families))}")
        elif (fam, lvl) not in levels:
            known = sorted(lv for f, lv in levels if f == fam)
            row.reject(
                "level",
                f"unknown level {lvl!r} for {fam} on {as_of}",
                f"use one of {', '.join(known)} or update the grid",
            )
        try:
            hired = date.fromisoformat(row["hire_date"])
            if hired > as_of:
                row.reject(
                    "hire_date",
                    f"{hired} is after the export date {as_of}",
                    "check the date or the --as-of date",
                )
        except ValueError:
            hired = None
            row.reject("hire_date", f"{row['hire_date']!r} is not a date", "use YYYY-MM-DD")
        fte = row.number("fte")
        if fte is not None and not 0 < fte <= MAX_FTE:
            row.reject("fte", f"{fte:g} is outside 0-{MAX_FTE:g}", "give the full-time equivalent, e.g. 0.8")
        gross = row.number("gross_monthly")
        if gross is not None and gross <= 0:
            row.reject(
                "gross_monthly",
                f"{gross:g} is not a positive amount",
                "give the monthly gross base pay in euros",
            )
        if not row.ok:
            rejects.extend(row.problems)
            continue
        good.append(
            {
                "staff_id": sid,
                "family": fam,
                "level": lvl,
                "hire_date": hired,
                "fte": fte,
                "gross_monthly": gross,
            }
        )
    return good, rejects
