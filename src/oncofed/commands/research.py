"""`oncofed research import|report|sponsor|review`: the network as sponsor and research producer
(issue 20): site milestones, publications (PubMed XML, OpenAlex JSON), inclusion rate per centre."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from oncofed.commands.common import cells, centre_option, escape
from oncofed.commands.words import tr
from oncofed.errors import N_

research_app = typer.Typer(
    help="Sponsor portfolio, trial inclusion rate per centre, publications and their attribution.",
    no_args_is_help=True,
)
REPORTS = ("portfolio", "trial", "inclusion", "publications", "journals", "network", "papers", "affiliations")


def _actor() -> Any:
    import getpass

    from oncofed.domain import Actor

    return Actor.operator(getpass.getuser(), purpose="research")


def _emit(
    rows: list[dict[str, Any]], columns: list[str], as_json: bool, as_csv: bool, payload: Any, title: str
) -> None:
    from oncofed.commands.common import console
    from oncofed.presenters.csv import to_csv

    if as_json:
        sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")
        return
    if as_csv:
        sys.stdout.write(to_csv(rows, columns))
        return
    from oncofed.commands.research_columns import cell, heading

    table = Table(title=escape(title))
    for c in columns:
        table.add_column(heading(c))
    for r in rows:
        table.add_row(*cells(*[cell(c, r.get(c)) for c in columns]))
    console.print(table)


@research_app.command("import")
def import_cmd(
    paths: list[Path] = typer.Argument(
        ..., help="PubMed XML (efetch), OpenAlex works JSON, or a milestone CSV."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Milestone CSV: one refused row refuses the whole file."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
) -> None:
    """Import publications (attributed to centres by affiliation; unknown ones listed for review) or
    site milestones (every trial named is flagged as sponsored). The format is told by the content."""
    from oncofed.commands.common import console, err_console, open_database, progress_bar
    from oncofed.services.research.milestones import import_milestones
    from oncofed.services.research.publications import import_publications

    db = open_database()
    reports: list[dict[str, Any]] = []
    refused = 0
    for path in paths:
        if not path.exists():
            from oncofed.errors import InputError

            raise InputError(
                N_("file not found"), file=str(path), fix=N_("check the path"), code="file.missing"
            )
        head = path.read_bytes()[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith((b"<", b"{", b"[")):
            with progress_bar() as bar:
                task = bar.add_task(f"publications {path.name}", total=None)

                def advance(n: int, t: Any = task, b: Any = bar) -> None:
                    b.advance(t, n)

                report = import_publications(db, [path], progress=advance)
            data = report.as_json()
            refused += len(report.rejected)
            if not as_json:
                _print_publications(path.name, report)
        else:
            mreport = import_milestones(db, _actor(), path, strict=strict)
            data = mreport.as_json()
            refused += len(mreport.rejected)
            if not as_json:
                from oncofed.commands.common import cli_language
                from oncofed.presenters.i18n import translator
                from oncofed.presenters.rejects import reject_line

                tr = translator(cli_language())  # the summary and the refused rows in --lang's words
                console.print(
                    escape(f"{path.name}{tr.colon()}")
                    + tr.ngettext("%(num)s site row", "%(num)s site rows", mreport.rows)
                    + ", "
                    + tr.ngettext("%(num)s milestone stored", "%(num)s milestones stored", mreport.milestones)
                    + tr.pgettext("list separator", "; ")
                    + tr.ngettext(
                        "%(num)s trial flagged as sponsored", "%(num)s trials flagged as sponsored",
                        len(mreport.trials_flagged),
                    )
                    + tr.pgettext("list separator", "; ")
                    + tr.ngettext("%(num)s row refused", "%(num)s rows refused", len(mreport.rejected))
                )  # fmt: skip
                for rej in mreport.rejected[:30]:
                    refused_word = tr.pgettext("import row", "refused")
                    err_console.print(escape(f"  {refused_word} {path.name}:{reject_line(rej, tr.lang)}"))
        reports.append(data)
    if as_json:
        sys.stdout.write(json.dumps(reports, indent=2, default=str) + "\n")
    if refused:
        raise typer.Exit(1)


def _print_publications(name: str, report: Any) -> None:
    """A publication file's counts and each refused or skipped record, in `--lang`'s words."""
    from oncofed.commands.common import cli_language, console, err_console
    from oncofed.presenters.i18n import translator
    from oncofed.presenters.places import place
    from oncofed.presenters.rejects import part_said

    tr = translator(cli_language())
    counts = tr.gettext(
        "read: %(read)s, imported: %(imported)s, updated: %(updated)s, unchanged: %(unchanged)s, refused: %(refused)s, "
        "skipped: %(skipped)s; new affiliations: %(new)s, to review: %(review)s (`oncofed research report affiliations`)",
        read=report.read, imported=report.imported, updated=report.updated, unchanged=report.unchanged,
        refused=len(report.rejected), skipped=len(report.skipped), new=report.new_affiliations,
        review=report.to_review,
    )  # fmt: skip
    console.print(escape(f"{name}{tr.colon()}{counts} — {tr.number(report.seconds)} s"))
    refused, skipped = tr.pgettext("import row", "refused"), tr.pgettext("import row", "skipped")
    for word, kind, shown, keys in (
        (refused, "rejected", 20, ("record", "field")),
        (skipped, "skipped", 10, ("record",)),
    ):
        rows = getattr(report, kind)
        for r, said in list(zip(rows, report.said[kind] or [None] * len(rows), strict=False))[:shown]:
            where = ":".join([r["file"], *(place(tr, r[k]) for k in keys)])
            reason = part_said(said, tr.lang) if said else r["reason"]
            err_console.print(escape(f"  {word} {where}{tr.colon()}{reason}"))


@research_app.command("report")
def report_cmd(
    what: str = typer.Argument("publications", help=f"One of: {', '.join(REPORTS)}."),
    trial_id: str = typer.Argument(
        None, metavar="[TRIAL]", help="The trial of report `trial` (`research report trial NCT01234567`)."
    ),
    trial: str = typer.Option(None, "--trial", help="The trial of report `trial` (same as TRIAL)."),
    year: int = typer.Option(None, "--year", help="One year (inclusion, publications, journals, network)."),
    centre: str = typer.Option(
        None,
        "--centre",
        help="One centre, id or name (publications, journals, papers).",
        callback=centre_option,
    ),
    status: str = typer.Option(
        "review", "--status", help="Affiliations: review, matched, external or reviewed."
    ),
    table_name: str = typer.Option(
        "sites", "--table", help="Report `trial`: sites, steps, months or screen_failures."
    ),
    as_json: bool = typer.Option(False, "--json"),
    as_csv: bool = typer.Option(False, "--csv"),
) -> None:
    """Print a research report as a table, CSV or JSON (the same figures as the /research pages)."""
    from oncofed.commands.common import open_database
    from oncofed.errors import InputError
    from oncofed.services.network.centres import centre_names
    from oncofed.services.research import bibliometrics as biblio

    if what not in REPORTS:
        raise InputError(
            N_("unknown report %(report)s"), field="what", fix=N_("use one of: %(choices)s"),
            code="research.unknown_report", params={"report": repr(what), "choices": list(REPORTS)},
        )  # fmt: skip
    if trial_id and what != "trial":
        raise InputError(
            N_("report %(report)s takes no trial (got %(trial)s)"),
            field="TRIAL",
            fix=N_("run %(command)s, or leave the trial out"),
            code="research.report_no_trial",
            params={
                "report": repr(what),
                "trial": repr(trial_id),
                "command": f"oncofed research report trial {trial_id}",
            },
        )
    if trial_id and trial and trial_id != trial:
        raise InputError(
            N_("two trials: %(first)s and --trial %(second)s"), field="--trial", fix=N_("give one"),
            code="research.two_trials", params={"first": repr(trial_id), "second": repr(trial)},
        )  # fmt: skip
    trial = trial or trial_id
    db = open_database()
    names = centre_names(db, short=True)
    if what == "portfolio":
        from oncofed.services.research.portfolio import PORTFOLIO_COLUMNS, portfolio

        data = portfolio(db)
        _emit(
            data["trials"],
            PORTFOLIO_COLUMNS,
            as_json,
            as_csv,
            data,
            tr().gettext(
                "portfolio (slowest step: %(step)s)", step=tr().label("r_step", data["slowest_step"])
            ),
        )
    elif what == "trial":
        if not trial:
            raise InputError(
                N_("which trial?"), field="TRIAL", fix=N_("run %(command)s"), code="research.which_trial",
                params={"command": "oncofed research report trial TRIAL_ID"},
            )  # fmt: skip
        from oncofed.services.research import portfolio as pf
        from oncofed.services.research.screen_failures import COLUMNS, screen_failures

        data = pf.trial_portfolio(db, trial)
        failures = screen_failures(db, trial)
        tables = {
            "sites": (data["sites"], pf.SITE_COLUMNS),
            "steps": (data["steps"], pf.STEP_COLUMNS),
            "months": (data["months"], pf.MONTH_COLUMNS),
            "screen_failures": (failures["rows"], COLUMNS),
        }
        if table_name not in tables:
            raise InputError(
                N_("unknown table %(table)s"), field="--table", fix=N_("use one of: %(choices)s"),
                code="research.unknown_table", params={"table": repr(table_name), "choices": list(tables)},
            )  # fmt: skip
        rows, cols = tables[table_name]
        said = tr().gettext("%(trial)s: %(table)s", trial=trial, table=tr().label("r_table", table_name))
        _emit(rows, cols, as_json, as_csv, {**data, "screen_failures": failures}, said)
    elif what == "inclusion":
        from oncofed.services.research.inclusion import (
            COLUMNS_OUT,
            inclusion_results,
            inclusion_rows,
            network_rows,
        )

        years, results = inclusion_results(db)
        chosen = {y: r for y, r in results.items() if year is None or y == year}
        if year is not None and not chosen:
            raise InputError(
                N_("no new patients in %(year)s"), field="--year", fix=N_("years with data: %(years)s"),
                code="research.no_new_patients_year", params={"year": year, "years": [str(y) for y in years]},
            )  # fmt: skip
        rows = inclusion_rows(chosen, names)
        _emit(
            rows,
            COLUMNS_OUT,
            as_json,
            as_csv,
            {"network": network_rows(chosen), "centres": rows},
            tr().gettext("inclusion rate (OECI 10%%)"),
        )
    elif what == "publications":
        rows = biblio.centre_year_table(db, names, year=year, centre_id=centre)
        _emit(
            rows,
            biblio.CENTRE_YEAR_COLUMNS,
            as_json,
            as_csv,
            rows,
            tr().gettext("publications per centre and year"),
        )
    elif what == "journals":
        rows = biblio.journals(db, centre_id=centre, year=year)
        _emit(rows, ["journal", "papers"], as_json, as_csv, rows, tr().gettext("journals"))
    elif what == "network":
        data = biblio.copublication(db, names, year=year)
        _emit(
            data["edges"],
            ["centre_a", "centre_b", "papers"],
            as_json,
            as_csv,
            data,
            tr().gettext("co-publications between centres"),
        )
    elif what == "papers":
        data = biblio.papers(db, centre_id=centre, year=year, size=10_000)
        _emit(
            biblio.paper_csv_rows(data["papers"]),
            biblio.PAPER_COLUMNS,
            as_json,
            as_csv,
            data,
            tr().gettext("papers"),
        )
    else:
        data = biblio.affiliations(db, status=status, size=10_000)
        counts = biblio.affiliation_counts(db)
        _emit(
            data["affiliations"],
            biblio.REVIEW_COLUMNS,
            as_json,
            as_csv,
            {**data, "counts": counts},
            tr().gettext(
                "affiliations: %(status)s (%(review)s to review of %(total)s)",
                status=tr().label("r_status", status),
                review=counts["review"],
                total=counts["total"],
            ),
        )


@research_app.command("sponsor")
def sponsor_cmd(
    trials: list[str] = typer.Argument(None, help="Trial ids to flag (or unflag with --off)."),
    off: bool = typer.Option(False, "--off", help="Remove the sponsored flag."),
    from_registry: list[str] = typer.Option(
        None,
        "--from-registry",
        help="Flag every trial whose registry lead sponsor is this name (repeatable) or a centre.",
    ),
) -> None:
    """Flag trials as sponsored by the network (by id, or from the registry's lead sponsor)."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.research.sponsor import flag_from_registry, set_sponsored

    db = open_database()
    actor = _actor()
    for tid in trials or []:
        changed = set_sponsored(db, actor, tid, not off)
        t = tr()
        if off:
            said = t.gettext("%(trial)s: no longer flagged as sponsored", trial=tid)
        else:
            said = t.gettext("%(trial)s: flagged as sponsored", trial=tid)
        console.print(escape(said + ("" if changed else " " + t.gettext("(no change)"))))
    if from_registry:
        added = flag_from_registry(db, actor, from_registry)
        said = tr().ngettext(
            "%(num)s trial flagged from the registry's lead sponsor: %(trials)s",
            "%(num)s trials flagged from the registry's lead sponsor: %(trials)s",
            len(added),
            trials=", ".join(added[:20]),
        )
        console.print(escape(said))


@research_app.command("review")
def review_cmd(
    affiliation_id: int = typer.Argument(
        ..., help="The affiliation's id (oncofed research report affiliations)."
    ),
    centres: list[str] = typer.Option(
        None, "--centre", help="A centre it names, id or name (repeatable).", callback=centre_option
    ),
    external: bool = typer.Option(False, "--external", help="It names no network centre."),
) -> None:
    """Decide an affiliation left for review; the decision is kept for every later import."""
    from oncofed.commands.common import console, open_database
    from oncofed.errors import InputError
    from oncofed.services.research.publications import review_affiliation

    if bool(centres) == external:
        raise InputError(
            N_("give --centre C (repeatable) or --external"), fix=N_("one decision per affiliation"),
            code="research.affiliation_no_decision",
        )  # fmt: skip
    out = review_affiliation(open_database(), _actor(), affiliation_id, [] if external else list(centres))
    t = tr()
    papers = t.ngettext("%(num)s paper re-attributed", "%(num)s papers re-attributed", out["papers"])
    said = t.gettext(
        "affiliation %(id)s: %(status)s %(centres)s; %(papers)s",
        id=affiliation_id,
        status=t.label("r_status", out["status"]),
        centres=" ".join(out["centre_ids"]),
        papers=papers,
    )
    console.print(escape(said))


def register(app: typer.Typer) -> None:
    app.add_typer(research_app, name="research")
