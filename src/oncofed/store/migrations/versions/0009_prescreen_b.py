"""prescreen: a visit is a working session (new-candidate flags stay put while screening)

Revision ID: 0009_prescreen_b
Revises: 0009_prescreen
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_prescreen_b"
down_revision = "0009_prescreen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("prescreen_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prescreen_visits", schema=None) as batch_op:
        batch_op.drop_column("session_since")
