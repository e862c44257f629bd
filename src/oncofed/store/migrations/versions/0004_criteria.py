"""criteria: parse cache of eligibility texts by hash and parser version

Revision ID: 0004_criteria
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_criteria"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "criteria_parse_cache",
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("parser_version", sa.String(length=32), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("text_hash", "parser_version"),
    )


def downgrade() -> None:
    op.drop_table("criteria_parse_cache")
