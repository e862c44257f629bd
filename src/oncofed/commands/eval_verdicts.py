"""`oncofed eval verdicts`: eligibility verdicts of (note, trial) pairs, BEIR/TrialGPT in, JSON lines out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from oncofed.commands.common import cells
from oncofed.errors import InputError


def verdicts_cmd(
    queries: Path = typer.Option(..., "--queries", help="BEIR queries.jsonl: the patient notes {_id, text}."),
    corpus: Path = typer.Option(
        ..., "--corpus", help="BEIR/TrialGPT corpus.jsonl: trials with metadata.inclusion/exclusion_criteria."
    ),
    pairs: Path = typer.Option(
        ...,
        "--pairs",
        help="qrels TSV (query-id corpus-id score); 2 = eligible, 1 = excluded for the summary.",
    ),
    out: Path = typer.Option(..., "--out", help="JSON lines to write, one per pair."),
    expected: Path | None = typer.Option(
        None, "--expected", help="Optional expected.jsonl naming each failure's criterion (dev-set layout)."
    ),
    day: str = typer.Option("", help="Evaluate as of this day (YYYY-MM-DD); default today."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Strict verdicts: every criterion read as not met excludes (default: only kinds of reading "
        "proven reliable exclude; the others are 'unknown, to check').",
    ),
) -> None:
    """One verdict per pair (eligible / excluded / unknown / not_evaluated) with a score and every
    criterion's outcome and plain evidence; with labels in --pairs, a summary of agreement."""
    from rich.table import Table

    from oncofed.commands.common import console, progress_bar
    from oncofed.matching import trust
    from oncofed.services.matching import verdicts as V

    try:
        on = date.fromisoformat(day) if day else None
    except ValueError:
        raise InputError(f"{day!r} is not a date", field="--day", fix="write YYYY-MM-DD") from None
    if expected is not None and not expected.is_file():
        raise InputError("file not found", file=str(expected), fix="give the dev set's expected.jsonl")
    inputs = V.load_inputs(queries, corpus, pairs)
    with progress_bar() as bar, trust.strict(strict):
        task = bar.add_task("verdicts", total=len(inputs.pairs))
        lines = V.evaluate_pairs(inputs, on, lambda done, total: bar.update(task, completed=done))
    written = V.write_lines(out, lines)
    summary = V.summarise(lines, inputs.pairs, V.read_expected(expected) if expected else None)
    summary["out"] = str(out)
    summary["policy"] = "strict" if strict else "trusted kinds"
    if as_json:
        print(json.dumps(summary))
        return
    table = Table("measure", "value", title=f"{written} pairs -> {out}")
    for name, value in _rows(summary):
        table.add_row(*cells(name, value))
    console.print(table)


def _pct(n: int, d: int) -> str:
    return f"{n} / {d} ({100 * n / d:.1f} %)" if d else "—"


def _rows(s: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [(f"verdict {k}", str(v)) for k, v in s["verdicts"].items()]
    if "eligible_pairs" in s:
        rows += [
            ("eligible pairs (label 2) not excluded", _pct(s["eligible_not_excluded"], s["eligible_pairs"])),
            (
                "eligible pairs (label 2) marked eligible",
                _pct(s["eligible_marked_eligible"], s["eligible_pairs"]),
            ),
            ("excluded pairs (label 1) excluded", _pct(s["excluded_caught"], s["excluded_pairs"])),
            (
                "eligible pairs read 'probably not — check' (out of pre-screening's default tab)",
                _pct(s["eligible_probably_not"], s["eligible_pairs"]),
            ),
            (
                "excluded pairs set apart (excluded, or probably not — check)",
                _pct(s["excluded_apart"], s["excluded_pairs"]),
            ),
        ]
        if "excluded_with_named_criterion" in s:
            rows.append(
                (
                    "excluded pairs excluded with the named criterion violated",
                    _pct(s["excluded_with_named_criterion"], s["excluded_pairs"]),
                )
            )
        if "excluded_flagged" in s:
            rows.append(
                (
                    "excluded pairs flagged (excluded, or the named criterion to check)",
                    _pct(s["excluded_flagged"], s["excluded_pairs"]),
                )
            )
        rows.append(("balanced accuracy (excluded vs not)", f"{s['balanced_accuracy']:.3f}"))
    return rows


def register(app: typer.Typer) -> None:
    # `eval` is shared with other areas (`eval rank`, `eval criteria`): join the group if it exists.
    eval_app = next((g.typer_instance for g in app.registered_groups if g.name == "eval"), None)
    if eval_app is None:
        eval_app = typer.Typer(help="Evaluations against reference data.", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("verdicts")(verdicts_cmd)
