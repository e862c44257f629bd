"""`oncofed feasibility --trial ID | --criteria FILE`: disclosure-controlled counts per centre."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

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
        from oncofed.services.feasibility.disclosure import ROUNDING, THRESHOLD

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
        with console.status("counting in each centre's partition..."):
            result = run_feasibility(db, actor, question)
        if as_json:
            print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
            return
        if csv:
            sys.stdout.write(to_csv(result.csv_rows(), CSV_COLUMNS))
            return
        table = Table("centre", "meet the criteria", "possibly (missing data)", title=escape(question.name))
        for row in result.csv_rows():
            table.add_row(*cells(row["centre"], row["met"], row["possible"]))
        console.print(table)
        from oncofed.presenters.i18n import translator

        en = translator("en")  # English plural forms
        if question.not_counted:
            said = en.ngettext(
                "%(num)s criterion not decidable from patient data (not counted).",
                "%(num)s criteria not decidable from patient data (not counted).",
                len(question.not_counted),
            )
            console.print(f"[dim]{said}[/]")
        p, b = result.policy, result.budget_state
        console.print(
            f"[dim]each count: true count + discrete Laplace noise (sd {p.scale * 2**0.5:.1f}); noised counts "
            f"of {THRESHOLD} or less (zero included) shown as '{THRESHOLD} or fewer', others rounded to "
            f"{ROUNDING}.[/]"
        )
        if b is not None:
            console.print(
                f"[dim]{'repeat of a question asked today: no budget spent; ' if result.repeat else ''}"
                + en.ngettext(
                    "privacy budget: %(num)s question left over %(days)s days (%(user)s).",
                    "privacy budget: %(num)s questions left over %(days)s days (%(user)s).",
                    b.questions_left,
                    days=p.period_days,
                    user=b.user_id,
                )
                + "[/]"
            )
