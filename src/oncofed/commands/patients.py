"""`oncofed import patients PATH...`: FHIR/mCODE bundles, MatchMiner records, flat CSV, notes."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from oncofed.commands.common import cells, centre_option


def import_group(app: typer.Typer) -> typer.Typer:
    """The shared `oncofed import` group (created by whichever area registers first)."""
    for info in app.registered_groups:
        if info.name == "import" and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help="Import records: patients, trials, ...", no_args_is_help=True)
    app.add_typer(group, name="import")
    return group


def register(app: typer.Typer) -> None:
    group = import_group(app)

    @group.command("patients")
    def import_patients_cmd(
        paths: list[Path] = typer.Argument(
            ...,
            help="Files or folders: FHIR Bundles (.json/.ndjson), MatchMiner (.json/.ejson/.csv), flat CSV, notes (.jsonl/.txt).",
        ),
        centre: str = typer.Option(
            None,
            "--centre",
            "-c",
            help="Centre (id or name) for every record (otherwise the record's own).",
            callback=centre_option,
        ),
        report_path: Path = typer.Option(
            None, "--report", help="Write every warning and rejection to this CSV file."
        ),
        max_mb: float = typer.Option(100, "--max-mb", help="Refuse single files above this size (MB)."),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes parsing FHIR Bundles."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        show: int = typer.Option(20, help="How many issues to print (all are in --report)."),
        partial: bool = typer.Option(
            False,
            "--partial",
            help="Keep the valid records of a file that has rejected ones (default: such a file imports nothing).",
        ),
    ) -> None:
        """Import patient records; prints imported / updated / rejected and each problem found.
        All or nothing per file (a file with any rejected record imports nothing, unless --partial);
        exits 1 when anything was rejected."""
        from oncofed.commands.common import cli_language, console, err_console, open_database, progress_bar
        from oncofed.domain import Actor
        from oncofed.ingest.patients.files import expand_paths
        from oncofed.presenters.i18n import translator
        from oncofed.presenters.patient_imports import issue_line, issue_words, report_json
        from oncofed.services.patients.records import import_patients

        lang = cli_language()

        files = expand_paths(paths)  # a missing file is an error before any progress bar is drawn
        db = open_database()
        with progress_bar() as progress:
            task = progress.add_task(translator(lang).gettext("patient files"), total=len(files))

            def tick(done: int, total: int, report: object) -> None:
                progress.update(task, completed=done, total=total)

            report = import_patients(
                db,
                files,
                centre=centre,
                actor=Actor.system("import"),
                max_mb=max_mb,
                jobs=jobs,
                progress=tick,
                partial=partial,
            )
            progress.update(task, completed=report.files, total=report.files)
        if report_path:
            from oncofed.presenters.csv import to_csv
            from oncofed.services.patients.records import ISSUE_COLUMNS

            report_path.write_text(
                to_csv([issue_words(i, lang) for i in report.issues], ISSUE_COLUMNS), encoding="utf-8"
            )
        if as_json:
            print(report_json(report, lang))
            if report.rejected:
                raise typer.Exit(1)
            return
        from oncofed.presenters.i18n import translator

        tr = translator(lang)
        table = Table(
            tr.pgettext("import counts", "Imported"),
            tr.pgettext("import counts", "Updated"),
            tr.pgettext("import counts", "Rejected"),
            tr.gettext("Warnings"),
            tr.gettext("Files"),
            tr.gettext("Seconds"),
        )
        table.add_row(
            *cells(
                *(
                    str(x)
                    for x in (
                        report.imported,
                        report.updated,
                        report.rejected,
                        report.warnings,
                        report.files,
                        f"{report.seconds:.1f}",
                    )
                )
            )
        )
        console.print(table)
        for issue in report.issues[:show]:
            style = "red" if issue.severity == "error" else "yellow"
            err_console.print(f"[{style}]{escape(issue_line(issue, lang))}[/]", highlight=False)
        if len(report.issues) > show:
            more = len(report.issues) - show
            err_console.print(
                tr.ngettext(
                    "... %(num)s more (use --report issues.csv)",
                    "... %(num)s more (use --report issues.csv)",
                    more,
                    num=more,
                )
            )
        for name in report.files_refused:
            line = tr.gettext(
                "%(file)s: nothing imported (a record was rejected; fix it, or use --partial)", file=name
            )
            err_console.print(f"[red]{escape(line)}[/]", highlight=False)
        if report.kept_out:
            said = tr.ngettext(
                "%(num)s valid record of those files was not written",
                "%(num)s valid records of those files were not written",
                report.kept_out,
                num=report.kept_out,
            )
            err_console.print(said)
        if report.rejected:
            raise typer.Exit(1)
