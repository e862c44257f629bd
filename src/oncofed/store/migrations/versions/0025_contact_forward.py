"""contact requests name the network centre that recruits, and can be forwarded to it (session 15)

Revision ID: 0025_contact_forward
Revises: 0024_corrections
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_contact_forward"
down_revision = "0024_corrections"
branch_labels = None
depends_on = None

COLUMNS = (
    ("site_centre_id", 64),
    ("site_facility", 300),
    ("site_contact", 300),
    ("forwarded_to", 64),
    ("forwarded_by", 100),
)


def upgrade() -> None:
    with op.batch_alter_table("patient_contact_requests") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch.add_column(sa.Column("forwarded_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("patient_contact_requests") as batch:
        batch.drop_column("forwarded_at")
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
