"""A patient's own space (docs/PATIENTS.md): the account bound to one record, the requests to be
contacted about a trial, and every change of the objection to research use with who made it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class PatientAccountRow(Base):
    """The patient a `patient` account is bound to (one account per patient). `must_set_password`:
    the account was created with a one-time password the patient replaces at first sign-in."""

    __tablename__ = "patient_accounts"
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # users.id
    patient_id: Mapped[str] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), unique=True, index=True
    )
    centre_id: Mapped[str] = mapped_column(String(64))
    must_set_password: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ContactRequestRow(Base):
    """A patient asking to be contacted about a trial (from /me/trials): the research staff of the
    patient's centre see it in their work list until one of them marks it handled."""

    __tablename__ = "patient_contact_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[str] = mapped_column(String(64), index=True)  # the patient's centre
    trial_id: Mapped[str] = mapped_column(ForeignKey("trials.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text, default="")
    asked_at: Mapped[datetime] = mapped_column(DateTime)
    handled_by: Mapped[str] = mapped_column(String(100), default="")
    handled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # the network centre that recruits (the patient's own when it does, else the nearest), as the trial
    # page shows it; the request stays at the patient's centre until a person forwards it there
    site_centre_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    site_facility: Mapped[str] = mapped_column(String(300), default="", server_default="")
    site_contact: Mapped[str] = mapped_column(String(300), default="", server_default="")
    forwarded_to: Mapped[str] = mapped_column(String(64), default="", server_default="")
    forwarded_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ObjectionChangeRow(Base):
    """One change of a patient's objection to research use: objecting or withdrawn, when, by whom and
    through what (`source`: "patient space" when the patient filed it themselves)."""

    __tablename__ = "objection_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[str] = mapped_column(String(64))
    objecting: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime)
    by_user: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(32))
