"""Parse cache of the criteria engine: parsed criteria by eligibility-text hash and parser version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class CriteriaParseRow(Base):
    __tablename__ = "criteria_parse_cache"
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    parser_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
