"""A trial's criteria, parsed once: the one place the platform turns eligibility text into criteria.

Trials are parsed when they are imported (and again when the parser's version changes: `reparse`),
the parses are stored by text hash and parser version (`store/criteria_cache.py`), and a bounded
in-process memo in front of the table serves the matcher, pre-screening, feasibility and the pages.
Engines never parse: they receive `(trial, criteria, profile)` from here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from oncofed.criteria.parser import PARSER_VERSION, parse_eligibility
from oncofed.domain import Criterion, Trial
from oncofed.matching.criteria_source import registry_criteria
from oncofed.store.criteria_cache import load_parsed, store_parsed, text_hash
from oncofed.store.db import Database

MEMO_SIZE = 20_000  # distinct eligibility texts kept in memory (a parse is ~1-20 kB of atoms)
Progress = Callable[[int, int], None]

_MEMO: OrderedDict[str, tuple[Criterion, ...]] = OrderedDict()
_MEMO_LOCK = threading.Lock()


def _memo_get(key: str) -> tuple[Criterion, ...] | None:
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
        if hit is not None:
            _MEMO.move_to_end(key)
        return hit


def _memo_put(key: str, criteria: Sequence[Criterion]) -> tuple[Criterion, ...]:
    value = tuple(criteria)
    with _MEMO_LOCK:
        _MEMO[key] = value
        _MEMO.move_to_end(key)
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return value


def parsed_texts(
    texts: Iterable[str], db: Database | None = None, progress: Progress | None = None
) -> dict[str, tuple[Criterion, ...]]:
    """Criteria of each eligibility text, by text hash: memo, then the stored parses, then the
    parser (new parses are stored when `db` is given). `progress(done, total)` follows the parsing."""
    by_key = {text_hash(t): t for t in texts if t and t.strip()}
    out: dict[str, tuple[Criterion, ...]] = {}
    missing = []
    for key in by_key:
        hit = _memo_get(key)
        if hit is None:
            missing.append(key)
        else:
            out[key] = hit
    if missing and db is not None:
        for key, criteria in load_parsed(db, missing, PARSER_VERSION).items():
            out[key] = _memo_put(key, criteria)
        missing = [k for k in missing if k not in out]
    fresh: dict[str, list[Criterion]] = {}
    for n, key in enumerate(missing, start=1):
        fresh[key] = list(parse_eligibility(by_key[key]).criteria)
        out[key] = _memo_put(key, fresh[key])
        if progress is not None:
            progress(n, len(missing))
    if fresh and db is not None:
        store_parsed(db, fresh, PARSER_VERSION)
    return out


def criteria_of_text(text: str, db: Database | None = None) -> list[Criterion]:
    """The parser's criteria for an eligibility text, through the cache."""
    return list(parsed_texts([text], db).get(text_hash(text), ())) if text and text.strip() else []


def parsed_criteria(trial: Trial, db: Database | None = None) -> list[Criterion]:
    """The parser's criteria for `trial`'s eligibility text ([] for a trial without text)."""
    return criteria_of_text(trial.eligibility_text, db)


def trial_criteria(trial: Trial, db: Database | None = None) -> list[Criterion]:
    """Everything the matcher evaluates for `trial`: the registry's structured fields, then the text."""
    return registry_criteria(trial) + parsed_criteria(trial, db)


def criteria_by_trial(
    trials: Sequence[Trial], db: Database | None = None, progress: Progress | None = None
) -> dict[str, list[Criterion]]:
    """`trial_criteria` of many trials at once (one read of the stored parses)."""
    parsed = parsed_texts([t.eligibility_text for t in trials], db, progress)
    return {
        t.id: registry_criteria(t) + list(parsed.get(text_hash(t.eligibility_text), ()))
        if t.eligibility_text
        else registry_criteria(t)
        for t in trials
    }


def reparse(db: Database, progress: Progress | None = None) -> int:
    """Parse every stored trial's text not yet parsed by this parser version; the number parsed."""
    from sqlalchemy import select

    from oncofed.store.models import TrialRow

    with db.session() as s:
        texts = [t for (t,) in s.execute(select(TrialRow.eligibility_text)).all() if t and t.strip()]
    keys = {text_hash(t) for t in texts}
    stored = load_parsed(db, keys, PARSER_VERSION)
    todo = [t for t in texts if text_hash(t) not in stored]
    todo = list({text_hash(t): t for t in todo}.values())
    parsed_texts(todo, db, progress)
    return len(todo)
