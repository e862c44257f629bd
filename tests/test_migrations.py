"""The Alembic migrations create exactly the tables the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import oncofed.store.all_models  # noqa: F401
from oncofed.store.db import Database
from oncofed.store.models import Base


def test_migrations_match_models(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == [], f"models and migrations differ; write a migration for: {diffs}"
