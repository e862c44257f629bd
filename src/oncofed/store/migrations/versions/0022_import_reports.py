"""import reports (session 11): the rejections and warnings of a trial or patient import, kept for
the report's CSV link (not in one process's memory)

Revision ID: 0022_import_reports
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_import_reports"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_reports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("n_items", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
    )
    op.create_index("ix_import_reports_created_at", "import_reports", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_import_reports_created_at", table_name="import_reports")
    op.drop_table("import_reports")
