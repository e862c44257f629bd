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
        from oncofed.commands.words import tr

        if not n:
            said = tr().gettext("%(user)s has no active feasibility lockout", user=user)
            err_console.print(escape(said), highlight=False)
            sys.exit(1)
        said = tr().ngettext(
            "lifted %(num)s feasibility lockout of %(user)s (recorded in the audit log)",
            "lifted %(num)s feasibility lockouts of %(user)s (recorded in the audit log)",
            n,
            user=user,
        )
        console.print(escape(said))

    @audit_app.command("objections")
    def objections(
        as_json: bool = typer.Option(False, "--json", help="Print JSON (the same as /api/audit/objections)."),
        csv: bool = typer.Option(False, "--csv", help="Print the centres as CSV."),
    ) -> None:
        """Objections to research use per centre, and any read of an objecting patient made for research."""
        import json

        from oncofed.commands.common import cells, console, escape, open_database
        from oncofed.commands.words import day, num, table, tr
        from oncofed.errors import N_
        from oncofed.presenters.csv import to_csv
        from oncofed.services.operations.objections import COLUMNS, objection_report

        data = objection_report(open_database())
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        if csv:
            sys.stdout.write(to_csv(data["centres"], COLUMNS))
            return
        t = tr()
        percent = "\u00a0%" if t.lang == "fr" else "%"
        shown = table(N_("centre"), N_("patients"), N_("objecting"), N_("share"), N_("reads for research"),
                      title=N_("Objections to research use"))  # fmt: skip
        n = data["network"]
        for c in [*data["centres"], {**n, "centre": t.gettext("network")}]:
            share = "" if c["objecting_percent"] is None else num(c["objecting_percent"], 1) + percent
            shown.add_row(
                *cells(c["centre"], num(c["patients"]), num(c["objecting"]), share, num(c["research_reads"]))
            )
        console.print(shown)
        if not data["reads"]:
            console.print(escape(t.gettext("No read of an objecting patient for research in the audit log.")))
            return
        said = t.ngettext(
            "%(num)s read of an objecting patient for research: see the entries below.",
            "%(num)s reads of objecting patients for research: see the entries below.",
            len(data["reads"]),
        )
        console.print(f"[bold red]{escape(said)}[/]")
        reads = table("#", N_("when"), N_("user"), N_("role"), N_("purpose"), N_("action"), N_("patient"))
        for r in data["reads"]:
            reads.add_row(*cells(r["seq"], day(r["at"], time=True), r["user_id"], t.label("role", r["role"]),
                                 t.label("purpose", r["purpose"]), t.label("audit_action", r["action"]),
                                 r["patient_id"]))  # fmt: skip
        console.print(reads)
