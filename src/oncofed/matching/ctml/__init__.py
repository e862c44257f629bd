"""Structured genomic matching of CTML trials with MatchMiner's semantics.

Use `run_ctml_match(trials_path, clinical_path, genomic_path, include_closed=False)` or, with
records already in memory, `CtmlMatcher(index_patients(clinical, genomic)).match_trials(trials)`.
The semantics are described in `oncofed.matching.ctml.engine`; the command is `oncofed ctml match`.
"""

from oncofed.matching.ctml.engine import (
    CtmlMatch,
    CtmlMatcher,
    expand_paths,
    extract_match_clauses,
    index_patients,
    load_oncotree,
    run_ctml_match,
)
from oncofed.matching.ctml.loader import load_patients, load_trials

__all__ = [
    "CtmlMatch",
    "CtmlMatcher",
    "expand_paths",
    "extract_match_clauses",
    "index_patients",
    "load_oncotree",
    "load_patients",
    "load_trials",
    "run_ctml_match",
]
