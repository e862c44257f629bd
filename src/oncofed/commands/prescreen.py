"""`oncofed prescreen TRIAL --centre C` and `oncofed recruitment TRIAL`: the same services as the web."""

from __future__ import annotations

import json
import sys
from datetime import date

import typer

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
        from oncofed.commands.words import num, table, tr

        t = tr()
        with err_console.status(
            escape(t.gettext("pre-screening %(trial)s at %(centre)s...", trial=trial, centre=centre))
        ):
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
            said = t.gettext(
                "%(patients)s at %(centre)s; %(evaluated)s evaluated (%(mode)s) in %(ms)s ms; %(new)s",
                patients=t.ngettext("%(num)s patient", "%(num)s patients", r.patients, num=num(r.patients)),
                centre=result.centre_name,
                evaluated=num(r.evaluated),
                mode=t.gettext("full") if r.full else t.gettext("incremental"),
                ms=num(r.seconds * 1000, 0),
                new=t.ngettext("%(num)s new candidate", "%(num)s new candidates", r.new_candidates),
            )
            err_console.print(escape(said))
        c = result.counts
        said = t.gettext(
            "%(trial)s at %(centre)s: eligible %(eligible)s, possibly eligible %(possible)s, probably not "
            "(to check) %(unlikely)s, not eligible %(not_eligible)s",
            trial=trial, centre=result.centre_name, eligible=num(c["eligible"]), possible=num(c["possible"]),
            unlikely=num(c["unlikely"]), not_eligible=num(c["not_eligible"]),
        )  # fmt: skip
        console.print(f"[bold]{escape(said)}[/]")
        from oncofed.presenters.prescreen import held_back_said, order_said

        if c["unlikely"]:  # how the probably-not rows are ordered, and from what
            head = t.gettext("probably not (to check)") + t.colon()
            console.print(escape(head + order_said(t, payload["reading_order"])))
        shown = table(
            "#", N_("patient"), N_("eligibility"), N_("score"), N_("status"), N_("to check / blocking")
        )
        for row in rows[:limit]:
            detail = row["to_check"] if row["eligibility"] != "not_eligible" else row["blocking"]
            width = 120
            if row["eligibility"] == "unlikely":  # what was read as not met first: to clear or confirm
                said_back = [held_back_said(t, h) for h in row["held_back"]]
                said_back += [""] * (len(row["read_not_met"]) - len(said_back))
                detail = [
                    t.gettext("read as not met: %(criterion)s", criterion=x) + (f" ({w})" if w else "")
                    for x, w in zip(row["read_not_met"], said_back, strict=False)
                ] + row["to_check"][len(row["read_not_met"]) :]
                width = 400  # the reading's odds are what the nurse sorts by: not cut
            shown.add_row(
                *cells(
                    num(row["rank"]),
                    row["patient_id"] + (" (" + t.gettext("new") + ")" if row["is_new"] else ""),
                    t.label("ps_eligibility", row["eligibility"]),
                    num(row["score"], 2),
                    t.label("st", row["status"]),
                    t.pgettext("list separator", "; ").join(detail)[:width],
                )
            )
        console.print(shown)

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
        from oncofed.commands.words import num, table, tr
        from oncofed.presenters.engine_text import say

        t = tr()
        console.print(f"[bold]{escape(trial)}[/] {escape(r.trial.title)}")
        target = num(payload["target"]) if payload["target"] is not None else t.gettext("no target")
        said = t.gettext(
            "enrolled %(enrolled)s / %(target)s (%(source)s) as of %(day)s",
            enrolled=num(payload["enrolled"]),
            target=target,
            source=t.label("rec_target", payload["target_source"]),
            day=t.day(payload["as_of"]),
        )
        console.print(escape(said))
        if payload["projected_completion"]:
            said = t.gettext(
                "Projected completion %(median)s (90%% interval %(low)s to %(high)s) at %(rate)s enrolments a month.",
                median=t.day(payload["projected_completion"]),
                low=t.day(payload["projected_low"]),
                high=t.day(payload["projected_high"]) or "…",
                rate=num(payload["rate_per_month"]),
            )
            planned = t.gettext("planned completion: %(day)s", day=t.day(payload["planned_completion"]))
            console.print(escape(said + (" " + planned if payload["planned_completion"] else "")))
        elif payload["projection_note"]:
            console.print(escape(say(t.lang, payload["projection_note"])))
        shown = table(
            N_("site"), N_("status"), N_("enrolled"), N_("target"), N_("expected by now"),
            N_("chance of reaching the target"), N_("behind"),
        )  # fmt: skip
        for s in payload["site_progress"]:
            shown.add_row(
                *cells(s["site"], t.label("wd_status", s["status"])),
                num(s["enrolled"]),
                num(s["target"]) if s["target"] else "—",
                num(s["expected_by_now"], 1) if s["expected_by_now"] else "—",
                "—" if s["p_reach_target"] is None else num(round(100 * s["p_reach_target"])) + "\u00a0%",
                f"[red]{escape(t.gettext('behind'))}[/]" if s["behind"] else "",
            )
        console.print(shown)
        for w in payload["warnings"]:
            err_console.print(
                f"[yellow]{escape(t.gettext('note') + t.colon())}[/]{escape(say(t.lang, str(w)))}"
            )
        err_console.print(escape(t.gettext("Model") + t.colon() + say(t.lang, payload["model"])))
