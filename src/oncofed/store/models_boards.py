"""Tumour boards (RCP, issue 19): boards per centre and site, members, meetings, cases with their
frozen case card and decision, the decision on each candidate trial, and each case's trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class BoardRow(Base):
    """One board of one centre for one cancer site; `coordinator` (a username) signs its records."""

    __tablename__ = "boards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_id: Mapped[str] = mapped_column(ForeignKey("centres.id"), index=True)
    site: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    coordinator: Mapped[str] = mapped_column(String(100))
    accepts_recourse: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class BoardMemberRow(Base):
    __tablename__ = "board_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    specialty: Mapped[str] = mapped_column(String(32))
    username: Mapped[str] = mapped_column(String(100), default="")


class MeetingRow(Base):
    """A meeting: `planned`, then `frozen` (case cards built, decisions taken), then `closed`."""

    __tablename__ = "board_meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    frozen_by: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_board_meetings_board_when", "board_id", "scheduled_for"),)


class CaseRow(Base):
    """A patient on a board's agenda: why, the case card frozen with the agenda (patient summary with
    provenance, candidate trials re-matched), the decision and its sign-off. The counts and day
    columns are kept with the case so indicators read one table (500,000 cases in seconds)."""

    __tablename__ = "board_cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_meetings.id", ondelete="SET NULL"), nullable=True, index=True
    )
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    patient_centre_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))  # flagged, scheduled, frozen, decided, signed
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    previous_case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    # the case card: what the board saw (patient facts with provenance; trials re-matched at freeze)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    snapshot_hash: Mapped[str] = mapped_column(String(40), default="")  # patients.record_hash then
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    new_trials: Mapped[list[str]] = mapped_column(JSON, default=list)
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # the decision
    proposal: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[list[str]] = mapped_column(JSON, default=list)
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    signed_by: Mapped[str] = mapped_column(String(100), default="")
    signed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    record_sha256: Mapped[str] = mapped_column(String(64), default="")
    # indicator columns
    meeting_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    n_specialties: Mapped[int] = mapped_column(Integer, default=0)
    n_candidates: Mapped[int] = mapped_column(Integer, default=0)
    n_proposed: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_board_cases_board_status", "board_id", "status"),)


class TrialDecisionRow(Base):
    """The board's answer for one candidate trial of a case; not proposed = a screen failure for the
    trial's managers; proposed = an entry on the site's pre-screening list (`screening`)."""

    __tablename__ = "board_trial_decisions"
    case_id: Mapped[int] = mapped_column(ForeignKey("board_cases.id", ondelete="CASCADE"), primary_key=True)
    trial_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    proposed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(32), default="")
    criterion: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    site_centre_id: Mapped[str] = mapped_column(String(64), default="")
    screening: Mapped[str] = mapped_column(String(32), default="")
    screening_detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_board_trial_decisions_trial", "trial_id", "proposed"),)


class CaseEventRow(Base):
    """A case's trail: who did what and when (put on the agenda, frozen, decided, signed, listed)."""

    __tablename__ = "board_case_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("board_cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
