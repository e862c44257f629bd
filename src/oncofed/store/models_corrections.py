"""A patient's request to correct a fact of their record (RGPD art. 16; docs/PATIENTS.md): kept for the
clinicians of the patient's centre until one of them answers; the answer is shown back to the patient."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class CorrectionRequestRow(Base):
    """`fact_index`: the fact's place in the record when asked; `fact_text`: what the patient saw
    (kind, wording, value, date), kept as asked since the record can change after."""

    __tablename__ = "patient_correction_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)  # the patient's centre
    fact_index: Mapped[int] = mapped_column(Integer)
    fact_text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(DateTime)
    answer: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[str] = mapped_column(String(100), default="")
    handled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
