"""Import reports kept for their CSV link (`import_reports`): the rejections and warnings of one
trial or patient import, stored language-neutral (codes, English message ids, parameters) so that the
CSV is said in the language of whoever downloads it, from any worker, after a restart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class ImportReportRow(Base):
    """One import's report: who imported, for which centre (patients), and every item."""

    __tablename__ = "import_reports"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # an unguessable token
    kind: Mapped[str] = mapped_column(String(16))  # trials / patients
    user_id: Mapped[str] = mapped_column(String(100))
    centre_id: Mapped[str] = mapped_column(String(64), default="")  # patients: the centre imported for
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    n_items: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
