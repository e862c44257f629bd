"""`oncofed corrections --centre C`: the patients of a centre who asked, from their own space, for a fact
of their record to be corrected (RGPD art. 16; docs/PATIENTS.md), the list of `/patients/corrections`;
`--answer ID --text "..."` answers one (shown to the patient). Read as the person at the terminal, for
care at that centre, audited."""

from __future__ import annotations

import json

import typer

from oncofed.errors import N_


def register(app: typer.Typer) -> None:
    @app.command("corrections")
    def corrections_(
        centre: str = typer.Option(..., "--centre", "-c", help="Centre id or name, e.g. curie."),
        include_handled: bool = typer.Option(False, "--all", help="The answered requests too."),
        answer: int | None = typer.Option(None, "--answer", help="Answer request ID (with --text)."),
        text: str = typer.Option("", "--text", help="The answer the patient reads in their space."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    ) -> None:
        """Patients asking for a correction of their record (from their own space, /me/record)."""
        from oncofed.commands.common import cells, console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.commands.words import day, table, tr
        from oncofed.presenters.csv import to_csv
        from oncofed.services.network.names import resolve_centre
        from oncofed.services.patient_space import corrections

        db = open_database()
        centre_id = resolve_centre(db, centre).id
        actor = operator("care", f"corrections --centre {centre_id}", frozenset({centre_id}))
        t = tr()
        if answer is not None:
            done = corrections.answer(db, actor, answer, text)
            console.print(escape(t.gettext("correction request %(request)s answered", request=done["id"])))
            return
        rows = corrections.work_list(db, actor, include_handled=include_handled)
        if as_json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if as_csv:
            print(to_csv(rows, corrections.COLUMNS), end="")
            return
        if not rows:
            console.print(escape(t.gettext("No request waiting.")))
            return
        shown = table(N_("Asked"), N_("Patient"), N_("Fact"), N_("Reason"), N_("Answer"))
        for r in rows:
            shown.add_row(*cells(f"{r['id']} · {day(r['asked_at'], time=True)}", r["patient_id"], r["fact"],
                                 r["reason"], r["answer"]))  # fmt: skip
        console.print(shown)
