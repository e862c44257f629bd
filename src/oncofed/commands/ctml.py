"""`oncofed ctml match` (files, or the registry's CTML trials) and `oncofed ctml patient ID` (a stored
patient against the registry's CTML trials): MatchMiner semantics."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from oncofed.errors import N_, InputError

ctml_app = typer.Typer(
    help="CTML trials: structured clinical + genomic matching (MatchMiner semantics).", no_args_is_help=True
)


@ctml_app.command("match")
def match_cmd(
    trials: Path | None = typer.Option(
        None,
        "--trials",
        help="CTML trial file or directory (JSON or YAML); default: the CTML trials imported in the registry.",
    ),
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
        help="MatchMiner's oncotree_mapping.json (name -> subtree names); default: the project's OncoTree.",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date ages are computed at (YYYY-MM-DD); default today."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per match and line."),
) -> None:
    """Match CTML trials against clinical and genomic records; print one line per match."""
    from oncofed.commands.common import open_database
    from oncofed.services.matching.ctml import match_files

    when = _day(as_of)
    matches = match_files(
        trials,
        clinical,
        genomic,
        db=open_database() if trials is None else None,
        include_closed=include_closed,
        include_deceased=include_deceased,
        oncotree_path=oncotree,
        as_of=when,
    )
    if as_json:
        for m in matches:
            print(json.dumps(m.as_json(), ensure_ascii=False, default=str))
        return
    from oncofed.commands.common import cells, console

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
        table.add_row(*cells(m.protocol_no, m.nct_id, m.sample_id, m.match_level, m.code, reasons))
    console.print(table)


@ctml_app.command("patient")
def patient_cmd(
    patient_id: str = typer.Argument(..., help="A patient id of the store."),
    include_closed: bool = typer.Option(
        False,
        "--include-closed",
        help="Also show matches in closed trials and suspended arms or dose levels.",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Date ages are computed at (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="The whole report as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="One CSV row per trial, level and criterion."),
) -> None:
    """A stored patient's CTML matches against the registry's CTML trials: trial, arm, and why."""
    from oncofed.commands.common import open_database
    from oncofed.domain import Actor
    from oncofed.presenters.csv import to_csv
    from oncofed.presenters.ctml import CSV_COLUMNS, csv_rows, report_json
    from oncofed.services.matching.ctml import patient_ctml_report

    report = patient_ctml_report(
        open_database(),
        Actor.system(purpose="care"),
        patient_id,
        include_closed=include_closed,
        as_of=_day(as_of),
    )
    data = report_json(report)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    if as_csv:
        print(to_csv(csv_rows(data), CSV_COLUMNS), end="")
        return
    from oncofed.commands.common import cells, console, escape

    p = data["patient"]
    console.print(
        f"[bold]{escape(p['id'])}[/] · {escape(p['diagnosis'] or 'no diagnosis')} · {len(data['genomic'])} genomic records · "
        f"{len(data['trials'])} of {data['trials_searched']} CTML trials match"
        + (" · deceased: not matched (MatchMiner skips deceased patients)" if p["deceased"] else "")
    )
    table = Table("trial", "level", "code", "open", "criteria matched")
    for t in data["trials"]:
        for a in t["arms"]:
            reasons = "; ".join(
                f"{c['kind']}: "
                + (f"not {str(c['trial_value']).lstrip('!')}" if c["exclusion"] else str(c["trial_value"]))
                + (f" ({c['patient_value']})" if c["patient_value"] else "")
                for c in a["criteria"]
            )
            table.add_row(
                *cells(
                    f"{t['protocol_no']} {t['nct_id'] or ''}",
                    a["level"],
                    a["code"],
                    "yes" if a["open"] else "closed",
                    reasons,
                )
            )
    console.print(table)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a date"), field="--as-of", fix=N_("write YYYY-MM-DD"), code="input.not_date",
            params={"value": repr(text)},
        ) from exc  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(ctml_app, name="ctml")
