"""EDS-NLP's qualifiers on given mentions, for the French benchmark (issue 23). Runs in its OWN venv:

    python3.11 -m venv /tmp/venv-eds && /tmp/venv-eds/bin/pip install edsnlp==0.23.0
    /tmp/venv-eds/bin/python benchmarks/eds_qualifiers.py < mentions.jsonl > flags.jsonl

(edsnlp 0.23 needs spaCy >= 3.8.7 and numpy 2; the project is pinned to spaCy 3.7.5 / numpy 1.26 by
medspaCy, so EDS-NLP cannot be imported by oncofed itself.) Input: one JSON object per line
`{"id", "text", "spans": [[start, end], ...]}`; output: the same `id` with, per span, EDS-NLP's
`negation`, `hypothesis`, `family`, `history` flags, and a last line `{"cpu_s": ..., "notes": N}`: the
CPU time of the pipeline (sentences, normalizer, the four qualifiers) over the notes, spans given as
entities (no terminology matcher, so only the qualifiers are timed).
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    import edsnlp
    import edsnlp.pipes as eds
    from spacy.util import filter_spans

    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.sentences())
    nlp.add_pipe(eds.normalizer())
    for pipe in (eds.negation(), eds.hypothesis(), eds.family(), eds.history()):
        nlp.add_pipe(pipe)
    items = [json.loads(line) for line in sys.stdin if line.strip()]
    docs = []
    for item in items:
        doc = nlp.make_doc(item["text"])
        spans = [doc.char_span(s, e, label="mention", alignment_mode="expand") for s, e in item["spans"]]
        doc.ents = filter_spans([s for s in spans if s is not None])
        docs.append(doc)
    started = time.process_time()
    done = [nlp(doc) for doc in docs]  # a Doc goes through the pipeline's components
    cpu = time.process_time() - started
    for item, doc in zip(items, done, strict=True):
        flags = {}
        for ent in doc.ents:
            flags[f"{ent.start_char}:{ent.end_char}"] = {
                "negation": bool(ent._.negation),
                "hypothesis": bool(ent._.hypothesis),
                "family": bool(ent._.family),
                "history": bool(ent._.history),
            }
        print(json.dumps({"id": item["id"], "flags": flags}))
    print(json.dumps({"cpu_s": cpu, "notes": len(items)}))


if __name__ == "__main__":
    main()
