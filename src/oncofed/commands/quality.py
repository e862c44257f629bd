"""`oncofed quality generate|import|compute|report|export`: the quality area from the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from oncofed.commands.common import cells, centre_option, escape
from oncofed.commands.words import day, num, table, tr
from oncofed.errors import N_


def register(app: typer.Typer) -> None:
    quality = typer.Typer(help="Quality indicators, funnel plots, charter and EPiHC.", no_args_is_help=True)
    app.add_typer(quality, name="quality")

    @quality.command("generate")
    def generate(
        events: int = typer.Option(100_000, help="About how many events to write (Parquet mode)."),
        out: Path = typer.Option(Path("var/quality-events.parquet"), help="Parquet file to write."),
        seed: int = typer.Option(42, help="Random seed."),
        centres: int = typer.Option(0, help="Number of synthetic centres (0 = the network's centres)."),
        dirty: float = typer.Option(0.0, help="Fraction of bad rows of each kind to inject (e.g. 0.001)."),
        demo: bool = typer.Option(False, "--demo", help="Instead: events for the store's demo patients."),
    ) -> None:
        """Write seeded synthetic care-pathway events (and their patients) to Parquet, or to the store."""
        from oncofed.commands.common import console, open_database

        if demo:
            from oncofed.synthetic.quality_demo import seed_quality_demo

            rep = seed_quality_demo(open_database(), seed=seed)
            t = tr()
            reasons = ", ".join(
                f"{t.label('q_reason', k)}{t.colon()}{n}" for k, n in sorted(rep.rejected.items())
            )
            said = t.gettext(
                "%(events)s stored, %(rejected)s rejected",
                events=t.ngettext("%(num)s event", "%(num)s events", rep.accepted, num=num(rep.accepted)),
                rejected=num(rep.rejected_total),
            )
            console.print(escape(said + (f" ({reasons})" if reasons else "")))
            return
        from oncofed.services.network.centres import network_centres
        from oncofed.synthetic.quality_events import generate_network, write_parquet

        ids = [f"C{i + 1:02d}" for i in range(centres)] if centres else [c.id for c in network_centres()]
        started = time.perf_counter()
        table, patients = generate_network(events, ids, seed=seed, dirty=dirty)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_parquet(table, str(out))
        patients_path = out.with_name(out.stem + ".patients.parquet")
        write_parquet(patients, str(patients_path))
        t = tr()
        said = t.gettext(
            "%(events)s for %(patients)s in %(centres)s -> %(out)s (patients: %(roster)s) in %(seconds)s s",
            events=t.ngettext("%(num)s event", "%(num)s events", table.num_rows, num=num(table.num_rows)),
            patients=t.ngettext(
                "%(num)s patient", "%(num)s patients", patients.num_rows, num=num(patients.num_rows)
            ),
            centres=t.ngettext("%(num)s centre", "%(num)s centres", len(ids)),
            out=str(out),
            roster=str(patients_path),
            seconds=num(time.perf_counter() - started, 1),
        )
        console.print(escape(said))

    @quality.command("import")
    def import_cmd(
        path: Path = typer.Argument(
            ..., help="CSV or Parquet with patient_id, centre_id, event, event_date, detail, value."
        ),
        source: str = typer.Option("", help="Source label (default: the file name)."),
        replace: bool = typer.Option(False, help="Replace the rows previously imported from this source."),
        patients: Path | None = typer.Option(
            None,
            help="Patients file (patient_id, centre_id) to add first; default: <file>.patients.parquet when present "
            "(what `quality generate` writes).",
        ),
    ) -> None:
        """Import events into the store; every rejected row is reported with its reason."""
        from oncofed.commands.common import console, open_database
        from oncofed.services.quality.indicators import import_events
        from oncofed.services.quality.roster import companion_roster, import_roster

        db = open_database()
        roster = patients or companion_roster(path)
        if roster is not None:
            added = import_roster(db, roster)
            t = tr()
            said = t.gettext(
                "%(file)s: %(patients)s, %(added)s added, %(present)s already in the store",
                file=str(roster),
                patients=t.ngettext("%(num)s patient", "%(num)s patients", added.rows),
                added=added.added,
                present=added.present,
            )
            console.print(escape(said))
        rep = import_events(db, path, source or None, replace=replace)
        from oncofed.commands.common import cli_language
        from oncofed.presenters.i18n import translator

        t = translator(cli_language())  # the counts and each reason in --lang's words (the page's labels)
        rows = t.ngettext("%(num)s row", "%(num)s rows", rep.total)
        counts = t.gettext(
            "%(accepted)s accepted, %(rejected)s rejected", accepted=rep.accepted, rejected=rep.rejected_total
        )
        console.print(escape(f"{rep.source}{t.colon()}{rows}, {counts}"))
        for reason, n in sorted(rep.rejected.items()):
            console.print(escape(f"  {t.label('q_reason', reason)}{t.colon()}{n}"))
        for ex in rep.examples:  # the row's own values as written (patient, centre, event, date)
            values = ", ".join(
                str(ex[k]) for k in ("patient_id", "centre_id", "event", "event_date") if ex.get(k)
            )
            where = t.pgettext("import place", "row %(id)s", id=ex["row_number"])
            said = f"{where}{t.colon()}{t.label('q_reject_detail', ex['reason'])}" + (
                f" ({values})" if values else ""
            )
            console.print(escape("  " + t.gettext("e.g. %(example)s", example=said)))

    @quality.command("compute")
    def compute(
        parquet: Path | None = typer.Option(
            None, help="Compute over this Parquet/CSV file instead of the store."
        ),
        patients: Path | None = typer.Option(
            None, help="Patients file (patient_id, centre_id) for the Parquet mode."
        ),
        trend: str = typer.Option("month", help="month or quarter."),
        adjust: str = typer.Option("auto", help="auto, none, multiplicative or additive."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        engine: str = typer.Option(
            "duckdb", help="duckdb (one machine) or spark (Spark SQL, the same definitions; extra [spark])."
        ),
        spark_master: str = typer.Option("", help="Spark master (default local[2] or ONCOFED_SPARK_MASTER)."),
    ) -> None:
        """Compute every indicator and print the network value and each centre's band."""
        from oncofed.commands.common import console, open_database
        from oncofed.presenters.quality import result_json
        from oncofed.services.quality.indicators import compute_over_parquet, compute_over_store

        started = time.perf_counter()
        if engine not in ("duckdb", "spark"):
            raise typer.BadParameter("duckdb or spark", param_hint="--engine")
        if engine == "spark":
            from oncofed.presenters.quality import centre_names
            from oncofed.services.operations.spark import spark_session
            from oncofed.services.quality.spark import compute_on_spark, compute_store_on_spark

            spark = spark_session(spark_master or None)
            if parquet:
                run = compute_on_spark(spark, parquet, trend=trend, adjustment=adjust)
                names: dict[str, str] = {}
            else:
                db = open_database()
                run = compute_store_on_spark(db, spark, trend=trend, adjustment=adjust)
                names = centre_names(db)
        elif parquet:
            if patients is None:
                guess = parquet.with_name(parquet.stem + ".patients.parquet")
                patients = guess if guess.exists() else None
            run = compute_over_parquet(parquet, patients, trend=trend, adjustment=adjust)
            names = {}
        else:
            from oncofed.presenters.quality import centre_names

            db = open_database()
            run = compute_over_store(db, trend=trend, adjustment=adjust)
            names = centre_names(db)
        seconds = time.perf_counter() - started
        if as_json:
            print(json.dumps([result_json(r, names) for r in run.results], ensure_ascii=False, default=str))
            return
        t = tr()
        shown = table(
            N_("indicator"), N_("title"), N_("network"), "n", N_("within limits"), N_("above"), N_("below"),
            "n < 30", N_("adjustment"),
        )  # fmt: skip
        for r in run.results:
            bands = [f.band for f in r.centres]
            v = r.network["value"]
            percent = "\u00a0%" if t.lang == "fr" else " %"
            value = (
                "—"
                if v is None
                else (num(100 * v, 1) + percent if r.indicator.kind == "proportion" else num(v, 1))
            )
            shown.add_row(
                *cells(
                    r.indicator.id,
                    r.indicator.title.get(t.lang, r.indicator.title.get("en", "")),
                    value,
                    num(r.network["n"]),
                    *(str(bands.count(b)) for b in ("within", "above", "below")),
                    str(bands.count("small_sample")),
                    t.label("q_adjust", r.adjustment),
                )
            )
        console.print(shown)
        rejected = int(run.rejects.get("total", 0))
        said = t.gettext(
            "%(events)s, %(start)s to %(end)s, %(rejected)s, %(seconds)s s",
            events=t.ngettext("%(num)s event", "%(num)s events", run.events, num=num(run.events)),
            start=day(run.period_from),
            end=day(run.period_to),
            rejected=t.ngettext("%(num)s rejected row", "%(num)s rejected rows", rejected),
            seconds=num(seconds, 2),
        )
        console.print(escape(said))

    @quality.command("report")
    def report(
        centre: str = typer.Argument(
            ..., help="Centre id or name (see `oncofed centres`).", callback=centre_option
        ),
        out: Path = typer.Option(Path("quality-report.html"), help="HTML file to write (prints well)."),
        lang: str = typer.Option(None, help="en or fr (default: --lang's)."),
    ) -> None:
        """Write a centre's printable quality report (indicators, charter evidence, EPiHC)."""
        from oncofed.commands.common import cli_language, console, open_database
        from oncofed.presenters.quality_report import centre_report_document

        html = centre_report_document(
            open_database(), centre, lang or cli_language(), fix="see `oncofed centres`"
        )
        out.write_text(html, encoding="utf-8")
        console.print(
            escape(
                tr().gettext("quality report of %(centre)s written to %(path)s", centre=centre, path=str(out))
            )
        )

    @quality.command("export")
    def export(
        out: Path = typer.Option(Path("var/quality-export"), help="Folder to write CSV, JSON and SVG into."),
    ) -> None:
        """Export every indicator's data (CSV + JSON), funnel and trend charts (SVG), rejected rows."""
        from oncofed.commands.common import console, open_database
        from oncofed.domain import Actor
        from oncofed.presenters.csv import to_csv
        from oncofed.presenters.quality import (
            CENTRE_COLUMNS,
            TREND_COLUMNS,
            centre_names,
            centre_rows,
            chart_labels,
            result_json,
        )
        from oncofed.quality.svg import funnel_svg, trend_svg
        from oncofed.services.quality.indicators import REJECT_COLUMNS, compute_over_store, list_rejects

        db = open_database()
        run = compute_over_store(db)
        names = centre_names(db)
        out.mkdir(parents=True, exist_ok=True)
        for r in run.results:
            rid = r.indicator.id
            (out / f"{rid}.json").write_text(
                json.dumps(result_json(r, names), ensure_ascii=False, indent=1, default=str)
            )
            (out / f"{rid}.csv").write_text(to_csv(centre_rows(r, names), CENTRE_COLUMNS))
            trend_rows = [
                {"indicator_id": rid, **t, "value": t["value"] if t["published"] else None} for t in r.trend
            ]
            (out / f"{rid}-trend.csv").write_text(to_csv(trend_rows, TREND_COLUMNS))
            labels = chart_labels(r, tr().lang)
            if r.indicator.compared:
                (out / f"{rid}-funnel.svg").write_text(funnel_svg(r, names, labels))
            (out / f"{rid}-trend.svg").write_text(trend_svg(r, None, names, labels))
        rows = list_rejects(db, Actor.system(), limit=10**9)  # file + row number, no patient id (F1)
        (out / "rejected-rows.csv").write_text(to_csv(rows, REJECT_COLUMNS))
        said = tr().ngettext(
            "%(num)s indicator exported to %(path)s", "%(num)s indicators exported to %(path)s", len(run.results),
            path=str(out),
        )  # fmt: skip
        console.print(escape(said))
