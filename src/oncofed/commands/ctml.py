"""`oncofed ctml match`: structured genomic matching of CTML trials (MatchMiner semantics)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from oncofed.errors import InputError

ctml_app = typer.Typer(
    help="CTML trials: structured clinical + genomic matching (MatchMiner semantics).", no_args_is_help=True
)


@ctml_app.command("match")
def match_cmd(
    trials: Path = typer.Option(..., "--trials", help="CTML trial file or directory (JSON or YAML)."),
    clinical: Path = typer.Option(
        ..., "--clinical", help="Clinical records: JSON, extended JSON, JSON lines or CSV."
    ),
    genomic: Path | None = typer.Option(
        None, "--genomic", help="Genomic records: JSON, extended JSON, JSON lines or CSV."
    ),
    include_closed: bool = typer.Option(
        False, "--include-closed", help="Also match closed trials and suspended steps, arms and dose levels."
    ),
    include_deceased: bool = typer.Option(False, "--include-deceased", help="Also match deceased patients."),
    oncotree: Path | None = typer.Option(
        None,
        "--oncotree",
        help="OncoTree name mapping (JSON: node -> subtree names); default: found automatically.",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date ages are computed at (YYYY-MM-DD); default today."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per match and line."),
) -> None:
    """Match CTML trials against clinical and genomic records; print one line per match."""
    from oncofed.matching.ctml import run_ctml_match

    when = None
    if as_of:
        try:
            when = date.fromisoformat(as_of)
        except ValueError as exc:
            raise InputError(f"--as-of {as_of!r} is not a date", fix="write YYYY-MM-DD") from exc
    matches = run_ctml_match(
        trials,
        clinical,
        genomic,
        include_closed=include_closed,
        include_deceased=include_deceased,
        oncotree_path=oncotree,
        as_of=when,
    )
    if as_json:
        for m in matches:
            print(json.dumps(m.as_json(), ensure_ascii=False, default=str))
        return
    console = Console()
    table = Table(
        "protocol_no", "nct_id", "sample_id", "level", "code", "reasons", title=f"{len(matches)} matches"
    )
    for m in matches:
        reasons = "; ".join(
            (f"{next(iter(r['criterion']))}={next(iter(r['criterion'].values()))} ({r['patient_value']})")
            if r["type"] == "clinical"
            else r["alteration"]
            for r in m.reasons
        )
        table.add_row(m.protocol_no, m.nct_id or "", m.sample_id, m.match_level, str(m.code), reasons)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(ctml_app, name="ctml")
