"""patient_text_vectors: the ranker's sentence embeddings of each stored patient's ranked text

One row per patient (store/models_ranking.py), replaced when the text's hash changes; deleted with
the patient.

Revision ID: 0013_ranking
Revises: 0011_match_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_ranking"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_text_vectors",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patient_id"),
    )


def downgrade() -> None:
    op.drop_table("patient_text_vectors")
