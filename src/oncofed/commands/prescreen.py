"""`oncofed prescreen TRIAL --centre C` and `oncofed recruitment TRIAL`: the same services as the web."""

from __future__ import annotations

import json
import sys
from datetime import date

import typer
from rich.table import Table

from oncofed.commands.common import cells, escape
from oncofed.domain import Actor
from oncofed.errors import N_
from oncofed.presenters.csv import to_csv


def _cli_actor(trial: str, centre: str) -> Actor:
    """The person at the terminal, acting for research at one centre (objectors hidden), audited as
    cli:<OS user> with the command line as the request."""
    from oncofed.commands.operator import operator

    return operator("research", f"prescreen {trial} --centre {centre}", frozenset({centre}))


def register(app: typer.Typer) -> None:
    @app.command("prescreen")
    def prescreen_cmd(
        trial: str = typer.Argument(..., help="Trial id, e.g. DEMO-0001."),
        centre: str = typer.Option(
            ..., "--centre", "-c", help="Centre id or name, e.g. gustave-roussy or 'Gustave Roussy'."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
        candidates_only: bool = typer.Option(
            False,
            "--candidates-only",
            help="Only the plausible candidates (hide probably-not and not-eligible).",
        ),
        limit: int = typer.Option(50, help="Rows in the table view (JSON/CSV print all)."),
    ) -> None:
        """Pre-screen a trial at a centre: eligible, possibly eligible (what to check), probably not eligible
        (a criterion read as not met that may not exclude alone: to clear or confirm), not eligible (why)."""
        from oncofed.commands.common import console, err_console, open_database
        from oncofed.presenters.prescreen import PRESCREEN_COLUMNS, list_json
        from oncofed.services.network.names import resolve_centre
        from oncofed.services.prescreen.lists import prescreen_list

        db = open_database()
        centre = resolve_centre(db, centre).id  # names too: "Gustave Roussy", "leon berard" (issue 18)
        with err_console.status(escape(f"pre-screening {trial} at {centre}...")):
            result = prescreen_list(
                db, trial, centre, _cli_actor(trial, centre), include_not_eligible=not candidates_only
            )
        payload = list_json(result)
        rows = payload["candidates"]
        if as_json:
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if as_csv:
            sys.stdout.write(to_csv(rows, PRESCREEN_COLUMNS))
            return
        r = result.refresh
        if r:
            mode = "full" if r.full else "incremental"
            from oncofed.presenters.i18n import translator

            en = translator("en")  # the command line speaks English; plural forms from the catalogue
            err_console.print(
                en.ngettext("%(num)s patient", "%(num)s patients", r.patients)
                + f" at {result.centre_name}; {r.evaluated} evaluated ({mode}) in {r.seconds * 1000:.0f} ms; "
                + en.ngettext("%(num)s new candidate", "%(num)s new candidates", r.new_candidates)
            )
        c = result.counts
        console.print(
            f"[bold]{trial}[/] at {result.centre_name}: eligible {c['eligible']}, possibly eligible "
            f"{c['possible']}, probably not (to check) {c['unlikely']}, not eligible {c['not_eligible']}"
        )
        from oncofed.presenters.i18n import translator
        from oncofed.presenters.prescreen import held_back_said, order_said

        en = translator("en")
        if c["unlikely"]:  # how the probably-not rows are ordered, and from what
            console.print(escape("probably not (to check): " + order_said(en, payload["reading_order"])))
        table = Table("#", "patient", "eligibility", "score", "status", "to check / blocking")
        for row in rows[:limit]:
            detail = row["to_check"] if row["eligibility"] != "not_eligible" else row["blocking"]
            width = 120
            if row["eligibility"] == "unlikely":  # what was read as not met first: to clear or confirm
                said = [held_back_said(en, h) for h in row["held_back"]]
                said += [""] * (len(row["read_not_met"]) - len(said))
                detail = [
                    f"read as not met: {x}" + (f" ({w})" if w else "")
                    for x, w in zip(row["read_not_met"], said, strict=False)
                ] + row["to_check"][len(row["read_not_met"]) :]
                width = 400  # the reading's odds are what the nurse sorts by: not cut
            table.add_row(
                *cells(
                    str(row["rank"]),
                    row["patient_id"] + (" (new)" if row["is_new"] else ""),
                    row["eligibility"],
                    f"{row['score']:.2f}",
                    row["status"],
                    "; ".join(detail)[:width],
                )
            )
        console.print(table)

    @app.command("recruitment")
    def recruitment_cmd(
        trial: str = typer.Argument(..., help="Trial id, e.g. DEMO-0001."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        as_csv: bool = typer.Option(False, "--csv", help="Print the per-site table as CSV."),
        as_of: str = typer.Option("", help="Date of the projection (YYYY-MM-DD), default today."),
    ) -> None:
        """Enrolment per site against targets, and the projected completion date with its interval."""
        from oncofed.commands.common import console, err_console, open_database
        from oncofed.errors import InputError
        from oncofed.presenters.recruitment import recruitment_json
        from oncofed.services.recruitment.projections import trial_recruitment

        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise InputError(
                N_("%(value)s is not a date"), field="--as-of", fix=N_("write YYYY-MM-DD"), code="input.not_date",
                params={"value": repr(as_of)},
            ) from exc  # fmt: skip
        r = trial_recruitment(open_database(), trial, day)
        payload = recruitment_json(r)
        if as_json:
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if as_csv:
            cols = list(payload["site_progress"][0]) if payload["site_progress"] else ["site"]
            sys.stdout.write(to_csv(payload["site_progress"], cols))
            return
        target = payload["target"] if payload["target"] is not None else "no target"
        console.print(f"[bold]{escape(trial)}[/] {escape(r.trial.title)}")
        console.print(
            f"enrolled {payload['enrolled']} / {target} ({payload['target_source']}) as of {payload['as_of']}"
        )
        if payload["projected_completion"]:
            console.print(
                f"projected completion {payload['projected_completion']} "
                f"(90% interval {payload['projected_low']} to {payload['projected_high'] or 'beyond 100 years'}); "
                f"planned {payload['planned_completion']}; rate {payload['rate_per_month']}/month"
            )
        elif payload["projection_note"]:
            console.print(f"projection: {payload['projection_note']}")
        table = Table("site", "status", "enrolled", "target", "expected now", "P(reach target)", "behind")
        for s in payload["site_progress"]:
            table.add_row(
                *cells(s["site"], s["status"]),
                str(s["enrolled"]),
                str(s["target"] or "-"),
                str(s["expected_by_now"] or "-"),
                "-" if s["p_reach_target"] is None else f"{s['p_reach_target']:.0%}",
                "[red]behind[/]" if s["behind"] else "",
            )
        console.print(table)
        for w in payload["warnings"]:
            err_console.print(f"[yellow]note:[/] {escape(str(w))}")
        err_console.print(f"model: {payload['model']}")
