"""trust (issue 17): feasibility privacy-budget ledger and lockouts; the per-patient-set noise table goes

The noise stored per set of patients counted (0008) made two questions selecting the same patients
answer identically and any two different sets answer independently, which tells an attacker whether
two sets differ (a target's presence) with certainty: each question now draws fresh noise from the
privacy budget instead, and a repeat of the same question returns its recorded answer.

Revision ID: 0015_trust_budget
Revises: 0011_match_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_trust_budget"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feasibility_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.Column("differencing", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feasibility_questions_user_at", "feasibility_questions", ["user_id", "asked_at"])
    op.create_table(
        "feasibility_lockouts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("locked_at", sa.DateTime(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feasibility_lockouts_user_id", "feasibility_lockouts", ["user_id"])
    op.drop_index("ix_feasibility_noise_centre", table_name="feasibility_noise")
    op.drop_table("feasibility_noise")


def downgrade() -> None:
    op.create_table(
        "feasibility_noise",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("noise", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_feasibility_noise_centre", "feasibility_noise", ["centre_id"])
    op.drop_index("ix_feasibility_lockouts_user_id", table_name="feasibility_lockouts")
    op.drop_table("feasibility_lockouts")
    op.drop_index("ix_feasibility_questions_user_at", table_name="feasibility_questions")
    op.drop_table("feasibility_questions")
