"""What the matching evaluator reads from each patient record (matching/features.py), stored once
per version of the record so that pre-screening a trial over a whole centre reads a few hundred
bytes per patient instead of decoding every record. A row is used only while its `record_hash`
equals the patient's and its `version` equals the running code's; otherwise it is recomputed."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class PatientMatchFeaturesRow(Base):
    __tablename__ = "patient_match_features"
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    record_hash: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(16))
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    birth_md: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    ecog_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    ecog_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    kps_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    kps_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    lines: Mapped[float | None] = mapped_column(Float, nullable=True)
    cancer: Mapped[str] = mapped_column(Text, default="")
    sex: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(Text, default="")
    keys: Mapped[str] = mapped_column(Text, default="")
    markers: Mapped[str] = mapped_column(Text, default="")
    labs: Mapped[str] = mapped_column(Text, default="")
    lab_block: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    treatments: Mapped[str] = mapped_column(Text, default="")
