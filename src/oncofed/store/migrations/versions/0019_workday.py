"""workday (issue 18): trial set-up at network centres, fact corrections, referrals

Revision ID: 0019_workday
Revises: 0011_match_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_workday"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trial_site_setups",
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("local_status", sa.String(length=32), nullable=False),
        sa.Column("principal_investigator", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=300), nullable=False),
        sa.Column("contact_phone", sa.String(length=50), nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("opening_date", sa.Date(), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"]),
        sa.PrimaryKeyConstraint("trial_id", "centre_id"),
    )
    op.create_table(
        "patient_fact_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_patient_fact_corrections_patient_id", "patient_fact_corrections", ["patient_id"])
    op.create_table(
        "trial_referrals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("patient_centre_id", sa.String(length=64), nullable=False),
        sa.Column("site_centre_id", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("referred_by", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trial_referrals_trial_id", "trial_referrals", ["trial_id"])
    op.create_index("ix_trial_referrals_patient_id", "trial_referrals", ["patient_id"])
    op.create_index("ix_trial_referrals_site_centre_id", "trial_referrals", ["site_centre_id"])


def downgrade() -> None:
    op.drop_table("trial_referrals")
    op.drop_table("patient_fact_corrections")
    op.drop_table("trial_site_setups")
