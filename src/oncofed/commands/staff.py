"""`oncofed staff import|headcount|compliance|imports`: payroll exports per centre (issue 21).
Staff records are personal data: the CLI reads them as federation HR, or as a centre's HR with
--centre, under the shell user's name, and every read is in the audit log."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer

from oncofed.commands.common import cells, centre_option, escape
from oncofed.commands.grid import centre_names, hr_actor
from oncofed.commands.words import day, num, table
from oncofed.errors import N_

staff_app = typer.Typer(
    help="Staff records per centre: payroll imports, headcount, grid-minimum check.", no_args_is_help=True
)


@staff_app.command("import")
def import_cmd(
    path: Path = typer.Argument(
        ..., help="Payroll CSV export (template: oncofed/resources/workforce/staff_template.csv)."
    ),
    centre: str = typer.Option(
        ...,
        "--centre",
        help="The centre this export belongs to, id or name (its staff are replaced).",
        callback=centre_option,
    ),
    as_of: str = typer.Option(None, "--as-of", help="Date of the export (YYYY-MM-DD; default today)."),
    partial: bool = typer.Option(
        False, "--partial", help="Import the valid rows even if some are rejected (the rejects are recorded)."
    ),
    report: Path = typer.Option(None, "--report", help="Write every rejected row to this CSV."),
) -> None:
    """Replace a centre's staff records with its payroll export; every rejected row is named."""
    from oncofed.commands.common import cli_language, console, open_database
    from oncofed.errors import InputError
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.i18n import translator
    from oncofed.presenters.rejects import COLUMNS, reject_line, reject_row
    from oncofed.services.workforce.staff import import_payroll_file

    tr = translator(cli_language())  # the summary, the rejected rows and the report in --lang's words
    day = date.fromisoformat(as_of) if as_of else date.today()
    try:
        result = import_payroll_file(open_database(), hr_actor(centre), path, centre, day, partial=partial)
    except InputError:
        if report is not None:
            hint = tr.gettext("nothing imported; run with --partial to keep the valid rows")
            console.print(f"[dim]{escape(hint)}[/]")
        raise
    if report is not None and result.rejects:
        rows = [reject_row(r, tr.lang) for r in result.rejects]
        report.write_text(to_csv(rows, COLUMNS), encoding="utf-8")
    said = tr.gettext(
        "%(centre)s: %(imported)s staff records imported from %(rows)s, %(problems)s",
        centre=centre,
        imported=result.imported,
        rows=tr.ngettext("%(num)s row", "%(num)s rows", result.rows),
        problems=tr.ngettext("%(num)s problem", "%(num)s problems", len(result.rejects)),
    )
    if report is not None and result.rejects:
        said += " " + tr.gettext("(written to %(path)s)", path=str(report))
    console.print(escape(said))
    for r in result.rejects[:20]:
        console.print(f"  [yellow]{escape(reject_line(r, tr.lang))}[/]")


@staff_app.command("headcount")
def headcount_cmd(
    centre: str = typer.Option(
        None, "--centre", help="One centre, id or name (as its HR).", callback=centre_option
    ),
    as_json: bool = typer.Option(False, "--json"),
    csv: bool = typer.Option(False, "--csv"),
) -> None:
    """Staff and FTE per centre, family and level."""
    from oncofed.commands.common import console, open_database
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.workforce import HEADCOUNT_COLUMNS, with_names
    from oncofed.services.workforce.staff import headcount

    db = open_database()
    rows = with_names(headcount(db, hr_actor(centre), centre), centre_names(db))
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if csv:
        sys.stdout.write(to_csv(rows, HEADCOUNT_COLUMNS))
        return
    shown = table(N_("centre"), N_("family"), N_("level"), N_("staff"), N_("FTE"))
    for r in rows:
        shown.add_row(*cells(r["centre"], r["family"], r["level"], str(r["staff"]), num(r["fte"], 1)))
    console.print(shown)


@staff_app.command("compliance")
def compliance_cmd(
    centre: str = typer.Option(
        None,
        "--centre",
        help="One centre (id or name), as its HR: lists the employees paid under the grid minimum.",
        callback=centre_option,
    ),
    on: str = typer.Option(
        None, "--on", help="Check against the grid in force on this date (default: each export's date)."
    ),
    as_json: bool = typer.Option(False, "--json"),
    csv: bool = typer.Option(
        False, "--csv", help="CSV of the flagged employees (with --centre) or of the counts."
    ),
) -> None:
    """Employees paid under the grid minimum: counts per centre; the list itself for one centre's HR."""
    from oncofed.commands.common import console, open_database
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.workforce import COMPLIANCE_COLUMNS, FLAGGED_COLUMNS, with_names
    from oncofed.services.workforce.staff import compliance

    db = open_database()
    data = compliance(db, hr_actor(centre), date.fromisoformat(on) if on else None, centre)
    data["centres"] = with_names(data["centres"], centre_names(db))
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if csv:
        sys.stdout.write(
            to_csv(data["flagged"], FLAGGED_COLUMNS)
            if centre
            else to_csv(data["centres"], COMPLIANCE_COLUMNS)
        )
        return
    shown = table(
        N_("centre"),
        N_("export of"),
        N_("staff"),
        N_("under the minimum"),
        N_("monthly shortfall (EUR)"),
        said_title=escape(data["grid"]),
    )
    for r in data["centres"]:
        shown.add_row(
            *cells(
                r["centre"],
                day(r["on"]),
                str(r["staff"]),
                str(r["below_minimum"]),
                num(r["shortfall_monthly"], 2),
            )
        )
    console.print(shown)
    if data["flagged"]:
        flagged = table(
            N_("staff id"),
            N_("family"),
            N_("level"),
            N_("FTE"),
            N_("paid (EUR)"),
            N_("minimum (EUR)"),
            N_("gap (EUR)"),
            title=N_("paid under the grid minimum"),
        )
        for f in data["flagged"]:
            flagged.add_row(
                *cells(
                    f["staff_id"],
                    f["family"],
                    f["level"],
                    num(f["fte"]),
                    num(f["gross_monthly"], 2),
                    num(f["minimum_monthly"], 2),
                    num(f["gap_monthly"], 2),
                )
            )
        console.print(flagged)


@staff_app.command("imports")
def imports_cmd() -> None:
    """The payroll imports (per centre: file, date, rows kept and rejected, by whom)."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.workforce.staff import imports

    shown = table(N_("id"), N_("centre"), N_("export of"), N_("rows"), N_("rejected"), N_("file"), N_("by"))
    for r in imports(open_database(), hr_actor()):
        shown.add_row(
            *cells(
                str(r["id"]),
                r["centre_id"],
                day(r["as_of"]),
                str(r["rows"]),
                str(r["rejected"]),
                r["source_file"],
                r["imported_by"],
            )
        )
    console.print(shown)


def register(app: typer.Typer) -> None:
    app.add_typer(staff_app, name="staff")
