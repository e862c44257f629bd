"""a patient's correction requests (session 15, RGPD art. 16)

Revision ID: 0024_corrections
Revises: 0023_patient_space
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_corrections"
down_revision = "0023_patient_space"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_correction_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "patient_id", sa.String(64), sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("fact_index", sa.Integer(), nullable=False),
        sa.Column("fact_text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("handled_by", sa.String(100), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
    )
    op.create_index(
        "ix_patient_correction_requests_patient_id", "patient_correction_requests", ["patient_id"]
    )
    op.create_index("ix_patient_correction_requests_centre_id", "patient_correction_requests", ["centre_id"])


def downgrade() -> None:
    op.drop_table("patient_correction_requests")
