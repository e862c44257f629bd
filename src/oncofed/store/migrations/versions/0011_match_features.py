"""match features per patient record; record hash on patients; compact pre-screening verdicts

- patients.record_hash: hash of what the evaluator reads, set on every write (mapping.record_hash);
  existing rows keep NULL until the next pre-screening computes it (rows with NULL are recomputed).
- patient_match_features: the evaluator's view of each record (matching/features.py).
- prescreen_results: one verdict character per criterion instead of two JSON lists of criterion
  texts per row (the texts are stored once per run in prescreen_runs.labels); the trial hash and
  computation time, the run's, are no longer repeated per row. Existing results are
  deleted with their runs: the next visit recomputes them (a full pass, as after a trial change).

Revision ID: 0011_match_features
Revises: 0010_patients_updated_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_match_features"
down_revision = "0010_patients_updated_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_hash", sa.String(length=40), nullable=True))
        batch_op.create_index(
            "ix_patients_scope",
            ["centre_id", "deceased", "research_objection", "id", "updated_at", "record_hash"],
            unique=False,
        )
    op.create_table(
        "patient_match_features",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("birth_md", sa.Integer(), nullable=True),
        sa.Column("age_years", sa.Float(), nullable=True),
        sa.Column("ecog_low", sa.Float(), nullable=True),
        sa.Column("ecog_high", sa.Float(), nullable=True),
        sa.Column("kps_low", sa.Float(), nullable=True),
        sa.Column("kps_high", sa.Float(), nullable=True),
        sa.Column("lines", sa.Float(), nullable=True),
        sa.Column("cancer", sa.Text(), nullable=False),
        sa.Column("sex", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("markers", sa.Text(), nullable=False),
        sa.Column("labs", sa.Text(), nullable=False),
        sa.Column("lab_block", sa.LargeBinary(), nullable=False),
        sa.Column("treatments", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patient_id"),
    )
    op.execute("DELETE FROM prescreen_results")
    op.execute("DELETE FROM prescreen_runs")
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.drop_index("ix_prescreen_results_trial_centre")  # a prefix of ix_..._watermark
        batch_op.add_column(sa.Column("verdicts", sa.Text(), nullable=False, server_default=""))
        batch_op.drop_column("trial_hash")  # the run's (prescreen_runs), not repeated per result
        batch_op.drop_column("computed_at")
        batch_op.drop_column("to_check")
        batch_op.drop_column("blocking")
    with op.batch_alter_table("prescreen_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("labels", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM prescreen_results")
    op.execute("DELETE FROM prescreen_runs")
    with op.batch_alter_table("prescreen_runs", schema=None) as batch_op:
        batch_op.drop_column("labels")
    with op.batch_alter_table("prescreen_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blocking", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("to_check", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.drop_column("verdicts")
        batch_op.add_column(sa.Column("trial_hash", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column(
                "computed_at", sa.DateTime(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")
            )
        )
        batch_op.create_index("ix_prescreen_results_trial_centre", ["trial_id", "centre_id"], unique=False)
    op.drop_table("patient_match_features")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index("ix_patients_scope")
        batch_op.drop_column("record_hash")
