"""`oncofed contact-requests --centre C`: the patients of a centre who asked, from their own space, to be
contacted about a trial (docs/PATIENTS.md), the same list as `/prescreen/requests`; `--handled ID` marks
one handled. Read as the person at the terminal, for research at that centre (objectors hidden), audited."""

from __future__ import annotations

import json

import typer

from oncofed.errors import N_


def register(app: typer.Typer) -> None:
    @app.command("contact-requests")
    def contact_requests(
        centre: str = typer.Option(
            ..., "--centre", "-c", help="Centre id or name, e.g. curie or 'Institut Curie'."
        ),
        include_handled: bool = typer.Option(False, "--all", help="The handled requests too."),
        handled: int | None = typer.Option(
            None, "--handled", help="Mark request ID handled (you contacted the patient)."
        ),
        forward: int | None = typer.Option(
            None, "--forward", help="Forward request ID to the network centre that recruits (audited)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    ) -> None:
        """Patients asking to be contacted about a trial (from their own space, /me/trials)."""
        from oncofed.commands.common import cells, console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.commands.words import day, table, tr
        from oncofed.presenters.csv import to_csv
        from oncofed.services.network.names import resolve_centre
        from oncofed.services.patient_space.trials import REQUEST_COLUMNS, mark_handled, staff_requests

        db = open_database()
        centre_id = resolve_centre(db, centre).id
        actor = operator("research", f"contact-requests --centre {centre_id}", frozenset({centre_id}))
        t = tr()
        if forward is not None:
            from oncofed.services.patient_space.forwarding import forward as forward_request

            sent = forward_request(db, actor, forward)
            said = t.gettext(
                "request %(request)s forwarded to %(centre)s", request=sent["id"], centre=sent["forwarded_to"]
            )
            console.print(escape(said))
            return
        if handled is not None:
            done = mark_handled(db, actor, handled)
            said = t.gettext(
                "request %(request)s about trial %(trial)s handled",
                request=done["id"],
                trial=done["trial_id"],
            )
            console.print(escape(said))
            return
        rows = staff_requests(db, actor, include_handled=include_handled)
        if as_json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if as_csv:
            print(to_csv(rows, REQUEST_COLUMNS), end="")
            return
        if not rows:
            console.print(escape(t.gettext("No request waiting.")))
            return
        shown = table(N_("Asked"), N_("Patient"), N_("Trial"), N_("Message"), N_("handled"))
        for r in rows:
            shown.add_row(*cells(str(r["id"]) + " · " + day(r["asked_at"], time=True), r["patient_id"], r["trial_id"],
                                 r["message"], r["handled_by"] or ""))  # fmt: skip
        console.print(shown)
