"""Trust tables: accounts, sessions, API tokens, the hash-chained audit log, the feasibility budget
ledger and lockouts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))
    centre_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # a staff account created or reset with a one-time password: replace it before anything else
    # (a patient's own account keeps this state on its binding, PatientAccountRow.must_set_password)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SessionRow(Base):
    """A browser session: only the SHA-256 of the cookie value is stored; the CSRF token is per session."""

    __tablename__ = "user_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class ApiTokenRow(Base):
    """A bearer token for scripts: only its SHA-256 is stored; shown once at creation."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditRow(Base):
    """One read of patient-level data (or a feasibility query). Append-only, hash-chained:
    `hash = sha256(prev_hash + canonical(row))`; `oncofed audit verify` recomputes the chain."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601 UTC, part of the hashed row
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(32))
    actor_centres: Mapped[str] = mapped_column(String(500), default="")
    purpose: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    centre_ids: Mapped[str] = mapped_column(Text, default="")  # centres of the records read, space-separated
    patient_ids: Mapped[str] = mapped_column(Text, default="")  # ids read, space-separated
    n_records: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class FeasibilityQuestionRow(Base):
    """One feasibility question that spent privacy budget (the ledger of `services/feasibility/budget.py`):
    who, when, how much epsilon, what was asked (fingerprint and the per-criterion signature used to
    detect differencing), whether it was one criterion away from an earlier question, and the released
    answer (a repeat of the same question by the same user on the same day returns it, free)."""

    __tablename__ = "feasibility_questions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = mapped_column(DateTime)
    day: Mapped[str] = mapped_column(String(10))  # UTC day of the question (YYYY-MM-DD)
    fingerprint: Mapped[str] = mapped_column(String(64))
    epsilon: Mapped[float] = mapped_column(Float)
    signature: Mapped[list[str]] = mapped_column(JSON, default=list)  # one key per counted criterion
    differencing: Mapped[bool] = mapped_column(
        Boolean, default=False
    )  # one criterion away from an earlier one
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_feasibility_questions_user_at", "user_id", "asked_at"),)


class FeasibilityLockoutRow(Base):
    """A user locked out of feasibility questions (too many questions one criterion apart), until a
    date or until the data-protection officer lifts it (`lifted_at`)."""

    __tablename__ = "feasibility_lockouts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    locked_at: Mapped[datetime] = mapped_column(DateTime)
    until: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    lifted_by: Mapped[str] = mapped_column(String(64), default="")
