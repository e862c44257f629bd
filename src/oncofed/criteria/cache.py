"""Parsed criteria cached by eligibility-text hash (table `criteria_parse_cache`), so re-imports of an
unchanged trial, page views and the matcher never parse the same text twice."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from oncofed.criteria.parser import PARSER_VERSION, parse_eligibility
from oncofed.criteria.serialize import criterion_from_json, criterion_json
from oncofed.domain.criteria import Criterion
from oncofed.store.db import Database
from oncofed.store.models_criteria import CriteriaParseRow


def text_hash(text: str) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()


def cached_parse(db: Database, text: str) -> tuple[list[Criterion], bool]:
    """(criteria, hit): from the cache when this text was parsed by this parser version before."""
    key = text_hash(text)
    with db.session() as session:
        row = session.execute(
            select(CriteriaParseRow).where(
                CriteriaParseRow.text_hash == key, CriteriaParseRow.parser_version == PARSER_VERSION
            )
        ).scalar_one_or_none()
        if row is not None:
            return [criterion_from_json(d) for d in row.criteria], True
    criteria = parse_eligibility(text).criteria
    try:
        with db.session() as session:
            session.add(
                CriteriaParseRow(
                    text_hash=key,
                    parser_version=PARSER_VERSION,
                    criteria=[criterion_json(c) for c in criteria],
                )
            )
    except IntegrityError:  # a concurrent request stored it first: same content
        pass
    return criteria, False
