"""Public benchmark formats: BEIR queries / corpus (JSON lines), qrels (TSV), TREC run files.

Every reader checks its input and raises `InputError` naming the file, the line and the fix, so a
malformed file gives one clear message and a non-zero exit in the CLI, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from oncofed.errors import InputError


def read_jsonl(path: str | Path, *, kind: str, need: tuple[str, ...]) -> list[dict[str, Any]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{kind} file not found", file=str(p), fix=f"give the BEIR {kind} .jsonl file")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    with p.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not a JSON object ({exc.msg})",
                    file=str(p),
                    record=f"line {n}",
                    fix="one JSON object per line",
                ) from exc
            if not isinstance(row, dict):
                raise InputError(
                    "not a JSON object", file=str(p), record=f"line {n}", fix="one JSON object per line"
                )
            for key in need:
                if key not in row:
                    raise InputError(
                        f"missing field {key!r}",
                        file=str(p),
                        record=f"line {n}",
                        field=key,
                        fix=f"BEIR {kind} rows need {need}",
                    )
            if not isinstance(row.get("text", ""), str):
                raise InputError("'text' is not a string", file=str(p), record=f"line {n}", field="text")
            rid = str(row["_id"])
            if rid in seen:
                raise InputError(f"duplicate _id {rid!r}", file=str(p), record=f"line {n}", field="_id")
            seen.add(rid)
            row["_id"] = rid
            rows.append(row)
    if not rows:
        raise InputError(
            f"empty {kind} file", file=str(p), fix=f"give a BEIR {kind} file with at least one row"
        )
    return rows


def read_queries(path: str | Path) -> list[dict[str, Any]]:
    return read_jsonl(path, kind="queries", need=("_id", "text"))


def read_corpus(path: str | Path) -> list[dict[str, Any]]:
    return read_jsonl(path, kind="corpus", need=("_id", "text"))


def read_qrels(path: str | Path) -> dict[str, dict[str, int]]:
    """BEIR qrels TSV (`query-id corpus-id score`, header optional) -> {qid: {docid: grade}}."""
    p = Path(path)
    if not p.is_file():
        raise InputError("qrels file not found", file=str(p), fix="give the BEIR qrels .tsv file")
    out: dict[str, dict[str, int]] = {}
    with p.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            parts = line.rstrip("\n").split("\t") if "\t" in line else line.split()
            if n == 1 and parts[0].strip().lower() in ("query-id", "query_id", "qid"):
                continue
            if len(parts) == 4:  # TREC qrels: qid iter docid rel
                parts = [parts[0], parts[2], parts[3]]
            if len(parts) != 3:
                raise InputError(
                    f"expected 3 columns, found {len(parts)}",
                    file=str(p),
                    record=f"line {n}",
                    fix="query-id<TAB>corpus-id<TAB>score",
                )
            qid, did, score = (x.strip() for x in parts)
            try:
                grade = int(float(score))
            except ValueError as exc:
                raise InputError(
                    f"score {score!r} is not a number", file=str(p), record=f"line {n}", field="score"
                ) from exc
            out.setdefault(qid, {})[did] = grade
    if not out:
        raise InputError("empty qrels file", file=str(p))
    return out


def write_run(path: str | Path, run: dict[str, list[tuple[str, float]]], tag: str) -> int:
    """TREC run: `qid Q0 docid rank score tag`, ranks from 1 in decreasing score. Returns the row count."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with p.open("w", encoding="utf-8") as fh:
        for qid in sorted(run):
            for rank, (did, score) in enumerate(run[qid], start=1):
                fh.write(f"{qid} Q0 {did} {rank} {score:.6f} {tag}\n")
                rows += 1
    return rows


def read_run(path: str | Path) -> dict[str, dict[str, float]]:
    """A TREC run file -> {qid: {docid: score}}; a repeated (qid, docid) is an error."""
    p = Path(path)
    if not p.is_file():
        raise InputError(
            "run file not found", file=str(p), fix="give a TREC run file (qid Q0 docid rank score tag)"
        )
    out: dict[str, dict[str, float]] = {}
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 6:
                raise InputError(
                    f"expected 6 columns, found {len(parts)}",
                    file=str(p),
                    record=f"line {n}",
                    fix="qid Q0 docid rank score tag",
                )
            qid, _, did, _, score, _ = parts
            try:
                value = float(score)
            except ValueError as exc:
                raise InputError(
                    f"score {score!r} is not a number", file=str(p), record=f"line {n}", field="score"
                ) from exc
            if did in out.setdefault(qid, {}):
                raise InputError(
                    f"duplicate (query {qid}, document {did})",
                    file=str(p),
                    record=f"line {n}",
                    fix="each document may appear once per query in a run",
                )
            out[qid][did] = value
    if not out:
        raise InputError("empty run file", file=str(p))
    return out


def score_run(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """nDCG@10, P@10 and R-precision (relevant = grade >= 1) with ir-measures, over the judged queries."""
    import ir_measures
    from ir_measures import P, Rprec, nDCG

    measures = [nDCG @ 10, P(rel=1) @ 10, Rprec(rel=1)]
    qrel_rows = [ir_measures.Qrel(q, d, g) for q, docs in qrels.items() for d, g in docs.items()]
    run_rows = [
        ir_measures.ScoredDoc(q, d, s) for q, docs in run.items() if q in qrels for d, s in docs.items()
    ]
    if not run_rows:
        raise InputError("no query of the run is in the qrels", fix="score a run made from the same queries")
    agg = ir_measures.calc_aggregate(measures, qrel_rows, run_rows)
    names = {str(nDCG @ 10): "nDCG@10", str(P(rel=1) @ 10): "P@10", str(Rprec(rel=1)): "R-prec"}
    return {names[str(m)]: float(v) for m, v in agg.items()}


def pools_from_qrels(qrels: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    return {q: list(docs) for q, docs in qrels.items()}


def restrict(ids: Iterable[str], allowed: set[str]) -> list[str]:
    return [i for i in ids if i in allowed]
