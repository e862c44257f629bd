"""`oncofed eval parallel`: verdicts of two parallel note sets (English and French twins) side by side."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from oncofed.errors import InputError


def parallel_cmd(
    english: Path = typer.Option(
        ..., "--english", help="Folder of the English set: queries.jsonl, pairs.tsv[, expected.jsonl]."
    ),
    other: Path = typer.Option(..., "--other", help="Folder of its twin set (e.g. French), the same layout."),
    corpus: Path = typer.Option(..., "--corpus", help="BEIR/TrialGPT corpus.jsonl shared by both sets."),
    out: Path = typer.Option(Path("var/parallel"), "--out", help="Folder for the two JSON-lines outputs."),
    day: str = typer.Option("", help="Evaluate as of this day (YYYY-MM-DD); default today."),
    as_json: bool = typer.Option(False, "--json", help="Print the two summaries as JSON."),
) -> None:
    """`oncofed eval verdicts` on both sets (the same pipeline, corpus and day), the summaries side by side
    and how many parallel pairs got the same verdict (a twin's id is the English id with a prefix)."""
    from rich.table import Table

    from oncofed.commands.common import console
    from oncofed.services.matching import verdicts as V

    try:
        on = date.fromisoformat(day) if day else None
    except ValueError:
        raise InputError(f"{day!r} is not a date", field="--day", fix="write YYYY-MM-DD") from None
    out.mkdir(parents=True, exist_ok=True)
    summaries: dict[str, dict[str, Any]] = {}
    verdicts: dict[str, dict[tuple[str, str], str]] = {}
    for name, folder in (("english", english), ("other", other)):
        for needed in ("queries.jsonl", "pairs.tsv"):
            if not (folder / needed).is_file():
                raise InputError("file not found", file=str(folder / needed), fix="give a dev-set folder")
        inputs = V.load_inputs(folder / "queries.jsonl", corpus, folder / "pairs.tsv")
        lines = V.evaluate_pairs(inputs, on)
        V.write_lines(out / f"{name}.jsonl", lines)
        expected = (
            V.read_expected(folder / "expected.jsonl") if (folder / "expected.jsonl").is_file() else None
        )
        summaries[name] = V.summarise(lines, inputs.pairs, expected)
        verdicts[name] = {(x["query-id"], x["corpus-id"]): x["verdict"] for x in lines}
    same = total = 0
    for (qid, did), verdict in verdicts["other"].items():
        twin = next((v for (q, d), v in verdicts["english"].items() if d == did and qid.endswith(q)), None)
        if twin is not None:
            total += 1
            same += twin == verdict
    if as_json:
        print(json.dumps({**summaries, "same_verdict": same, "parallel_pairs": total}))
        return
    table = Table(
        "measure", f"English ({english.name})", f"twin ({other.name})", title=f"parallel sets -> {out}"
    )
    keys = [k for k in summaries["english"] if isinstance(summaries["english"][k], (int, float))]
    for key in keys:
        a, b = summaries["english"][key], summaries["other"].get(key)
        fmt = (lambda v: f"{v:.3f}") if isinstance(a, float) else str
        table.add_row(key.replace("_", " "), fmt(a), fmt(b) if b is not None else "—")
    for verdict in sorted(set(summaries["english"]["verdicts"]) | set(summaries["other"]["verdicts"])):
        table.add_row(
            f"verdict {verdict}",
            str(summaries["english"]["verdicts"].get(verdict, 0)),
            str(summaries["other"]["verdicts"].get(verdict, 0)),
        )
    table.add_row("parallel pairs with the same verdict", f"{same} / {total}", "")
    console.print(table)


def register(app: typer.Typer) -> None:
    eval_app = next((g.typer_instance for g in app.registered_groups if g.name == "eval"), None)
    if eval_app is None:
        eval_app = typer.Typer(help="Evaluations against reference data.", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("parallel")(parallel_cmd)
