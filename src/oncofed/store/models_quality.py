"""Quality area tables: care-pathway events, rejected import rows, EPiHC self-assessments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class QualityEventRow(Base):
    """One dated step of a patient's care pathway (diagnosis, MDT review, first treatment, survey...).

    `detail` holds the event's attribute (treatment modality, survey item); `value` a number
    (survey score 0-100). No foreign key on `patient_id`: events may be imported before patients
    are, and the importer checks it (unknown patients are rejected and reported).
    """

    __tablename__ = "quality_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(String(64), index=True)
    centre_id: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(32))
    event_date: Mapped[date] = mapped_column(Date)
    detail: Mapped[str | None] = mapped_column(String(64), nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (Index("ix_quality_events_centre_event", "centre_id", "event"),)


class QualityRejectRow(Base):
    """An imported row that was excluded, with the reason (shown on every indicator page)."""

    __tablename__ = "quality_rejects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(200), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    patient_id: Mapped[str] = mapped_column(String(64), default="")
    centre_id: Mapped[str] = mapped_column(String(64), default="")
    event: Mapped[str] = mapped_column(String(32), default="")
    event_date: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class EpihcAssessmentRow(Base):
    """One centre's self-assessment against one EPiHC principle."""

    __tablename__ = "epihc_assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    principle_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text, default="")
    action_plan: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    __table_args__ = (UniqueConstraint("centre_id", "principle_id", name="uq_epihc_centre_principle"),)
