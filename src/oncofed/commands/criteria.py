"""`oncofed criteria parse` and `oncofed eval criteria` (coverage, brat export and span agreement)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from oncofed.commands.common import cells, new_console

criteria_app = typer.Typer(
    help="Eligibility criteria engine: parse free text into typed atoms.", no_args_is_help=True
)
console = new_console()
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _atom_line(a: dict) -> str:  # type: ignore[type-arg]
    flags = "".join(f" [{f}]" for f in ("negated", "historical", "hypothetical") if a.get(f))
    value = a["value"] if a["value"] is not None else ""
    unit = f" {a['unit']}" if a.get("unit") else ""
    code = f"{a['code']} " if a.get("code") else ""
    window = f" within {a['window_days']} d" if a.get("window_days") else ""
    attrs = a.get("attributes") or {}
    setting = f" (setting: {', '.join(attrs['setting'])})" if attrs.get("setting") else ""
    group = f" [or: {attrs['group']}]" if attrs.get("group") else ""
    return f"{a['kind']}: {code}{a['operator']} {value}{unit}{window}{setting}{flags}{group}".strip()


@criteria_app.command("parse")
def parse_cmd(
    source: str = typer.Argument("-", help="A trial id in the store, a file path, or '-' for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Parse eligibility criteria (a stored trial, a file, or stdin) into typed atoms."""
    from oncofed.criteria import parse_eligibility
    from oncofed.criteria.serialize import criterion_json

    if source == "-":
        text = sys.stdin.read()
    elif Path(source).is_file():
        text = Path(source).read_text(encoding="utf-8", errors="replace")
    else:
        from oncofed.commands.common import open_database
        from oncofed.services.trials.criteria import criteria_of_text
        from oncofed.store.models import TrialRow

        db = open_database()
        with db.session() as session:
            row = session.get(TrialRow, source)
            text = row.eligibility_text if row is not None else None
        if text is None:
            console.print(
                f"[red]no trial '{escape(source)}' in the store and no such file[/] (give a trial id, a file or '-')"
            )
            raise typer.Exit(2)
        criteria = criteria_of_text(text, db)
        payload = [criterion_json(c) for c in criteria]
        return _print(payload, as_json, [])
    result = parse_eligibility(text)
    _print([criterion_json(c) for c in result.criteria], as_json, result.warnings)


def _print(payload: list[dict], as_json: bool, warnings: list[str]) -> None:  # type: ignore[type-arg]
    if as_json:
        print(json.dumps({"criteria": payload, "warnings": warnings}, ensure_ascii=False, indent=2))
        return
    table = Table("#", "section", "criterion", "atoms", show_lines=True)
    for c in payload:
        table.add_row(
            str(c["index"]),
            c["section"],
            escape(c["text"][:160]),
            escape("\n".join(_atom_line(a) for a in c["atoms"])) or "-",  # "[negated]" is no markup
        )
    console.print(table)
    for w in warnings:
        console.print(f"[yellow]{escape(w)}[/]")


def eval_criteria(
    brat: Path | None = typer.Option(
        None, "--brat", help="Folder of brat .txt files (gold .ann beside them are scored)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Folder to write the predicted .ann files to."),
    data: Path = typer.Option(SHARED, help="The shared data folder (coverage corpora)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Coverage on real oncology trials, or (with --brat IN --out OUT) brat export and span agreement."""
    from oncofed.criteria import brat as brat_mod
    from oncofed.criteria.evaluate import coverage, nli4ct_texts, oncology99_texts

    if brat is not None:
        if out is None:
            console.print("[red]--out is required with --brat[/]")
            raise typer.Exit(2)
        if not brat.is_dir():
            console.print(f"[red]{escape(str(brat))} is not a folder[/]")
            raise typer.Exit(2)
        n, scores = brat_mod.export_and_score(brat, out)
        if as_json:
            print(json.dumps({"files": n, "scores": scores}, indent=2))
            return
        console.print(f"{n} files exported to {escape(str(out))}")
        if scores:
            table = Table(
                "type", "gold", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"
            )
            for t in [*brat_mod.TYPES, "ALL"]:
                if t not in scores:
                    continue
                e, o = scores[t]["exact"], scores[t]["overlap"]
                table.add_row(
                    *cells(
                        t,
                        str(int(o["gold"])),
                        *(f"{e[k]:.3f}" for k in ("precision", "recall", "f1")),
                        *(f"{o[k]:.3f}" for k in ("precision", "recall", "f1")),
                    )
                )
            console.print(table)
        return
    results = {}
    for name, loader in (("nli4ct-breast-cancer", nli4ct_texts), ("oncology-active-99", oncology99_texts)):
        folder = data / "trials" / name
        if not folder.exists():
            console.print(f"[yellow]data not found: {escape(str(folder))}[/]")
            continue
        results[name] = coverage(list(loader(folder)))
    if as_json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        console.print(
            f"[bold]{name}[/]: {r['trials']} trials, {r['criteria']} criteria, "
            f"{r['with_typed_atom']:.1%} with a typed atom, {r['fully_structured']:.1%} fully structured"
        )


@criteria_app.command("reparse")
def reparse_cmd() -> None:
    """Parse every stored trial whose eligibility text this parser version has not parsed yet
    (after an upgrade of the criteria engine; imports do it for the trials they bring)."""
    from oncofed.commands.common import open_database, progress_bar
    from oncofed.criteria.parser import PARSER_VERSION
    from oncofed.services.trials.criteria import reparse

    db = open_database()
    with progress_bar() as progress:
        task = progress.add_task(f"parsing with {PARSER_VERSION}", total=None)
        n = reparse(db, lambda done, total: progress.update(task, completed=done, total=total))
    from oncofed.presenters.i18n import translator

    said = translator("en").ngettext(  # English plural forms
        "%(num)s eligibility text parsed and stored with parser %(version)s",
        "%(num)s eligibility texts parsed and stored with parser %(version)s",
        n,
        version=PARSER_VERSION,
    )
    console.print(said)


def register(app: typer.Typer) -> None:
    app.add_typer(criteria_app, name="criteria")
    eval_app = next((g.typer_instance for g in app.registered_groups if g.name == "eval"), None)
    if eval_app is None:
        eval_app = typer.Typer(help="Evaluations against reference data.", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("criteria")(eval_criteria)
