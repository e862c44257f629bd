"""prescreen: index for the incremental refresh's watermark

Revision ID: 0009_prescreen_c
Revises: 0009_prescreen_b
"""

from __future__ import annotations

from alembic import op

revision = "0009_prescreen_c"
down_revision = "0009_prescreen_b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_prescreen_results_watermark", ["trial_id", "centre_id", "patient_updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.drop_index("ix_prescreen_results_watermark")
