"""a staff account given a one-time password must replace it at its next sign-in (session 16)

Revision ID: 0026_staff_password
Revises: 0025_contact_forward
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_staff_password"
down_revision = "0025_contact_forward"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing accounts keep working as before: their password is their own (false)
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
