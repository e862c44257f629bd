"""`oncofed carbon factors|import|footprint|compare|beges|travel`: each centre's carbon footprint
(issue 21): versioned emission factors, yearly activity data, results by scope and BEGES post."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from oncofed.commands.common import cells, centre_option, escape
from oncofed.commands.grid import centre_names
from oncofed.commands.words import day, num, table, tr
from oncofed.errors import N_

carbon_app = typer.Typer(
    help="Carbon footprint per centre: emission factors, activity data, BEGES export.", no_args_is_help=True
)
factors_app = typer.Typer(help="Emission factor tables (versions kept side by side).", no_args_is_help=True)
carbon_app.add_typer(factors_app, name="factors")


@factors_app.command("load")
def factors_load(
    path: Path = typer.Argument(
        ...,
        help="CSV in the columns of oncofed/resources/carbon/factors_example.csv (e.g. the national table).",
    ),
    version: str = typer.Option(
        None, "--version", help="Version name (default: the file's '# version:' line)."
    ),
    name: str = typer.Option(None, "--name", help="A readable name for the table."),
    replace: bool = typer.Option(False, "--replace", help="Replace a version already loaded."),
) -> None:
    """Load an emission factor table (every factor needs its source; bad rows are all named, nothing stored)."""
    from oncofed.commands.common import cli_language, console, open_database
    from oncofed.presenters.i18n import translator
    from oncofed.services.sustainability.factors import load_factor_file
    from oncofed.services.workforce.grids import cli_user

    fs = load_factor_file(open_database(), path, cli_user(), version=version, name=name, replace=replace)
    tr = translator(cli_language())
    factors = tr.ngettext("%(num)s factor", "%(num)s factors", len(fs.factors))
    said = tr.gettext(
        "emission factors %(version)r loaded: %(factors)s (%(name)s)",
        version=fs.version,
        factors=factors,
        name=fs.name,
    )
    console.print(escape(said))


@factors_app.command("list")
def factors_list(
    version: str = typer.Option(
        None, "--version", help="Show the factors of this version (default: the newest)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The factor tables loaded, and the factors of one of them with their sources."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.sustainability.factors import factor_set, factor_sets

    db = open_database()
    fs = factor_set(db, version)
    rows: list[dict[str, Any]] = [
        {
            "category": f.category,
            "item": f.item,
            "unit": f.unit,
            "kgco2e_per_unit": f.kgco2e_per_unit,
            "scope": f.scope,
            "beges_post": f.beges_post,
            "uncertainty_pct": f.uncertainty_pct,
            "source": f.source,
        }
        for f in fs.factors.values()
    ]
    if as_json:
        print(
            json.dumps(
                {"tables": factor_sets(db), "version": fs.version, "factors": rows},
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
        return
    tables = table(
        N_("version"),
        N_("name"),
        N_("file"),
        N_("loaded at"),
        title=N_("factor tables (the newest is used by default)"),
    )
    for t in factor_sets(db):
        tables.add_row(*cells(t["version"], t["name"], t["source_file"], day(t["loaded_at"], time=True)))
    console.print(tables)
    factors = table(
        N_("category"),
        N_("item"),
        N_("kgCO2e per unit"),
        N_("unit"),
        N_("scope"),
        N_("BEGES post"),
        "±\u00a0%%" if tr().lang == "fr" else "±%%",
        N_("source"),
        said_title=escape(tr().gettext("factors of %(version)s", version=fs.version)),
    )
    for r in rows:
        factors.add_row(
            *cells(
                r["category"],
                r["item"],
                num(r["kgco2e_per_unit"]),
                r["unit"],
                str(r["scope"]),
                r["beges_post"],
                num(r["uncertainty_pct"]),
                r["source"],
            )
        )
    console.print(factors)


@carbon_app.command("import")
def import_cmd(
    path: Path = typer.Argument(
        ...,
        help="Activity CSV: centre, year, category, item, quantity, unit (template in oncofed/resources/carbon/).",
    ),
    factors: str = typer.Option(
        None, "--factors", help="Check against this factor table version (default: the newest)."
    ),
) -> None:
    """Import yearly activity data; each (centre, year) in the file replaces what was stored for it."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.sustainability.activity import import_activity_file

    result = import_activity_file(open_database(), path, factors)
    pairs = ", ".join(f"{c} {y}" for c, y in result.centre_years)
    from oncofed.commands.common import cli_language
    from oncofed.presenters.i18n import translator

    tr = translator(cli_language())
    rows = tr.ngettext("%(num)s activity row", "%(num)s activity rows", result.rows)
    said = tr.gettext(
        "%(rows)s imported (%(pairs)s), checked against factors %(version)r",
        rows=rows, pairs=pairs, version=result.factor_version,
    )  # fmt: skip
    console.print(escape(said))


