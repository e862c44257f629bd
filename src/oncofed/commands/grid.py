"""`oncofed grid show|load|revisions|proposals|cost|compare`: the collective agreement's pay grid
and the costing of negotiation proposals (issue 21)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer

from oncofed.commands.common import cells, centre_option, escape
from oncofed.commands.words import day, num, table, tr, yes
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
    t = tr()
    said = t.gettext(
        "grid revision %(id)s loaded: %(name)s%(fictional)s; %(periods)s, versions from %(dates)s",
        id=rev.id,
        name=rev.grid.name,
        fictional=" " + t.gettext("(fictional)") if rev.grid.fictional else "",
        periods=t.ngettext("%(num)s level period", "%(num)s level periods", len(rev.grid.levels)),
        dates=", ".join(day(d) for d in rev.grid.change_dates()),
    )
    console.print(escape(said))


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
    t = tr()
    title = t.gettext(
        "%(grid)s on %(day)s (point value %(value)s)",
        grid=rev.grid.name,
        day=day(view["day"]),
        value=num(view["point_value"]),
    )
    levels = table(
        N_("family"), N_("level"), N_("coefficient"), N_("base pay / month (FTE 1)"), said_title=escape(title)
    )
    for lv in view["levels"]:
        levels.add_row(
            *cells(
                lv["family"],
                lv["level"],
                num(lv["coefficient"]),
                num(lv["base_monthly"], 2) if lv["base_monthly"] else "—",
            )
        )
    console.print(levels)
    steps = table(
        N_("family"), N_("after (years)"), N_("points"), N_("per month"), title=N_("experience steps")
    )
    for s in view["steps"]:
        steps.add_row(
            *cells(
                s["family"],
                str(s["after_years"]),
                num(s["points"]),
                num(s["monthly"], 2) if s["monthly"] else "—",
            )
        )
    console.print(steps)
    allowances = table(N_("code"), N_("name"), N_("family"), N_("kind"), N_("value"), title=N_("allowances"))
    for a in view["allowances"]:
        name = a["name_fr"] if t.lang == "fr" and a.get("name_fr") else a["name_en"]
        kind = t.label("fed_kind", a["kind"])
        allowances.add_row(*cells(a["code"], name, a["family"], kind, num(a["value"])))
    console.print(allowances)


@grid_app.command("revisions")
def revisions() -> None:
    """Every grid document loaded (the newest is current; earlier ones are kept)."""
    from oncofed.commands.common import console, open_database
    from oncofed.services.workforce.grids import grid_revisions

    shown = table(N_("revision"), N_("name"), N_("fictional"), N_("file"), N_("loaded at"), N_("by"))
    for r in grid_revisions(open_database()):
        shown.add_row(
            *cells(
                str(r["id"]),
                r["name"],
                yes(r["fictional"]),
                r["source_file"],
                day(r["loaded_at"], time=True),
                r["loaded_by"],
            )
        )
    console.print(shown)


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
        console.print(escape(tr().gettext("proposal saved: %(name)s", name=p.name)))
    shown = table(N_("id"), N_("name"), N_("effective"), N_("changes"))
    for pid, p in saved_proposals(db):
        kinds = ", ".join(tr().label("fed_change", c.kind) for c in p.changes)
        shown.add_row(*cells(str(pid), p.name, day(p.effective), kinds))
    console.print(shown)


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
    with console.status(tr().gettext("costing...")):
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
    t = tr()
    title = t.gettext(
        "%(proposal)s — from %(start)s to %(end)s (excl.), employer contributions %(rate)s",
        proposal=data["proposal"]["name"],
        start=day(data["window"]["from"]),
        end=day(data["window"]["until"]),
        rate=t.number(round(100 * data["employer_rate"])) + ("\u00a0%" if t.lang == "fr" else "%"),
    ) + (" — " + t.gettext("FICTIONAL GRID") if data["fictional_grid"] else "")
    shown = table(
        N_("centre"),
        *([N_("family")] if by_family else []),
        N_("staff"),
        N_("FTE"),
        N_("gross (EUR)"),
        N_("employer (EUR)"),
        N_("total (EUR)"),
        N_("%% of grid pay"),
        said_title=escape(title),
    )
    network = t.gettext("NETWORK")
    for r in [*rows, {**data["network"], "centre": network, "family": ""}]:
        shown.add_row(
            *cells(
                r["centre"],
                *([r["family"]] if by_family else []),
                str(r["staff"]),
                num(r["fte"], 1),
                num(r["gross_delta"], 0),
                num(r["employer_delta"], 0),
                num(r["total"], 0),
                num(r["percent"], 2),
            )
        )
    console.print(shown)


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
    t = tr()
    shown = table(
        N_("centre"),
        N_("staff"),
        "A",
        "B",
        "B - A",
        title=N_("annual cost incl. employer contributions (EUR)"),
        caption=escape(f"A{t.colon()}{data['a']['name']} · B{t.colon()}{data['b']['name']}"),
    )
    for r in [*data["centres"], {**data["network"], "centre": t.gettext("NETWORK")}]:
        shown.add_row(
            *cells(
                r["centre"],
                str(r["staff"]),
                num(r["a_total"], 0),
                num(r["b_total"], 0),
                num(r["difference"], 0),
            )
        )
    console.print(shown)


def register(app: typer.Typer) -> None:
    app.add_typer(grid_app, name="grid")
