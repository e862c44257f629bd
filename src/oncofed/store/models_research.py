"""The network as sponsor and research producer (issue 20): sponsored trials, site milestones,
publications with their affiliations, the centres they are attributed to and the trials they report.

The sponsored flag is a table keyed by trial id (not a column of `trials`): trial imports rewrite
`trials` rows, the flag belongs to the sponsor's operations team and survives them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class SponsoredTrialRow(Base):
    """A trial the network sponsors; `source` says how it was flagged (import, manual, registry, demo)."""

    __tablename__ = "research_sponsored_trials"
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class SiteMilestoneRow(Base):
    """One dated milestone of one site of a trial; the site is keyed as enrolments are (centre id,
    or the facility name off-network)."""

    __tablename__ = "research_site_milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)
    site_key: Mapped[str] = mapped_column(String(300))
    centre_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    milestone: Mapped[str] = mapped_column(String(32))
    reached_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("trial_id", "site_key", "milestone", name="uq_research_milestone"),)


class PublicationRow(Base):
    """One paper, whichever source brought it (PubMed, OpenAlex or both: merged by PMID, then DOI)."""

    __tablename__ = "research_publications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pmid: Mapped[str | None] = mapped_column(String(16), unique=True, nullable=True)
    openalex_id: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    doi: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    title: Mapped[str] = mapped_column(Text)
    journal: Mapped[str] = mapped_column(String(300), default="")
    journal_abbrev: Mapped[str] = mapped_column(String(200), default="")
    issn: Mapped[str] = mapped_column(String(16), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    n_authors: Mapped[int] = mapped_column(Integer, default=0)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    # True: a co-author abroad; False: every affiliation's country known and France; None: unknown
    international: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_file: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class AffiliationRow(Base):
    """A distinct affiliation string and its attribution: matched (to centres), review (listed for
    a person, with the centres it might be), external. A reviewed decision is kept across imports."""

    __tablename__ = "research_affiliations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    centre_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    matcher: Mapped[str] = mapped_column(String(16), default="")
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PublicationAffiliationRow(Base):
    __tablename__ = "research_publication_affiliations"
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("research_publications.id", ondelete="CASCADE"), primary_key=True
    )
    affiliation_id: Mapped[int] = mapped_column(
        ForeignKey("research_affiliations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    authors: Mapped[int] = mapped_column(Integer, default=1)


class PublicationCentreRow(Base):
    """A paper attributed to a centre (through a matched or reviewed affiliation)."""

    __tablename__ = "research_publication_centres"
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("research_publications.id", ondelete="CASCADE"), primary_key=True
    )
    centre_id: Mapped[str] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_research_publication_centres_centre_year", "centre_id", "year"),)


class PublicationTrialRow(Base):
    """A trial a paper reports: its NCT id, found in the DataBankList, the abstract or both."""

    __tablename__ = "research_publication_trials"
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("research_publications.id", ondelete="CASCADE"), primary_key=True
    )
    nct_id: Mapped[str] = mapped_column(String(16), primary_key=True, index=True)
    found_in: Mapped[str] = mapped_column(String(16))
