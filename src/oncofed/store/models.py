"""SQLAlchemy 2 models. Patient data is partitioned by `centre_id`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class MetaRow(Base):
    """Key/value facts about this database (demo parameters, build time)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CentreRow(Base):
    __tablename__ = "centres"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(16), default="")
    region: Mapped[str] = mapped_column(String(100))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    website: Mapped[str] = mapped_column(String(300), default="")


class TrialRow(Base):
    __tablename__ = "trials"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(32), default="manual")
    title: Mapped[str] = mapped_column(Text)
    official_title: Mapped[str] = mapped_column(Text, default="")
    acronym: Mapped[str] = mapped_column(String(100), default="")
    brief_summary: Mapped[str] = mapped_column(Text, default="")
    other_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(32), index=True)
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)
    study_type: Mapped[str] = mapped_column(String(64), default="")
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    interventions: Mapped[list[str]] = mapped_column(JSON, default=list)
    eligibility_text: Mapped[str] = mapped_column(Text, default="")
    min_age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    sex: Mapped[str] = mapped_column(String(16), default="ALL")
    healthy_volunteers: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    enrolment: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    completion_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_update: Mapped[date | None] = mapped_column(Date, nullable=True)
    sponsor: Mapped[str] = mapped_column(String(300), default="")
    collaborators: Mapped[list[str]] = mapped_column(JSON, default=list)
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    sites: Mapped[list[TrialSiteRow]] = relationship(
        back_populates="trial", cascade="all, delete-orphan", order_by="TrialSiteRow.id"
    )


class TrialSiteRow(Base):
    __tablename__ = "trial_sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[str | None] = mapped_column(ForeignKey("centres.id"), nullable=True, index=True)
    facility: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(16), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_enrolment: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact: Mapped[str] = mapped_column(String(300), default="")

    trial: Mapped[TrialRow] = relationship(back_populates="sites")


class PatientRow(Base):
    """One patient in one centre's partition; facts (with provenance) kept as JSON."""

    __tablename__ = "patients"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_id: Mapped[str] = mapped_column(ForeignKey("centres.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    sex: Mapped[str | None] = mapped_column(String(16), nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    primary_cancer: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    stage: Mapped[str | None] = mapped_column(String(16), nullable=True)
    ecog: Mapped[int | None] = mapped_column(Integer, nullable=True)
    home_city: Mapped[str] = mapped_column(String(100), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    research_objection: Mapped[bool] = mapped_column(Boolean, default=False)
    deceased: Mapped[bool] = mapped_column(Boolean, default=False)
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    # hash of what the matching evaluator reads (mapping.record_hash): set on every write, so
    # derived rows (match features, pre-screening results) know exactly when they are stale
    record_hash: Mapped[str | None] = mapped_column(String(40), nullable=True)

    __table_args__ = (
        Index("ix_patients_centre_cancer", "centre_id", "primary_cancer"),
        Index("ix_patients_centre_updated", "centre_id", "updated_at"),  # pre-screening refresh
        Index("ix_patients_centre_list", "centre_id", "id"),  # a centre's patient list, paged in id order
        # pre-screening reads a whole centre's ids, stamps and hashes from this index alone, never
        # touching the records themselves (a few KB each): measured ~25% off the match-index read
        Index(
            "ix_patients_scope",
            "centre_id",
            "deceased",
            "research_objection",
            "id",
            "updated_at",
            "record_hash",
        ),
    )
