"""Public benchmark files: BEIR queries / corpus (JSON lines, through the one guarded reader
`ingest.jsonl`), qrels (TSV), TREC run files (read and written).

Every reader checks its input and raises `InputError` naming the file, the line and the fix, so a
malformed file gives one clear message and a non-zero exit in the CLI, never a traceback. The
ranking engine (`matching.ranking`) receives the parsed rows, never a path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oncofed.errors import InputError
from oncofed.ingest import jsonl
from oncofed.ingest.errors import RecordError


def read_beir(path: str | Path, *, kind: str) -> list[dict[str, Any]]:
    """A BEIR queries or corpus file: one object per line with a unique `_id` and a string `text`."""
    seen: set[str] = set()

    def check(row: dict[str, Any]) -> None:
        if not isinstance(row.get("text", ""), str):
            raise RecordError("text", "'text' is not a string")
        rid = str(row["_id"])
        if rid in seen:
            raise RecordError("_id", f"duplicate _id {rid!r}")
        seen.add(rid)
        row["_id"] = rid

    return jsonl.read_objects(path, what=f"BEIR {kind}", need=("_id", "text"), check=check)


def read_queries(path: str | Path) -> list[dict[str, Any]]:
    return read_beir(path, kind="queries")


def read_corpus(path: str | Path) -> list[dict[str, Any]]:
    return read_beir(path, kind="corpus")


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
