"""`oncofed prescreen-network TRIAL...`: network-wide pre-screening per partition of patients,
locally or on Spark (services/prescreen/network.py; docs/OPERATIONS.md, "Spark")."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

import typer

from oncofed.commands.common import cells
from oncofed.domain import Actor


def _operator(trials: list[str]) -> Actor:
    """The person at the command line, audited like anyone (the command line is the request)."""
    import getpass

    from oncofed.store.audit import audit_context

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        import os

        user = f"uid{os.getuid()}"
    audit_context.set(f"cli: oncofed prescreen-network {' '.join(trials)}"[:300])
    return Actor.operator(user, "research")


def register(app: typer.Typer) -> None:
    @app.command("prescreen-network")
    def prescreen_network(
        trials: list[str] = typer.Argument(..., help="Trial ids (see `oncofed trials search`)."),
        engine: str = typer.Option("local", help="local (this process) or spark (extra [spark])."),
        patients: str = typer.Option(
            "",
            help="Patients Parquet in the export layout: a path, or for Spark a URI (hdfs://, s3a://); "
            "default: exported from the store now.",
        ),
        out: Path | None = typer.Option(None, help="Write every (trial, patient) row: .parquet or .csv."),
        partitions: int = typer.Option(0, min=0, help="Spark partitions (0: one per centre)."),
        spark_master: str = typer.Option("", help="Spark master (default local[2] or ONCOFED_SPARK_MASTER)."),
        on: str = typer.Option("", help="Evaluate as of this day (YYYY-MM-DD; default today)."),
    ) -> None:
        """Every trial over every centre's patients (research use: objectors never included)."""
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
        from rich.table import Table

        from oncofed.commands.common import console, open_database
        from oncofed.services.prescreen.network import (
            export_patients,
            network_trials,
            run_local,
            run_on_spark,
        )

        if engine not in ("local", "spark"):
            raise typer.BadParameter("local or spark", param_hint="--engine")
        try:
            day = date.fromisoformat(on) if on else date.today()
        except ValueError as exc:
            raise typer.BadParameter("a date YYYY-MM-DD", param_hint="--on") from exc
        db = open_database()
        started = time.perf_counter()
        criteria = network_trials(db, trials)
        with tempfile.TemporaryDirectory(prefix="oncofed-network-") as tmp:
            source: Path | str = patients
            if not patients:
                source = Path(tmp) / "patients.parquet"
                with console.status("exporting the patients (research use)"):
                    export_patients(db, _operator(trials), source)
            from oncofed.presenters.i18n import translator

            en = translator("en")  # English plural forms
            said = en.ngettext("%(num)s trial", "%(num)s trials", len(criteria))
            with console.status(f"evaluating {said} per partition ({engine})"):
                if engine == "spark":
                    from oncofed.services.operations.spark import spark_session

                    spark = spark_session(spark_master or None)
                    run = run_on_spark(spark, source, criteria, day, partitions or None)
                else:
                    run = run_local(Path(source), criteria, day)
        if out is not None:
            if out.suffix.lower() == ".csv":
                pacsv.write_csv(run.results, out)
            else:
                pq.write_table(run.results, out)
        table = Table("trial", "centre", "eligible", "possible", "probably not", "not eligible")
        for c in run.counts():
            table.add_row(
                *cells(
                    c["trial_id"],
                    c["centre_id"],
                    str(c["eligible"]),
                    str(c["possible"]),
                    str(c["unlikely"]),
                    str(c["not_eligible"]),
                )
            )
        console.print(table)
        console.print(
            f"{run.patients:,} patients x {en.ngettext('%(num)s trial', '%(num)s trials', run.trials)} "
            f"in {run.partitions} partitions ({run.engine}), "
            f"{time.perf_counter() - started:.1f} s" + (f"; rows written to {out}" if out else "")
        )
