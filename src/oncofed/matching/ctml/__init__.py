"""Structured genomic matching of CTML trials with MatchMiner's semantics (see `engine`).

The matcher receives values: CTML trial documents (dicts, from files through
`oncofed.ingest.ctml_files` or from the store through `oncofed.services.matching.ctml`) and
MatchMiner clinical + genomic records: `CtmlMatcher(index_patients(clinical, genomic)).match_trials(trials)`.
The commands are `oncofed ctml match` and `oncofed ctml patient`.
"""

from oncofed.matching.ctml.engine import CtmlMatch, CtmlMatcher, Patients, index_patients
from oncofed.matching.ctml.trees import MatchClause, expand_paths, extract_match_clauses, trial_is_open

__all__ = [
    "CtmlMatch",
    "CtmlMatcher",
    "MatchClause",
    "Patients",
    "expand_paths",
    "extract_match_clauses",
    "index_patients",
    "trial_is_open",
]
