"""Eligibility criteria engine: free-text eligibility into ordered criteria made of typed atoms.

    from oncofed.criteria import parse_eligibility
    result = parse_eligibility(text)          # ParseResult(criteria=[Criterion...], ...)
    parse_many(texts)                          # batched (ConText runs once over the batch)

Each `Criterion` (oncofed.domain.criteria) keeps its section, index (global, reading order), span in
the source text (`text[c.span[0]:c.span[1]] == c.text`) and parent index (nested sub-items). Each
`Atom` follows the contract in docs/DEVELOPING.md; `Atom.span` is relative to `Criterion.text`.
Sub-modules: `segment` (segmentation), `extract`/`extract_clinical` (typed atoms), `vocab`
(vocabulary look-ups), `units` (unit conversion), `context` (medspaCy ConText), `serialize` (JSON),
`brat` and `evaluate` (benchmarks), `cache` (parse cache by text hash).
"""

from oncofed.criteria.parser import (
    PARSER_VERSION,
    ParseResult,
    parse_criterion,
    parse_eligibility,
    parse_many,
)

__all__ = ["PARSER_VERSION", "ParseResult", "parse_criterion", "parse_eligibility", "parse_many"]