def _year(report, year: int | None) -> int:  # type: ignore[no-untyped-def]
    from oncofed.errors import NotFound

    years = report.years()
    if not years:
        raise NotFound(
            N_("no activity data"), fix=N_("import it with `oncofed carbon import FILE`"), code="carbon.no_activity"
        )  # fmt: skip
    return year or years[-1]


@carbon_app.command("footprint")
def footprint_cmd(
    centre: str = typer.Option(
        None,
        "--centre",
        help="One centre (id or name): every year (trend) and its lines.",
        callback=centre_option,
    ),
    year: int = typer.Option(None, "--year", help="The year (default: the latest)."),
    factors: str = typer.Option(None, "--factors", help="Factor table version (default: the newest)."),
    as_json: bool = typer.Option(False, "--json"),
    csv: bool = typer.Option(False, "--csv"),
) -> None:
    """Footprints by scope, per stay and per bed: every centre for a year, or one centre's trend."""
    from oncofed.commands.common import console, open_database
    from oncofed.presenters.carbon import FOOTPRINT_COLUMNS, centre_year_json, comparison_json
    from oncofed.presenters.csv import to_csv
    from oncofed.services.sustainability.footprint import footprint_report

    db = open_database()
    names = centre_names(db)
    report = footprint_report(db, centre_id=centre, version=factors)
    if centre:
        rows = [centre_year_json(cy, names) for cy in report.for_centre(centre)]
    else:
        y = _year(report, year)
        data = comparison_json(report.for_year(y), names)
        rows = data["centres"]
    if as_json:
        print(
            json.dumps({"factor_table": report.factors.version, "rows": rows}, indent=2, ensure_ascii=False)
        )
        return
    if csv:
        sys.stdout.write(to_csv(rows, FOOTPRINT_COLUMNS))
        return
    t = tr()
    shown = table(
        N_("centre"),
        N_("year"),
        "tCO2e",
        "±",
        N_("scope 1"),
        N_("scope 2"),
        N_("scope 3"),
        N_("kg per stay"),
        N_("t per bed"),
        N_("complete"),
        said_title=escape(
            t.gettext("carbon footprint (factors %(version)s)", version=report.factors.version)
        ),
    )
    for r in rows:
        problems = t.pgettext("list separator", "; ").join(r["problems"])
        shown.add_row(
            *cells(
                r["centre"],
                str(r["year"]),
                num(r["total_t"], 0),
                num(r["uncertainty_t"], 0),
                num(r["scope1_t"], 0),
                num(r["scope2_t"], 0),
                num(r["scope3_t"], 0),
                num(r["kg_per_stay"] or None),
                num(r["t_per_bed"] or None),
                t.gettext("yes") if r["complete"] else t.gettext("no") + t.colon() + problems,
            )
        )
    console.print(shown)


