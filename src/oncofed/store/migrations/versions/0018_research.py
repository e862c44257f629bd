"""research (issue 20): sponsored trials, site milestones, publications, affiliations and their links

Revision ID: 0018_research
Revises: 0011_match_features
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_research"
down_revision = "0011_match_features"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "research_sponsored_trials",
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("trial_id"),
    )
    op.create_table(
        "research_site_milestones",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("trial_id", sa.String(length=64), nullable=False),
        sa.Column("site_key", sa.String(length=300), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=True),
        sa.Column("milestone", sa.String(length=32), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trial_id", "site_key", "milestone", name="uq_research_milestone"),
    )
    op.create_index("ix_research_site_milestones_trial_id", "research_site_milestones", ["trial_id"])
    op.create_table(
        "research_publications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pmid", sa.String(length=16), nullable=True),
        sa.Column("openalex_id", sa.String(length=32), nullable=True),
        sa.Column("doi", sa.String(length=255), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("journal", sa.String(length=300), nullable=False),
        sa.Column("journal_abbrev", sa.String(length=200), nullable=False),
        sa.Column("issn", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("n_authors", sa.Integer(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("international", sa.Boolean(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pmid"),
        sa.UniqueConstraint("openalex_id"),
    )
    op.create_index("ix_research_publications_doi", "research_publications", ["doi"])
    op.create_index("ix_research_publications_year", "research_publications", ["year"])
    op.create_table(
        "research_affiliations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("centre_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("matcher", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_research_affiliations_status", "research_affiliations", ["status"])
    op.create_table(
        "research_publication_affiliations",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("affiliation_id", sa.Integer(), nullable=False),
        sa.Column("authors", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["affiliation_id"], ["research_affiliations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["publication_id"], ["research_publications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_id", "affiliation_id"),
    )
    op.create_index(
        "ix_research_publication_affiliations_affiliation_id",
        "research_publication_affiliations",
        ["affiliation_id"],
    )
    op.create_table(
        "research_publication_centres",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"]),
        sa.ForeignKeyConstraint(["publication_id"], ["research_publications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_id", "centre_id"),
    )
    op.create_index(
        "ix_research_publication_centres_centre_year", "research_publication_centres", ["centre_id", "year"]
    )
    op.create_table(
        "research_publication_trials",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(length=16), nullable=False),
        sa.Column("found_in", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["research_publications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_id", "nct_id"),
    )
    op.create_index("ix_research_publication_trials_nct_id", "research_publication_trials", ["nct_id"])


def downgrade() -> None:
    for name in (
        "research_publication_trials",
        "research_publication_centres",
        "research_publication_affiliations",
        "research_affiliations",
        "research_publications",
        "research_site_milestones",
        "research_sponsored_trials",
    ):
        op.drop_table(name)
