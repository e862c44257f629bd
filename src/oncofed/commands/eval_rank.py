"""`oncofed eval rank` / `oncofed eval score`: patient-to-trial ranking on public formats (BEIR in, TREC out)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.progress import Progress
from rich.table import Table

from oncofed.commands.common import cells, escape
from oncofed.errors import InputError


def rank_cmd(
    queries: Path = typer.Option(..., "--queries", help="BEIR queries.jsonl (the patient notes)."),
    corpus: Path = typer.Option(..., "--corpus", help="BEIR corpus.jsonl (the trials)."),
    pool: Path | None = typer.Option(
        None, "--pool", help="qrels TSV: rank for each query only the trials listed for it."
    ),
    out: Path = typer.Option(..., "--out", help="TREC run file to write."),
    method: str = typer.Option(
        "ranker",
        "--method",
        help="ranker (the product's ranker, as `oncofed match`), bm25, dense or random (baselines).",
    ),
    top: int = typer.Option(1000, "--top", min=1, help="Trials kept per query."),
    day: str | None = typer.Option(None, "--day", help="Evaluation day YYYY-MM-DD (default today)."),
) -> None:
    """Rank the corpus (or each query's pool) for every query with the product's ranker; write a TREC run."""
    from oncofed.ingest import beir_trec
    from oncofed.matching.ranking import beir
    from oncofed.services.matching.evaluation import METHODS, corpus_index, not_evaluated, rank_notes

    if method not in METHODS:
        raise InputError(f"unknown --method {method!r}", fix=f"choose one of {', '.join(METHODS)}")
    on = _day(day)
    qs = beir_trec.read_queries(queries)
    docs = beir_trec.read_corpus(corpus)
    pools = None
    if pool is not None:
        qrels = beir_trec.read_qrels(pool)
        known = {d["_id"] for d in docs}
        pools = {q: [d for d in ids if d in known] for q, ids in beir.pools_from_qrels(qrels).items()}
        missing = {q["_id"] for q in qs} - set(pools)
        if len(missing) == len(qs):
            raise InputError(
                "no query of --queries has a pool in --pool",
                file=str(pool),
                fix="use the qrels of the same set",
            )
    from oncofed.commands.common import new_console

    console = new_console(stderr=True)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("parsing trial criteria", total=None)
        index = corpus_index(docs, progress=lambda n, total: bar.update(task, completed=n, total=total))
        if method in ("ranker", "dense") and index.use_dense:
            task = bar.add_task("embedding trials", total=None)
            index.dense_index(progress=lambda n, total: bar.update(task, completed=n, total=total))
        task = bar.add_task("ranking", total=len(qs))
        notes = {q["_id"]: q["text"] for q in qs}
        no_diagnosis: list[str] = []
        run = rank_notes(
            index, notes, pools, method=method, day=on,
            progress=lambda n, total: bar.update(task, completed=n, total=total), no_diagnosis=no_diagnosis,
        )  # fmt: skip
    run = {q: ranked[:top] for q, ranked in run.items() if ranked}
    rows = beir_trec.write_run(out, run, tag=f"oncofed-{method}")
    layer = (
        "with the dense reranker" if index.use_dense else "lexical only (ONCOFED_RERANK=off or model missing)"
    )
    from oncofed.presenters.i18n import translator

    en = translator("en")  # English plural forms
    said = en.ngettext("%(num)s query", "%(num)s queries", len(run)) + ", "
    said += en.ngettext("%(num)s row", "%(num)s rows", rows)
    console.print(f"{said} -> {escape(str(out))} ({method}, {layer})")
    if no_diagnosis:
        console.print(
            en.ngettext(
                "%(num)s note with no recognisable diagnosis, ranked on relevance (criterion outcomes mostly unknown):",
                "%(num)s notes with no recognisable diagnosis, ranked on relevance (criterion outcomes mostly unknown):",
                len(no_diagnosis),
            )
            + f" {escape(', '.join(no_diagnosis[:10]))}"
            + (" ..." if len(no_diagnosis) > 10 else "")
        )
    bare = not_evaluated(index)
    if bare:
        console.print(
            en.ngettext(
                "%(num)s trial without criteria: not_evaluated, ranked on text only:",
                "%(num)s trials without criteria: not_evaluated, ranked on text only:",
                len(bare),
            )
            + " "
            + escape(", ".join(bare[:10]))
            + (" ..." if len(bare) > 10 else "")
        )


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date", field="--day", fix="write YYYY-MM-DD") from None


def score_cmd(
    run: Path = typer.Option(..., "--run", help="TREC run file."),
    qrels: Path = typer.Option(..., "--qrels", help="BEIR qrels TSV."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """nDCG@10, P@10 and R-precision of a run against qrels."""
    from oncofed.ingest import beir_trec
    from oncofed.matching.ranking import beir

    scores = beir.score_run(beir_trec.read_run(run), beir_trec.read_qrels(qrels))
    if as_json:
        print(json.dumps(scores))
        return
    table = Table("measure", "value")
    for name, value in scores.items():
        table.add_row(*cells(name, f"{value:.4f}"))
    from oncofed.commands.common import console

    console.print(table)


def register(app: typer.Typer) -> None:
    # `eval` is shared with other areas (e.g. `eval criteria`): join the group if it exists.
    eval_app = next((g.typer_instance for g in app.registered_groups if g.name == "eval"), None)
    if eval_app is None:
        eval_app = typer.Typer(help="Evaluations against reference data.", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("rank")(rank_cmd)
    eval_app.command("score")(score_cmd)
