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
from oncofed.ingest.tabular import Reject, number, rows

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
    for line, row in rows(text, source, REQUIRED, OPTIONAL):
        if "__error__" in row:
            rejects.append(
                Reject(line, "*", row["__error__"], "check the delimiters and quotes of this line")
            )
            continue
        sid = row["staff_id"]
        problems: list[Reject] = []
        if not STAFF_ID.match(sid):
            problems.append(
                Reject(
                    line,
                    "staff_id",
                    f"{sid!r} is not a pseudonymised id",
                    "use letters, digits, '.', '_' or '-' (no names)",
                    sid,
                )
            )
        elif sid in seen:
            problems.append(
                Reject(line, "staff_id", f"duplicate of line {seen[sid]}", "one row per employee", sid)
            )
        else:
            seen[sid] = line
        if row.get("centre") and row["centre"] != centre_id:
            problems.append(
                Reject(
                    line,
                    "centre",
                    f"{row['centre']!r} is not the centre imported ({centre_id})",
                    "import each centre's export separately",
                    sid,
                )
            )
        fam, lvl = row["family"], row["level"]
        if fam not in families:
            problems.append(
                Reject(
                    line,
                    "family",
                    f"unknown family {fam!r}",
                    f"use one of {', '.join(sorted(families))}",
                    sid,
                )
            )
        elif (fam, lvl) not in levels:
            known = sorted(lv for f, lv in levels if f == fam)
            problems.append(
                Reject(
                    line,
                    "level",
                    f"unknown level {lvl!r} for {fam} on {as_of}",
                    f"use one of {', '.join(known)} or update the grid",
                    sid,
                )
            )
        try:
            hired = date.fromisoformat(row["hire_date"])
            if hired > as_of:
                problems.append(
                    Reject(
                        line,
                        "hire_date",
                        f"{hired} is after the export date {as_of}",
                        "check the date or the --as-of date",
                        sid,
                    )
                )
        except ValueError:
            hired = None
            problems.append(
                Reject(line, "hire_date", f"{row['hire_date']!r} is not a date", "use YYYY-MM-DD", sid)
            )
        fte = _num(row["fte"], line, "fte", sid, problems)
        if fte is not None and not 0 < fte <= MAX_FTE:
            problems.append(
                Reject(
                    line,
                    "fte",
                    f"{fte:g} is outside 0-{MAX_FTE:g}",
                    "give the full-time equivalent, e.g. 0.8",
                    sid,
                )
            )
        gross = _num(row["gross_monthly"], line, "gross_monthly", sid, problems)
        if gross is not None and gross <= 0:
            problems.append(
                Reject(
                    line,
                    "gross_monthly",
                    f"{gross:g} is not a positive amount",
                    "give the monthly gross base pay in euros",
                    sid,
                )
            )
        if problems:
            rejects.extend(problems)
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


def _num(value: str, line: int, field: str, sid: str, problems: list[Reject]) -> float | None:
    try:
        return number(value)
    except ValueError:
        problems.append(
            Reject(
                line, field, f"{value!r} is not a number", "write digits with '.' or ',' as decimal mark", sid
            )
        )
        return None
