"""prescreen: pre-screening results, screening workflow, enrolments, notifications

Revision ID: 0009_prescreen
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_prescreen"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prescreen_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_by", sa.JSON(), nullable=False),
        sa.Column("emailed_to", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prescreen_notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prescreen_notifications_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "prescreen_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("prescreen_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prescreen_subscriptions_centre_id"), ["centre_id"], unique=False)

    op.create_table(
        "prescreen_visits",
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("last_visit_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "trial_id", "centre_id"),
    )
    op.create_table(
        "screening_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=False),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("screening_events", schema=None) as batch_op:
        batch_op.create_index("ix_screening_events_trial_centre", ["trial_id", "centre_id"], unique=False)

    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("site_key", sa.String(length=300), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=True),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolments_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "prescreen_runs",
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("trial_hash", sa.String(length=40), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("evaluated", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("trial_id", "centre_id"),
    )
    op.create_table(
        "prescreen_results",
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("eligibility", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("n_met", sa.Integer(), nullable=False),
        sa.Column("n_unknown", sa.Integer(), nullable=False),
        sa.Column("n_not_met", sa.Integer(), nullable=False),
        sa.Column("to_check", sa.JSON(), nullable=False),
        sa.Column("blocking", sa.JSON(), nullable=False),
        sa.Column("patient_hash", sa.String(length=40), nullable=False),
        sa.Column("patient_updated_at", sa.DateTime(), nullable=True),
        sa.Column("trial_hash", sa.String(length=40), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("became_candidate_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("trial_id", "patient_id"),
    )
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.create_index("ix_prescreen_results_trial_centre", ["trial_id", "centre_id"], unique=False)

    op.create_table(
        "screening_candidates",
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("trial_id", "patient_id"),
    )
    with op.batch_alter_table("screening_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_candidates_centre_id"), ["centre_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screening_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_candidates_centre_id"))

    op.drop_table("screening_candidates")
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.drop_index("ix_prescreen_results_trial_centre")

    op.drop_table("prescreen_results")
    op.drop_table("prescreen_runs")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolments_trial_id"))

    op.drop_table("enrolments")
    with op.batch_alter_table("screening_events", schema=None) as batch_op:
        batch_op.drop_index("ix_screening_events_trial_centre")

    op.drop_table("screening_events")
    op.drop_table("prescreen_visits")
    with op.batch_alter_table("prescreen_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prescreen_subscriptions_centre_id"))

    op.drop_table("prescreen_subscriptions")
    with op.batch_alter_table("prescreen_notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prescreen_notifications_centre_id"))

    op.drop_table("prescreen_notifications")
