"""load (issue 22): patients by centre in id order (the patient list's page, counted and paged in
the database instead of reading every id of the centre)

Revision ID: 0020_load_indexes
Revises: 0011_match_features
"""

from __future__ import annotations

from alembic import op

revision = "0020_load_indexes"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_patients_centre_list", "patients", ["centre_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_patients_centre_list", table_name="patients")
