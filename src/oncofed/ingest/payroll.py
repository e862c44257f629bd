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
from oncofed.errors import N_
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
        text, source, REQUIRED, OPTIONAL, malformed_fix=N_("check the delimiters and quotes of this line")
    ):
        if not row.ok:
            rejects.extend(row.problems)
            continue
        line = row.line
        sid = row.record = row["staff_id"]
        if not STAFF_ID.match(sid):
            row.reject(
                "staff_id", N_("%(value)r is not a pseudonymised id"), N_("use letters, digits, '.', '_' or '-' (no names)"),
                code="staff.id_not_pseudonymised", value=sid,
            )  # fmt: skip
        elif sid in seen:
            row.reject(
                "staff_id", N_("duplicate of line %(other)s"), N_("one row per employee"),
                code="staff.duplicate", other=seen[sid],
            )  # fmt: skip
        else:
            seen[sid] = line
        if row.get("centre") and row["centre"] != centre_id:
            row.reject(
                "centre", N_("%(value)r is not the centre imported (%(centre)s)"), N_("import each centre's export separately"),
                code="staff.other_centre", value=row["centre"], centre=centre_id,
            )  # fmt: skip
        fam, lvl = row["family"], row["level"]
        if fam not in families:
            row.reject(
                "family", N_("unknown family %(value)r"), N_("use one of %(choices)s"),
                code="staff.family", value=fam, choices=sorted(families),
            )  # fmt: skip
        elif (fam, lvl) not in levels:
            known = sorted(lv for f, lv in levels if f == fam)
            row.reject(
                "level", N_("unknown level %(value)r for %(family)s on %(day)s"), N_("use one of %(choices)s or update the grid"),
                code="staff.level", value=lvl, family=fam, day=as_of, choices=known,
            )  # fmt: skip
        try:
            hired = date.fromisoformat(row["hire_date"])
            if hired > as_of:
                row.reject(
                    "hire_date", N_("%(hired)s is after the export date %(day)s"), N_("check the date or the --as-of date"),
                    code="staff.hired_later", hired=hired, day=as_of,
                )  # fmt: skip
        except ValueError:
            hired = None
            row.reject(
                "hire_date", N_("%(value)r is not a date"), N_("use YYYY-MM-DD"),
                code="staff.hire_date", value=row["hire_date"],
            )  # fmt: skip
        fte = row.number("fte")
        if fte is not None and not 0 < fte <= MAX_FTE:
            row.reject(
                "fte", N_("%(value)s is outside 0-%(most)s"), N_("give the full-time equivalent, e.g. 0.8"),
                code="staff.fte", value=f"{fte:g}", most=f"{MAX_FTE:g}",
            )  # fmt: skip
        gross = row.number("gross_monthly")
        if gross is not None and gross <= 0:
            row.reject(
                "gross_monthly", N_("%(value)s is not a positive amount"), N_("give the monthly gross base pay in euros"),
                code="staff.gross", value=f"{gross:g}",
            )  # fmt: skip
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
