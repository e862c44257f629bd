"""a patient's own space (session 15): patient accounts, contact requests, objection changes

Revision ID: 0023_patient_space
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_patient_space"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_accounts",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column(
            "patient_id", sa.String(64), sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("must_set_password", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_patient_accounts_patient_id", "patient_accounts", ["patient_id"], unique=True)
    op.create_table(
        "patient_contact_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "patient_id", sa.String(64), sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("trial_id", sa.String(64), sa.ForeignKey("trials.id", ondelete="CASCADE"), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("handled_by", sa.String(100), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_patient_contact_requests_patient_id", "patient_contact_requests", ["patient_id"])
    op.create_index("ix_patient_contact_requests_centre_id", "patient_contact_requests", ["centre_id"])
    op.create_table(
        "objection_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "patient_id", sa.String(64), sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("centre_id", sa.String(64), nullable=False),
        sa.Column("objecting", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_user", sa.String(100), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
    )
    op.create_index("ix_objection_changes_patient_id", "objection_changes", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_objection_changes_patient_id", table_name="objection_changes")
    op.drop_table("objection_changes")
    op.drop_index("ix_patient_contact_requests_centre_id", table_name="patient_contact_requests")
    op.drop_index("ix_patient_contact_requests_patient_id", table_name="patient_contact_requests")
    op.drop_table("patient_contact_requests")
    op.drop_index("ix_patient_accounts_patient_id", table_name="patient_accounts")
    op.drop_table("patient_accounts")
