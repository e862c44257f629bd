"""boards (issue 19): tumour boards, members, meetings, cases with card and decision, trial decisions, trail

Revision ID: 0016_boards
Revises: 0011_match_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_boards"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("coordinator", sa.String(length=100), nullable=False),
        sa.Column("accepts_recourse", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_boards_centre_id", "boards", ["centre_id"])
    op.create_table(
        "board_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("specialty", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_board_members_board_id", "board_members", ["board_id"])
    op.create_table(
        "board_meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=True),
        sa.Column("frozen_by", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_board_meetings_board_when", "board_meetings", ["board_id", "scheduled_for"])
    op.create_table(
        "board_cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("patient_centre_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("previous_case_id", sa.Integer(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("snapshot_hash", sa.String(length=40), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("new_trials", sa.JSON(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=True),
        sa.Column("proposal", sa.Text(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("specialties", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("signed_by", sa.String(length=100), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("meeting_day", sa.Date(), nullable=True),
        sa.Column("n_specialties", sa.Integer(), nullable=False),
        sa.Column("n_candidates", sa.Integer(), nullable=False),
        sa.Column("n_proposed", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["boards.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["board_meetings.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_board_cases_meeting_id", "board_cases", ["meeting_id"])
    op.create_index("ix_board_cases_patient_id", "board_cases", ["patient_id"])
    op.create_index("ix_board_cases_board_status", "board_cases", ["board_id", "status"])
    op.create_table(
        "board_trial_decisions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("proposed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("criterion", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("site_centre_id", sa.String(length=64), nullable=False),
        sa.Column("screening", sa.String(length=32), nullable=False),
        sa.Column("screening_detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["board_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "trial_id"),
    )
    op.create_index("ix_board_trial_decisions_trial", "board_trial_decisions", ["trial_id", "proposed"])
    op.create_table(
        "board_case_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["board_cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_board_case_events_case_id", "board_case_events", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_board_case_events_case_id", table_name="board_case_events")
    op.drop_table("board_case_events")
    op.drop_index("ix_board_trial_decisions_trial", table_name="board_trial_decisions")
    op.drop_table("board_trial_decisions")
    op.drop_index("ix_board_cases_board_status", table_name="board_cases")
    op.drop_index("ix_board_cases_patient_id", table_name="board_cases")
    op.drop_index("ix_board_cases_meeting_id", table_name="board_cases")
    op.drop_table("board_cases")
    op.drop_index("ix_board_meetings_board_when", table_name="board_meetings")
    op.drop_table("board_meetings")
    op.drop_index("ix_board_members_board_id", table_name="board_members")
    op.drop_table("board_members")
    op.drop_index("ix_boards_centre_id", table_name="boards")
    op.drop_table("boards")
