"""`oncofed feasibility --trial ID | --criteria FILE`: disclosure-controlled counts per centre."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from oncofed.errors import N_


def register(app: typer.Typer) -> None:
    @app.command("feasibility")
    def feasibility(
        trial: str = typer.Option(
            None, "--trial", help="Trial id (its registry fields and parsed criteria)."
        ),
        criteria: Path = typer.Option(
            None,
            "--criteria",
            help="Criteria file (YAML/JSON; format in oncofed/criteria/feasibility_spec.py).",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    ) -> None:
        """Per centre: patients meeting / possibly meeting the criteria (noised; 10 or fewer suppressed).
        Spends the OS user's privacy budget (cli:USER), like a trial manager's; see docs/SECURITY.md."""
        from oncofed.commands.common import cells, console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.errors import InputError
        from oncofed.ingest.feasibility_spec import load_spec
        from oncofed.presenters.csv import to_csv
        from oncofed.services.feasibility.counts import CSV_COLUMNS, Question, run_feasibility, trial_question
        from oncofed.services.feasibility.disclosure import ROUNDING

        if (trial is None) == (criteria is None):
            raise InputError(
                N_("give either --trial ID or --criteria FILE"), fix=N_("for example %(example)s"),
                code="feasibility.no_question", params={"example": "oncofed feasibility --trial DEMO-0001"},
            )  # fmt: skip
        db = open_database()
        if trial:
            question = trial_question(db, trial)
        else:
            name, items = load_spec(criteria)
            question = Question(name, items)
        # the person at the terminal: audited, and spending their own privacy budget
        actor = operator("feasibility", f"feasibility {question.name}")
        from oncofed.commands.words import num, table, tr

        t = tr()
        with console.status(escape(t.gettext("counting in each centre's partition..."))):
            result = run_feasibility(db, actor, question)
        if as_json:
            print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
            return
        if csv:
            sys.stdout.write(to_csv(result.csv_rows(), CSV_COLUMNS))
            return
        fewer = t.gettext("10 or fewer")
        shown = table(
            N_("centre"),
            N_("meet the criteria"),
            N_("possibly meet (missing data)"),
            said_title=escape(question.name),
        )
        for c in result.centres:
            shown.add_row(
                *cells(
                    c.centre_name,
                    fewer if c.met.suppressed else num(c.met.value),
                    fewer if c.possible.suppressed else num(c.possible.value),
                )
            )

        def total(n: dict[str, object]) -> str:
            hidden = int(str(n["suppressed_cells"]))
            return num(n["value"]) + (f" + {num(hidden)} × ({fewer})" if hidden else "")

        shown.add_row(
            *cells(
                t.gettext("network (shown cells only)"),
                total(result.total_met.as_json()),
                total(result.total_possible.as_json()),
            )
        )
        console.print(shown)
        if question.not_counted:
            said = t.ngettext(
                "%(num)s criterion not decidable from patient data (not counted).",
                "%(num)s criteria not decidable from patient data (not counted).",
                len(question.not_counted),
            )
            console.print(f"[dim]{escape(said)}[/]")
        p, b = result.policy, result.budget_state
        said = t.gettext(
            'Each count: true count + noise (discrete Laplace, standard deviation %(sd)s), then "10 or fewer" or '
            "rounded to %(rounding)s. Each question spends %(eps)s of your privacy budget (epsilon).",
            sd=num(round(p.scale * 2**0.5, 2)),
            rounding=num(ROUNDING),
            eps=num(round(p.epsilon_per_question, 6)),
        )
        console.print(f"[dim]{escape(said)}[/]")
        if b is not None:
            repeat = t.gettext("repeat of a question asked today: no budget spent; ") if result.repeat else ""
            said = t.ngettext(
                "privacy budget: %(num)s question left over %(days)s days (%(user)s).",
                "privacy budget: %(num)s questions left over %(days)s days (%(user)s).",
                b.questions_left,
                days=p.period_days,
                user=b.user_id,
            )
            console.print(f"[dim]{escape(repeat + said)}[/]")
