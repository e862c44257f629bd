"""`oncofed audit verify|list`: check the hash chain, search and export the audit log."""

from __future__ import annotations

import sys

import typer

from oncofed.commands.common import centre_option


def register(app: typer.Typer) -> None:
    audit_app = typer.Typer(
        help="Audit log of patient-data reads and security events: verify the chain, search, export, lift a lockout.",
        no_args_is_help=True,
    )
    app.add_typer(audit_app, name="audit")

    @audit_app.command("verify")
    def verify() -> None:
        """Recompute every row's hash and link; exit 1 when a row was edited, inserted or deleted."""
        from oncofed.commands.common import cli_language, console, err_console, escape, open_database
        from oncofed.presenters.i18n import translator
        from oncofed.presenters.rejects import part_said
        from oncofed.store.audit import verify_chain

        report = verify_chain(open_database().engine)
        tr = translator(cli_language())
        rows = tr.ngettext("%(num)s row", "%(num)s rows", report.rows)
        if report.ok:
            intact = tr.gettext("audit chain intact")
            console.print(f"[green]{escape(intact)}[/]{tr.colon()}{rows}")
            return
        broken = tr.gettext("audit chain broken")
        err_console.print(f"[bold red]{escape(broken)}[/] ({rows}){tr.colon().rstrip()}")
        for problem in report.said:
            err_console.print(f"  - {escape(part_said(problem, tr.lang))}")
        sys.exit(1)

    @audit_app.command("list")
    def list_(
        user: str = typer.Option(None, help="Only this user."),
        patient: str = typer.Option(None, help="Only reads of this patient id."),
        centre: str = typer.Option(
            None, help="Only reads of this centre's records (id or name).", callback=centre_option
        ),
        action: str = typer.Option(
            None, help="Only this action, e.g. feasibility (each question with the criteria it counted)."
        ),
        since: str = typer.Option(None, help="From this date (YYYY-MM-DD, UTC)."),
        until: str = typer.Option(None, help="To this date (inclusive)."),
        limit: int = typer.Option(50, min=1, help="At most this many entries, newest first."),
        csv: bool = typer.Option(False, "--csv", help="Print CSV (all columns) instead of a table."),
        security: bool = typer.Option(
            False, "--security", help="Security events only: refused attempts, feasibility lockouts."
        ),
    ) -> None:
        """Search the log, newest first."""
        from oncofed.commands.common import cells, cli_language, console, open_database
        from oncofed.presenters.audit_words import CSV_COLUMNS, entry
        from oncofed.presenters.csv import to_csv
        from oncofed.store.audit import search

        found = search(
            open_database().engine,
            user=user,
            patient=patient,
            centre=centre,
            action=action,
            since=since,
            until=until,
            limit=limit,
            security=security,
        )
        rows = [entry(r, cli_language()) for r in found]  # each detail in --lang's words
        if csv:
            sys.stdout.write(to_csv(rows, CSV_COLUMNS))
            return
        from oncofed.commands.words import day, table, tr
        from oncofed.errors import N_

        t = tr()
        shown = table(
            "#", N_("when"), N_("user"), N_("role"), N_("purpose"), N_("action"), N_("centres"), N_("records"),
            N_("patients"), N_("detail"),
        )  # fmt: skip
        for r in rows:
            shown.add_row(
                *cells(
                    r["seq"],
                    day(r["at"], time=True),
                    r["user_id"],
                    t.label("role", r["role"]),
                    t.label("purpose", r["purpose"]),
                    r["action_said"],
                    r["centre_ids"],
                    r["n_records"],
                    r["patient_ids"][:60],
                    " | ".join(x for x in (r["request"], r["detail"]) if x),
                )
            )
        console.print(shown)

    @audit_app.command("unlock")
    def unlock(user: str = typer.Argument(..., help="The user locked out of feasibility questions.")) -> None:
        """Lift a feasibility lockout (differencing pattern) after review (`oncofed audit list --user USER
        --action feasibility` lists the user's questions with the criteria each counted); recorded in the
        audit log. Exit 1 when the user has no active lockout; an unknown user is an error."""
        from oncofed.commands.common import console, err_console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.services.feasibility.budget import lift_lockout

        n = lift_lockout(open_database(), operator("audit", f"audit unlock {user}"), user)
        if not n:
            err_console.print(f"{escape(user)} has no active feasibility lockout", highlight=False)
            sys.exit(1)
        from oncofed.presenters.i18n import translator

        said = translator("en").ngettext(  # English plural forms
            "lifted %(num)s feasibility lockout of %(user)s (recorded in the audit log)",
            "lifted %(num)s feasibility lockouts of %(user)s (recorded in the audit log)",
            n,
            user=escape(user),
        )
        console.print(said)
