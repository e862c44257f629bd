"""A working day on real data (issue 18): trial set-up at network centres, clinicians' corrections of
patient facts, and referrals of a patient to a trial's site.

- `trial_site_setups`: what a trial manager decided for a trial at one network centre (local status,
  principal investigator, contact, target, opening date). The registry's own site list is rewritten by
  every re-import; these rows are applied again on each write of the trial (store/trial_setup.py).
- `patient_fact_corrections`: every correction or addition of a fact, with the reason, who and when
  (the fact itself is written into the record with provenance "corrected by <user>").
- `trial_referrals`: a clinician's referral of a patient to a trial at a site, with the note.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class TrialSiteSetupRow(Base):
    """A trial opened (or closed) at one network centre by a trial manager."""

    __tablename__ = "trial_site_setups"
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), primary_key=True)
    centre_id: Mapped[str] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    local_status: Mapped[str] = mapped_column(String(32))
    principal_investigator: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(300), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    opening_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PatientFactCorrectionRow(Base):
    """One correction (or addition) of a patient fact by a clinician: before, after, reason."""

    __tablename__ = "patient_fact_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # correct / add
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime)


class TrialReferralRow(Base):
    """A patient referred to a trial's site by a clinician (the site's research staff are notified)."""

    __tablename__ = "trial_referrals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    patient_centre_id: Mapped[str] = mapped_column(String(64))
    site_centre_id: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    referred_by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime)
