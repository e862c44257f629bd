"""patients: index (centre_id, updated_at) for the pre-screening incremental refresh

Merges the current heads (criteria, quality, trust, prescreen) into one line.

Revision ID: 0010_patients_updated_index
Revises: 0004_criteria, 0007_quality, 0008_trust, 0009_prescreen_c
"""

from __future__ import annotations

from alembic import op

revision = "0010_patients_updated_index"
down_revision = ("0004_criteria", "0007_quality", "0008_trust", "0009_prescreen_c")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index("ix_patients_centre_updated", ["centre_id", "updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index("ix_patients_centre_updated")