@carbon_app.command("beges")
def beges_cmd(
    centre: str = typer.Argument(..., help="The centre (id or name).", callback=centre_option),
    year: int = typer.Option(None, "--year", help="The year (default: the latest)."),
    factors: str = typer.Option(None, "--factors", help="Factor table version (default: the newest)."),
    out: Path = typer.Option(None, "--out", help="Write the CSV here instead of printing it."),
) -> None:
    """BEGES-style export of one centre and year: every regulatory post, tCO2e and uncertainty (CSV)."""
    from oncofed.commands.common import console, open_database
    from oncofed.errors import NotFound
    from oncofed.presenters.carbon import BEGES_COLUMNS, beges_rows
    from oncofed.presenters.csv import to_csv
    from oncofed.services.sustainability.footprint import footprint_report

    db = open_database()
    report = footprint_report(db, centre_id=centre, version=factors)
    y = _year(report, year)
    cy = report.results.get((centre, y))
    if cy is None:
        raise NotFound(
            N_("no activity data for %(centre)s in %(year)s"), fix=N_("import it with `oncofed carbon import FILE`"),
            code="carbon.no_activity_year", params={"centre": centre, "year": y},
        )  # fmt: skip
    text = to_csv(beges_rows(cy, centre_names(db), report.factors.version), BEGES_COLUMNS)
    if out:
        out.write_text(text, encoding="utf-8")
        t = tr()
        console.print(escape(t.gettext("BEGES export written to %(path)s", path=str(out))))
        if not cy.complete:
            said = t.gettext(
                "incomplete: %(problems)s", problems=t.pgettext("list separator", "; ").join(cy.problems)
            )
            console.print(f"[yellow]{escape(said)}[/]")
    else:
        sys.stdout.write(text)


@carbon_app.command("travel")
def travel_cmd(
    refresh: bool = typer.Option(
        False, "--refresh", help="Recompute from the patients, trials and sites now (aggregates stored)."
    ),
    as_json: bool = typer.Option(False, "--json"),
    csv: bool = typer.Option(False, "--csv"),
) -> None:
    """Patient travel per treating centre, and the km saved by the nearest recruiting site over the trial's first site."""
    from oncofed.commands.common import console, open_database, progress_bar
    from oncofed.domain import Actor, Role
    from oncofed.presenters.carbon import TRAVEL_COLUMNS
    from oncofed.presenters.csv import to_csv
    from oncofed.services.sustainability.travel import compute_travel, stored_travel
    from oncofed.services.workforce.grids import cli_user

    db = open_database()
    if refresh:
        with progress_bar() as bar:
            task = bar.add_task(tr().gettext("centres"), total=None)
            compute_travel(
                db,
                Actor(cli_user(), Role.ADMIN, purpose="sustainability statistics"),
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    computed, figures = stored_travel(db)
    names = centre_names(db)
    rows = [
        {"centre_id": c, "centre": names.get(c, c), **f}
        for c, f in sorted(figures.items(), key=lambda kv: names.get(kv[0], kv[0]))
    ]
    if as_json:
        print(
            json.dumps(
                {"computed_at": computed.isoformat() if computed else None, "centres": rows},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if csv:
        sys.stdout.write(to_csv(rows, TRAVEL_COLUMNS))
        return
    t = tr()
    shown = table(
        N_("centre"),
        N_("patients"),
        N_("km from home (median)"),
        N_("patient-trial pairs"),
        N_("km to the trial's first site"),
        N_("km to the nearest site"),
        N_("km saved"),
        N_("kgCO2e saved per visit"),
        said_title=escape(
            t.gettext("patient travel (computed %(when)s UTC)", when=day(computed, time=True))
            if computed
            else t.gettext("patient travel (never computed: --refresh)")
        ),
    )

    def fmt(v: object) -> str:
        if v is None:
            return t.gettext("≤10 (suppressed)")
        return num(v) if isinstance(v, (int, float)) else str(v)

    for r in rows:
        shown.add_row(
            *cells(
                r["centre"],
                fmt(r["patients"]),
                fmt(r["km_home_median"]),
                fmt(r["pairs"]),
                fmt(r["km_first_site"]),
                fmt(r["km_nearest_site"]),
                fmt(r["km_saved"]),
                fmt(r["kgco2e_saved_per_visit"]),
            )
        )
    console.print(shown)


def register(app: typer.Typer) -> None:
    app.add_typer(carbon_app, name="carbon")
