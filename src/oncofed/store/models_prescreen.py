"""Pre-screening, screening workflow, enrolments and notifications (issue 9).

Results are stored per (trial, patient) with the hashes they were computed from, so a change of
one patient record or of one trial's criteria recomputes only the affected pairs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class PrescreenResultRow(Base):
    """The evaluator's verdict for one patient on one trial (recomputed incrementally)."""

    __tablename__ = "prescreen_results"
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64))
    eligibility: Mapped[str] = mapped_column(String(16))  # eligible / possible / not_eligible
    score: Mapped[float] = mapped_column(Float, default=0.0)
    n_met: Mapped[int] = mapped_column(Integer, default=0)
    n_unknown: Mapped[int] = mapped_column(Integer, default=0)
    n_not_met: Mapped[int] = mapped_column(Integer, default=0)
    # one character per criterion of the run's `labels`: 0 not met (blocks), 1 unknown, 2 met
    verdicts: Mapped[str] = mapped_column(Text, default="")
    # the kinds of reading of each criterion held back (code 4), services/prescreen/readings.py: what the
    # "Probably not" tab is ordered by (services/prescreen/odds.py)
    held_kinds: Mapped[str] = mapped_column(Text, default="", server_default="")
    patient_hash: Mapped[str] = mapped_column(String(40))
    patient_updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # (the trial hash and computation time are the run's: prescreen_runs)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime)
    became_candidate_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (
        # (trial, centre) lists and the incremental refresh's watermark (max patient_updated_at),
        # read from the index alone; a separate (trial_id, centre_id) index would only slow writes
        Index("ix_prescreen_results_watermark", "trial_id", "centre_id", "patient_updated_at"),
    )


class ScreeningCandidateRow(Base):
    """The screening status of one patient for one trial; `version` gives optimistic locking."""

    __tablename__ = "screening_candidates"
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    reason: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class ScreeningEventRow(Base):
    """The screening log: every status change with who, when, reason and note."""

    __tablename__ = "screening_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trial_id: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[str] = mapped_column(String(64))
    centre_id: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_screening_events_trial_centre", "trial_id", "centre_id"),)


class PrescreenVisitRow(Base):
    """When a user last looked at a trial's list at a centre ("new since your last visit")."""

    __tablename__ = "prescreen_visits"
    user_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    trial_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_visit_at: Mapped[datetime] = mapped_column(DateTime)
    # the reference of the current working session (the previous session's last page load)
    session_since: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PrescreenRunRow(Base):
    """The last computation of a trial at a centre, with the trial criteria hash it used."""

    __tablename__ = "prescreen_runs"
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    centre_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trial_hash: Mapped[str] = mapped_column(String(40))
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # the criteria the results' `verdicts` refer to: [[label, evaluable], ...] in verdict order
    labels: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)


class EnrolmentRow(Base):
    """One enrolment at a trial site (from the screening workflow or an accrual history import)."""

    __tablename__ = "enrolments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)
    site_key: Mapped[str] = mapped_column(String(300))  # centre id, or the facility name off-network
    centre_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    enrolled_on: Mapped[date] = mapped_column(Date)
    patient_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source: Mapped[str] = mapped_column(String(32), default="screening")


class NotificationRow(Base):
    """An in-app message to the staff of one centre (counts only, never patient identifiers)."""

    __tablename__ = "prescreen_notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    trial_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="new_candidates")
    count: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    emailed_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class NotificationSubscriptionRow(Base):
    """An e-mail address that wants new-candidate alerts for a centre (optionally one trial)."""

    __tablename__ = "prescreen_subscriptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(100))
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    trial_id: Mapped[str] = mapped_column(String(64), default="")  # "" = every trial
    email: Mapped[str] = mapped_column(String(300))
