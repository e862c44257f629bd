"""Parsed criteria stored by eligibility-text hash and parser version (table `criteria_parse_cache`).

The store only keeps and returns what the criteria engine produced; parsing itself is the service's
job (`services/trials/criteria.py`), so this adapter never calls the parser.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from oncofed.criteria.serialize import criterion_from_json, criterion_json
from oncofed.domain.criteria import Criterion
from oncofed.store.db import Database
from oncofed.store.models_criteria import CriteriaParseRow

_CHUNK = 500


def text_hash(text: str) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()


def load_parsed(db: Database, keys: Iterable[str], version: str) -> dict[str, list[Criterion]]:
    """The stored parses of the text hashes `keys` made by parser `version` (missing keys absent)."""
    wanted = sorted(set(keys))
    out: dict[str, list[Criterion]] = {}
    with db.session() as session:
        for i in range(0, len(wanted), _CHUNK):
            rows = session.execute(
                select(CriteriaParseRow.text_hash, CriteriaParseRow.criteria).where(
                    CriteriaParseRow.text_hash.in_(wanted[i : i + _CHUNK]),
                    CriteriaParseRow.parser_version == version,
                )
            ).all()
            for key, payload in rows:
                out[key] = [criterion_from_json(d) for d in payload]
    return out


def store_parsed(db: Database, parsed: dict[str, list[Criterion]], version: str) -> None:
    """Keep parses by text hash, in one transaction; when another process stored some of the same
    texts meanwhile (same content), fall back to one row at a time and skip those."""
    rows = {k: [criterion_json(c) for c in v] for k, v in parsed.items()}
    if not rows:
        return
    try:
        with db.session() as session:
            session.add_all(
                CriteriaParseRow(text_hash=k, parser_version=version, criteria=v) for k, v in rows.items()
            )
        return
    except IntegrityError:
        pass
    for key, payload in rows.items():
        try:
            with db.session() as session:
                session.add(CriteriaParseRow(text_hash=key, parser_version=version, criteria=payload))
        except IntegrityError:
            pass
