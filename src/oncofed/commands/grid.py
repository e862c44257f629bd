"""`oncofed grid show|load|revisions|proposals|cost|compare`: the collective agreement's pay grid
and the costing of negotiation proposals (issue 21)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from oncofed.commands.common import cells, centre_option
from oncofed.errors import N_

grid_app = typer.Typer(
    help="The pay grid (collective agreement) and negotiation costing.", no_args_is_help=True
)


def hr_actor(centre: str | None = None):  # type: ignore[no-untyped-def]
    """The CLI operator, audited under the shell user: federation HR, or centre HR with --centre."""
    from oncofed.domain import Actor, Role
    from oncofed.services.workforce.grids import cli_user

    if centre:
        return Actor(cli_user(), Role.CENTRE_HR, frozenset({centre}), "human resources")
    return Actor(cli_user(), Role.FEDERATION_HR, frozenset(), "human resources")


def centre_names(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from oncofed.services.network.centres import centre_names as names

    return names(db, short=True)


def _day(value: str | None) -> date:
    from oncofed.errors import InputError

    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a date"), field="--on", fix=N_("write YYYY-MM-DD"), code="input.not_date",
            params={"value": repr(value)},
        ) from exc  # fmt: skip


@grid_app.command("load")
def load(
    path: Path = typer.Argument(..., help="Grid document (YAML/JSON; layout in oncofed/workforce/grid.py)."),
) -> None:
    """Check a grid document (overlapping dates, unknown families, negative values are refused) and make it current."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.workforce.grids import cli_user, load_grid_file

    rev = load_grid_file(open_database(), path, cli_user())
    label = " [yellow](fictional)[/]" if rev.grid.fictional else ""
    console.print(
        f"grid revision {rev.id} loaded: {rev.grid.name}{label}; {len(rev.grid.levels)} level periods, "
        f"versions from {', '.join(d.isoformat() for d in rev.grid.change_dates())}"
    )


