"""Carbon footprint tables (issue 21): versioned emission factor sets, yearly activity data per
centre, and the patient-travel aggregates (no patient id: counts and kilometres per centre)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class CarbonFactorSetRow(Base):
    """One loaded version of an emission factor table (the shipped example, or the national table)."""

    __tablename__ = "carbon_factor_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    source_file: Mapped[str] = mapped_column(String(300), default="")
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    loaded_by: Mapped[str] = mapped_column(String(100), default="")


class CarbonFactorRow(Base):
    __tablename__ = "carbon_factors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("carbon_factor_sets.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    item: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(300))
    name_fr: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(32))
    kgco2e_per_unit: Mapped[float] = mapped_column(Float)
    scope: Mapped[int] = mapped_column(Integer)
    beges_post: Mapped[str] = mapped_column(String(8))
    uncertainty_pct: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("set_id", "category", "item", name="uq_carbon_factor_item"),)


class CarbonActivityRow(Base):
    """One activity quantity of one centre in one year, as imported (unit as given)."""

    __tablename__ = "carbon_activities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_id: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(32))
    item: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    source_file: Mapped[str] = mapped_column(String(300), default="")
    row_number: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_carbon_activities_centre_year", "centre_id", "year"),)


class CarbonTravelRow(Base):
    """Patient travel per treating centre (aggregates of the latest computation)."""

    __tablename__ = "carbon_travel"
    centre_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
