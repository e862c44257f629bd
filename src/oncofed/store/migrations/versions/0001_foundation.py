"""foundation: centres, trials, sites, patients

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-29 19:37:10.903190
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "centres",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "trials",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("official_title", sa.Text(), nullable=False),
        sa.Column("acronym", sa.String(length=100), nullable=False),
        sa.Column("brief_summary", sa.Text(), nullable=False),
        sa.Column("other_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("phases", sa.JSON(), nullable=False),
        sa.Column("study_type", sa.String(length=64), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("interventions", sa.JSON(), nullable=False),
        sa.Column("eligibility_text", sa.Text(), nullable=False),
        sa.Column("min_age_years", sa.Float(), nullable=True),
        sa.Column("max_age_years", sa.Float(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("healthy_volunteers", sa.Boolean(), nullable=True),
        sa.Column("enrolment", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("completion_date", sa.Date(), nullable=True),
        sa.Column("last_update", sa.Date(), nullable=True),
        sa.Column("sponsor", sa.String(length=300), nullable=False),
        sa.Column("collaborators", sa.JSON(), nullable=False),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("trials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trials_status"), ["status"], unique=False)

    op.create_table(
        "patients",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("age_years", sa.Float(), nullable=True),
        sa.Column("primary_cancer", sa.String(length=32), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=True),
        sa.Column("ecog", sa.Integer(), nullable=True),
        sa.Column("home_city", sa.String(length=100), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("research_objection", sa.Boolean(), nullable=False),
        sa.Column("deceased", sa.Boolean(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index("ix_patients_centre_cancer", ["centre_id", "primary_cancer"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_primary_cancer"), ["primary_cancer"], unique=False)

    op.create_table(
        "trial_sites",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=True),
        sa.Column("facility", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("target_enrolment", sa.Integer(), nullable=True),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["centres.id"],
        ),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("trial_sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_sites_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_sites_trial_id"), ["trial_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("trial_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_sites_trial_id"))
        batch_op.drop_index(batch_op.f("ix_trial_sites_centre_id"))

    op.drop_table("trial_sites")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_primary_cancer"))
        batch_op.drop_index(batch_op.f("ix_patients_centre_id"))
        batch_op.drop_index("ix_patients_centre_cancer")

    op.drop_table("patients")
    with op.batch_alter_table("trials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trials_status"))

    op.drop_table("trials")
    op.drop_table("meta")
    op.drop_table("centres")
