"""Workforce tables (issue 21): pay grid revisions, staff records per centre (personal data,
read only through `store/workforce_repository.py`), payroll imports and saved proposals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class PayGridRow(Base):
    """One loaded revision of the grid document (every dated component); the newest is current."""

    __tablename__ = "pay_grids"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)
    source_file: Mapped[str] = mapped_column(String(300), default="")
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    loaded_by: Mapped[str] = mapped_column(String(100), default="")


class StaffRecordRow(Base):
    """One employee of one centre's latest payroll import (pseudonymised id, no name)."""

    __tablename__ = "staff_records"
    centre_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    family: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(32))
    hire_date: Mapped[date] = mapped_column(Date)
    fte: Mapped[float] = mapped_column(Float)
    gross_monthly: Mapped[float] = mapped_column(Float)
    import_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_staff_records_centre_family", "centre_id", "family", "level"),)


class StaffImportRow(Base):
    """A payroll import for one centre: what was read, kept and rejected, by whom."""

    __tablename__ = "staff_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)
    source_file: Mapped[str] = mapped_column(String(300), default="")
    as_of: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    rejects: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # row, field, reason (no pay)


class PayProposalRow(Base):
    """A negotiation proposal saved for costing (the document as written)."""

    __tablename__ = "pay_proposals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100), default="")