@grid_app.command("show")
def show(
    on: str = typer.Option(None, "--on", help="The grid in force on this date (YYYY-MM-DD; default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    csv: bool = typer.Option(False, "--csv", help="Print the levels as CSV."),
) -> None:
    """The grid in force on a date: levels, coefficients, base pay, steps and allowances."""
    from oncofed.commands.common import console, open_database
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.workforce import GRID_LEVEL_COLUMNS
    from oncofed.services.workforce.grids import current_grid, grid_on

    rev = current_grid(open_database())
    view = grid_on(rev.grid, _day(on))
    if as_json:
        print(
            json.dumps(
                {"revision": rev.id, "name": rev.grid.name, "fictional": rev.grid.fictional, **view},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if csv:
        sys.stdout.write(to_csv(view["levels"], GRID_LEVEL_COLUMNS))
        return
    title = f"{rev.grid.name} on {view['day']} (point value {view['point_value']})"
    table = Table("family", "level", "coefficient", "base pay / month (FTE 1)", title=title)
    for lv in view["levels"]:
        table.add_row(
            *cells(
                lv["family"],
                lv["level"],
                f"{lv['coefficient']:g}",
                f"{lv['base_monthly']:,.2f}" if lv["base_monthly"] else "—",
            )
        )
    console.print(table)
    steps = Table("family", "after (years)", "points", "per month", title="experience steps")
    for s in view["steps"]:
        steps.add_row(
            *cells(
                s["family"],
                str(s["after_years"]),
                f"{s['points']:g}",
                f"{s['monthly']:,.2f}" if s["monthly"] else "—",
            )
        )
    console.print(steps)
    allowances = Table("code", "name", "family", "kind", "value", title="allowances")
    for a in view["allowances"]:
        allowances.add_row(*cells(a["code"], a["name_en"], a["family"], a["kind"], f"{a['value']:g}"))
    console.print(allowances)


@grid_app.command("revisions")
def revisions() -> None:
    """Every grid document loaded (the newest is current; earlier ones are kept)."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.workforce.grids import grid_revisions

    table = Table("revision", "name", "fictional", "file", "loaded at", "by")
    for r in grid_revisions(open_database()):
        table.add_row(
            *cells(
                str(r["id"]),
                r["name"],
                "yes" if r["fictional"] else "",
                r["source_file"],
                r["loaded_at"].isoformat(timespec="seconds"),
                r["loaded_by"],
            )
        )
    console.print(table)


@grid_app.command("proposals")
def proposals(
    save: Path = typer.Option(
        None, "--save", help="Save this proposal file (checked against the grid) under its name."
    ),
) -> None:
    """List the saved proposals (or save one with --save FILE)."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.workforce.costing import save_proposal, saved_proposals

    db = open_database()
    if save is not None:
        from oncofed.errors import InputError

        try:
            text = save.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                N_("cannot read: %(detail)s"), file=str(save), fix=N_("check the path (UTF-8 text)"),
                code="file.unreadable", params={"detail": getattr(exc, "strerror", None) or str(exc)},
            ) from exc  # fmt: skip
        p = save_proposal(db, hr_actor(), text, str(save))
        console.print(f"saved: {p.name}")
    table = Table("id", "name", "effective", "changes")
    for pid, p in saved_proposals(db):
        table.add_row(*cells(str(pid), p.name, p.effective.isoformat(), ", ".join(c.kind for c in p.changes)))
    console.print(table)


def _proposal(db, ref: str):  # type: ignore[no-untyped-def]
    from oncofed.services.workforce.costing import proposal_from_file, saved_proposal

    return saved_proposal(db, int(ref)) if ref.isdigit() else proposal_from_file(Path(ref))


@grid_app.command("cost")
def cost(
    proposal: str = typer.Argument(..., help="A proposal file (YAML/JSON) or a saved proposal's id."),
    employer_rate: float = typer.Option(
        None,
        "--employer-rate",
        help="Employer contributions as a share of gross pay (default: the proposal's, else the grid's).",
    ),
    centre: str = typer.Option(
        None, "--centre", help="Cost one centre only, id or name (as its HR).", callback=centre_option
    ),
    by_family: bool = typer.Option(False, "--by-family", help="Show centre x family lines."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV (centre x family lines)."),
) -> None:
    """The annual cost of a proposal per centre and for the network, split by family."""
    from oncofed.commands.common import console, open_database
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.workforce import COSTING_COLUMNS, costing_json
    from oncofed.services.workforce.costing import cost as cost_it

    db = open_database()
    with console.status("costing..."):
        data = costing_json(
            cost_it(db, hr_actor(centre), _proposal(db, proposal), employer_rate, centre), centre_names(db)
        )
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if csv:
        sys.stdout.write(to_csv(data["lines"], COSTING_COLUMNS))
        return
    rows = data["lines"] if by_family else data["centres"]
    title = (
        f"{data['proposal']['name']} — from {data['window']['from']} to {data['window']['until']} (excl.), "
        f"employer contributions {data['employer_rate']:.0%}"
        + (" — FICTIONAL GRID" if data["fictional_grid"] else "")
    )
    table = Table(
        "centre",
        *(["family"] if by_family else []),
        "staff",
        "FTE",
        "gross (EUR)",
        "employer (EUR)",
        "total (EUR)",
        "% of grid pay",
        title=title,
    )
    for r in [*rows, {**data["network"], "centre": "NETWORK", "family": ""}]:
        table.add_row(
            *cells(
                r["centre"],
                *([r["family"]] if by_family else []),
                str(r["staff"]),
                f"{r['fte']:,.1f}",
                f"{r['gross_delta']:,.0f}",
                f"{r['employer_delta']:,.0f}",
                f"{r['total']:,.0f}",
                f"{r['percent']:.2f}" if r["percent"] is not None else "—",
            )
        )
    console.print(table)


@grid_app.command("compare")
def compare(
    a: str = typer.Argument(..., help="Proposal A: a file or a saved proposal's id."),
    b: str = typer.Argument(..., help="Proposal B: a file or a saved proposal's id."),
    employer_rate: float = typer.Option(
        None, "--employer-rate", help="Employer contributions for both (share of gross)."
    ),
    centre: str = typer.Option(
        None, "--centre", help="One centre only, id or name (as its HR).", callback=centre_option
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV."),
) -> None:
    """Two proposals side by side: annual cost per centre and for the network (B minus A)."""
    from oncofed.commands.common import console, open_database
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.workforce import COMPARE_COLUMNS, compare_json, costing_json
    from oncofed.services.workforce.costing import cost as cost_it

    db = open_database()
    names, actor = centre_names(db), hr_actor(centre)
    data = compare_json(
        *(
            costing_json(cost_it(db, actor, _proposal(db, ref), employer_rate, centre), names)
            for ref in (a, b)
        )
    )
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if csv:
        sys.stdout.write(to_csv(data["centres"], COMPARE_COLUMNS))
        return
    table = Table(
        "centre",
        "staff",
        f"A: {data['a']['name']}",
        f"B: {data['b']['name']}",
        "B - A",
        title="annual cost incl. employer contributions (EUR)",
    )
    for r in [*data["centres"], {**data["network"], "centre": "NETWORK"}]:
        table.add_row(
            *cells(
                r["centre"],
                str(r["staff"]),
                f"{r['a_total']:,.0f}",
                f"{r['b_total']:,.0f}",
                f"{r['difference']:,.0f}",
            )
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(grid_app, name="grid")
