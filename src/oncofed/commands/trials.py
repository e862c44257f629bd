"""`oncofed import trials PATH...` and `oncofed trials search|show`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from oncofed.commands.common import centre_option


def import_group(app: typer.Typer) -> typer.Typer:
    """The shared `oncofed import` group (other areas add `import patients`, ...): reuse it if it exists."""
    for group in app.registered_groups:
        if group.name == "import" and group.typer_instance is not None:
            return group.typer_instance
    group_app = typer.Typer(help="Import records (trials, patients, ...) from files.", no_args_is_help=True)
    app.add_typer(group_app, name="import")
    return group_app


def register(app: typer.Typer) -> None:
    imports = import_group(app)
    trials_app = typer.Typer(help="The trial registry: search, show.", no_args_is_help=True)
    app.add_typer(trials_app, name="trials")

    @imports.command("trials")
    def import_trials_cmd(
        paths: list[str] = typer.Argument(..., help="Files, directories (recursive) or glob patterns."),
        partial: bool = typer.Option(
            False,
            "--partial",
            help="Keep the valid records of a file that has bad ones (default: such a file imports nothing).",
        ),
        strict: bool = typer.Option(
            False,
            "--strict",
            hidden=True,
            help="The default now (all or nothing per file); kept for scripts.",
        ),
        aliases: list[Path] = typer.Option(
            [], "--aliases", help="Extra centre aliases (YAML, like resources/trials/site_aliases.yaml)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Import trials: ClinicalTrials.gov v2 JSON/NDJSON, legacy XML, FHIR ResearchStudy, CTML, BEIR/TrialGPT, NLI4CT, AACT CSV."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from oncofed.commands.common import cli_language, console, err_console, escape, open_database
        from oncofed.presenters.i18n import translator
        from oncofed.services.trials.importing import expand_paths, import_trials

        tr = translator(cli_language())  # the progress bar's words in the command line's language

        def _records(n: int) -> str:
            return tr.ngettext("%(num)s record", "%(num)s records", n, num=tr.number(n))

        db = open_database()
        files = expand_paths(paths)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[records]} · {task.fields[name]}"),
            TimeElapsedColumn(),
            console=err_console,
            disable=as_json and not err_console.is_terminal,
        ) as progress:
            task = progress.add_task(
                tr.gettext("trial files"), total=len(files), records=_records(0), name=""
            )
            count = [0]

            def on_file(path: Path, i: int, n: int) -> None:
                progress.update(task, completed=i, name=escape(path.name))

            def on_record(k: int) -> None:
                count[0] += k
                if count[0] % 200 == 0:
                    progress.update(task, records=_records(count[0]))

            parse_task = progress.add_task(
                tr.gettext("criteria parsed"), total=None, records=0, name="", visible=False
            )

            def on_parse(done: int, total: int) -> None:
                progress.update(parse_task, completed=done, total=total, visible=True)

            report = import_trials(
                db,
                files,
                strict=strict or not partial,
                alias_files=aliases,
                on_file=on_file,
                on_record=on_record,
                on_parse=on_parse,
            )
            progress.update(task, completed=len(files), records=_records(count[0]), name=tr.gettext("done"))
        if report.total("imported") or report.total("updated"):
            from oncofed.services.trials.index import get_index

            # Build and save the search index now, so that the first search (CLI or web) loads it.
            with err_console.status("building the search index", spinner="dots"):
                get_index(db)
        if as_json:
            from oncofed.commands.common import cli_language
            from oncofed.presenters.imports import import_json

            print(json.dumps(import_json(report, cli_language()), ensure_ascii=False, indent=2))
        else:
            _print_report(console, report)
        if report.total("rejected"):
            raise typer.Exit(1)

    @trials_app.command("search")
    def search_cmd(
        q: str = typer.Argument("", help="Full text over title, conditions, interventions, eligibility."),
        status: list[str] = typer.Option(
            [], "--status", help="RECRUITING, NOT_YET_RECRUITING, ... (repeatable)"
        ),
        phase: list[str] = typer.Option(
            [], "--phase", help="PHASE1 .. PHASE4, EARLY_PHASE1, NA (repeatable)"
        ),
        condition: str = typer.Option("", help="Condition contains this text."),
        centre: str = typer.Option(
            "", help="Run at this centre (id or name, see `oncofed centres`).", callback=centre_option
        ),
        sex: str = typer.Option("", help="FEMALE or MALE: trials that admit this sex."),
        age: float | None = typer.Option(None, help="Trials that admit this age (years)."),
        city: str = typer.Option("", help="Place for distances: a city."),
        lat: float | None = typer.Option(None, help="Place for distances: latitude."),
        lon: float | None = typer.Option(None, help="Place for distances: longitude."),
        within: float | None = typer.Option(
            None, "--within", help="Only trials recruiting within this many km."
        ),
        sort: str = typer.Option(
            "", help="relevance or distance (default: relevance with text, else distance)."
        ),
        page: int = typer.Option(1, min=1),
        per_page: int = typer.Option(20, min=1, max=500),
        as_json: bool = typer.Option(False, "--json", help="Print JSON (the same as /api/trials)."),
    ) -> None:
        """Search the trial registry."""

        from oncofed.commands.common import cells, console, open_database
        from oncofed.presenters.trials import search_json
        from oncofed.services.trials.search import TrialQuery, search_trials

        query = TrialQuery(q=q, status=status, phase=phase, condition=condition, centre=centre, sex=sex, age=age,
                           city=city, lat=lat, lon=lon, within_km=within, sort=sort, page=page, per_page=per_page)  # fmt: skip
        result = search_trials(open_database(), query)
        data = search_json(result)
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return
        from oncofed.commands.common import escape
        from oncofed.commands.words import num, table, tr
        from oncofed.errors import N_

        t = tr()
        shown = table(
            N_("id"), N_("title"), N_("status"), N_("phase"), N_("score"), "km", N_("nearest recruiting site")
        )
        for r in data["results"]:
            site = r.get("nearest_site") or {}
            shown.add_row(*cells(r["id"], r["title"][:70], t.label("wd_status", r["status"]),
                                 ", ".join(t.label("phase", p) for p in r["phases"]),
                                 "" if r["score"] is None else num(r["score"], 2),
                                 "" if r["distance_km"] is None else num(r["distance_km"], 0),
                                 site.get("facility", "")))  # fmt: skip
        console.print(shown)
        said = t.gettext(
            "%(trials)s · page %(page)s of %(pages)s · sorted by %(sort)s",
            trials=t.ngettext("%(num)s trial", "%(num)s trials", data["total"]),
            page=data["page"],
            pages=data["pages"],
            sort=t.label("sort", data["sort"]),
        )
        console.print(escape(said))

    @trials_app.command("show")
    def show_cmd(trial_id: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
        """One trial: eligibility split into inclusion/exclusion, and its sites."""
        from oncofed.commands.common import console, escape, open_database
        from oncofed.presenters.trials import trial_detail_json
        from oncofed.services.trials.search import get_trial

        data = trial_detail_json(get_trial(open_database(), trial_id))
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return
        from oncofed.commands.words import tr

        t = tr()
        phases = ", ".join(t.label("phase", p) for p in data["phases"])
        status = t.label("wd_status", data["status"])
        console.print(
            f"[bold]{escape(data['id'])}[/] {escape(data['title'])} · {escape(status)} · {escape(phases)}"
        )
        for section in ("inclusion", "exclusion"):
            console.print(f"[bold]{escape(t.label('match_sec', section).capitalize())}[/]")
            for line in data["eligibility"][section]:
                console.print(f"  • {escape(line)}", highlight=False)
        in_network = sum(1 for s in data["sites"] if s["centre_id"])
        said = t.gettext(
            "%(sites)s, %(network)s in the network",
            sites=t.ngettext("%(num)s site", "%(num)s sites", len(data["sites"])),
            network=in_network,
        )
        console.print(escape(said))


def _print_report(console: object, report: object) -> None:
    """The report in the language of `--lang`: every rejected record with its reason and fix."""
    from rich.console import Console

    from oncofed.commands.common import cli_language, escape
    from oncofed.presenters.i18n import translator
    from oncofed.presenters.imports import import_json
    from oncofed.services.trials.importing import ImportReport

    assert isinstance(console, Console) and isinstance(report, ImportReport)
    lang = cli_language()
    tr = translator(lang)
    said = import_json(report, lang)
    for f, words in zip(report.files, said["files"], strict=True):
        if f.skipped:
            skipped = tr.gettext("%(file)s: skipped, %(why)s", file=str(f.path), why=f.skipped)
            console.print(f"[dim]{escape(skipped)}[/]", highlight=False)
        for s in f.skipped_records:
            skipped = tr.gettext("%(record)s: not a record, skipped", record=str(s))
            console.print(f"[dim]{escape(skipped)}[/]", highlight=False)
        for w in f.warnings:
            console.print(f"[yellow]{escape(f'{f.path}:{w}')}[/]", highlight=False)
        if f.rolled_back:
            console.print(
                f"[red]{escape(str(f.path))}{tr.colon()}{escape(words['outcome'])}[/]", highlight=False
            )
    rejected = tr.gettext("rejected")
    for line in said["rejections"]:
        console.print(f"[red]{escape(rejected)}[/] {escape(line)}", highlight=False)
    console.print(f"[bold]{escape(said['summary'])}[/]", highlight=False)
