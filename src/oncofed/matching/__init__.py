"""Matching engines: patient -> trials (retrieve, evaluate, rank) and trial -> patients (vectorised).

- `evaluate`: one evaluator deciding each criterion atom against a `PatientProfile`;
- `retrieve` / `pipeline`: BM25 retrieval over open trials with hard filters, ranking, nearest site;
- `vectorised`: the same semantics over many patients at once (numpy), for pre-screening;
- `ctml/`, `ranking/`: structured CTML matching and ranking benchmarks.
"""
