"""prescreen: the kinds of reading that held a patient back (code 4), per result: the order of the
"Probably not — to check" tab (services/prescreen/odds.py)

Revision ID: 0021_prescreen_held_kinds
Revises: 0011_match_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_prescreen_held_kinds"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_kinds", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.drop_column("held_kinds")
