"""New-candidate alerts: in the app for the centre's staff, and by e-mail when SMTP is configured.

Messages carry counts and a link, never patient identifiers (least data by e-mail). SMTP settings
come from the environment: ONCOFED_SMTP_HOST (unset = no e-mail), ONCOFED_SMTP_PORT (25),
ONCOFED_SMTP_FROM, ONCOFED_SMTP_STARTTLS (1 to use STARTTLS), ONCOFED_SMTP_USER,
ONCOFED_SMTP_PASSWORD, ONCOFED_BASE_URL (for links, default http://127.0.0.1:8000).
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from gettext import ngettext
from typing import Any

from sqlalchemy import or_, select

from oncofed.domain import Actor
from oncofed.errors import N_, ConfigError, InputError, NotFound
from oncofed.services.prescreen.access import refuse_centre, utcnow
from oncofed.store import audit_words
from oncofed.store.db import Database
from oncofed.store.models_prescreen import NotificationRow, NotificationSubscriptionRow

log = logging.getLogger(__name__)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool
    user: str
    password: str
    base_url: str


def smtp_settings() -> SmtpSettings | None:
    host = os.environ.get("ONCOFED_SMTP_HOST", "").strip()
    if not host:
        return None
    port_text = os.environ.get("ONCOFED_SMTP_PORT", "25")
    try:
        port = int(port_text)
    except ValueError as exc:
        raise ConfigError(
            f"ONCOFED_SMTP_PORT={port_text!r} is not a port number", fix="e.g. 25 or 587"
        ) from exc
    return SmtpSettings(
        host=host,
        port=port,
        sender=os.environ.get("ONCOFED_SMTP_FROM", "oncofed@localhost"),
        starttls=os.environ.get("ONCOFED_SMTP_STARTTLS", "0") in ("1", "true", "yes"),
        user=os.environ.get("ONCOFED_SMTP_USER", ""),
        password=os.environ.get("ONCOFED_SMTP_PASSWORD", ""),
        base_url=os.environ.get("ONCOFED_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
    )


def send_email(settings: SmtpSettings, to: list[str], subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.sender, ", ".join(to), subject
    msg.set_content(body)
    with smtplib.SMTP(settings.host, settings.port, timeout=10) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password)
        smtp.send_message(msg)


def notify_new_candidates(db: Database, trial_id: str, centre_id: str, count: int) -> NotificationRow:
    """Record an in-app notification for the centre, then e-mail its subscribers if SMTP is set."""
    # the e-mail is English (a subscriber's language is not known): its plural forms, from gettext
    message = ngettext(
        "%(num)s new candidate for trial %(trial)s at %(centre)s",
        "%(num)s new candidates for trial %(trial)s at %(centre)s",
        count,
    ) % {"num": count, "trial": trial_id, "centre": centre_id}
    with db.session() as s:
        note = NotificationRow(
            centre_id=centre_id,
            trial_id=trial_id,
            kind="new_candidates",
            count=count,
            message=message,
            created_at=utcnow(),
            read_by=[],
            emailed_to=[],
            extra={},
        )
        s.add(note)
        subs = s.scalars(
            select(NotificationSubscriptionRow.email).where(
                NotificationSubscriptionRow.centre_id == centre_id,
                or_(
                    NotificationSubscriptionRow.trial_id == "",
                    NotificationSubscriptionRow.trial_id == trial_id,
                ),
            )
        )
        emails = sorted(set(subs))
        settings = smtp_settings()
        if settings and emails:
            link = f"{settings.base_url}/prescreen/{trial_id}/{centre_id}"
            body = (
                f"{message}.\n\nOpen the pre-screening list: {link}\n\n(No patient data is sent by e-mail.)"
            )
            try:
                send_email(settings, emails, f"[oncofed] {message}", body)
                note.emailed_to = emails
            except (OSError, smtplib.SMTPException) as exc:
                # the in-app notification stands; the failure is recorded and logged, not lost
                note.extra = {"email_error": f"{type(exc).__name__}: {exc}"}
                log.warning("new-candidate e-mail to %s failed: %s", emails, exc)
    return note


def notifications_for(db: Database, actor: Actor, *, unread_only: bool = False) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(
            select(NotificationRow).order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())
        )
        out = []
        for r in rows:
            if not actor.may_read_patients_of(r.centre_id):
                continue
            read = actor.user_id in (r.read_by or [])
            if unread_only and read:
                continue
            out.append(
                {
                    "id": r.id,
                    "trial_id": r.trial_id,
                    "centre_id": r.centre_id,
                    "count": r.count,
                    "message": r.message,
                    "kind": r.kind,
                    "referred_by": str((r.extra or {}).get("referred_by", "")),
                    **_proposal(r),
                    "created_at": r.created_at.isoformat(timespec="seconds"),
                    "read": read,
                    "emailed": bool(r.emailed_to),
                }
            )
            if len(out) >= 200:
                break
        return out


_BOARD = re.compile(r"The tumour board (?P<board>.+?) proposed trial ")


def _proposal(row: NotificationRow) -> dict[str, Any]:
    """A board's proposal (kind `board_proposal`): its case, board and whether the patient is the centre's
    own (`referring`) or another centre's; read back from the message for rows stored without them."""
    if row.kind != "board_proposal":
        return {}
    extra, message = row.extra or {}, row.message or ""
    found = _BOARD.match(message)
    return {
        "case_id": extra.get("case_id"),
        "board": str(extra.get("board") or (found.group("board") if found else "")),
        "referring": bool(extra.get("referring", "one of your patients" in message)),
    }


def mark_read(db: Database, actor: Actor, notification_id: int) -> None:
    with db.session() as s:
        row = s.get(NotificationRow, notification_id)
        if row is None or not actor.may_read_patients_of(row.centre_id):
            raise NotFound(
                N_("no notification %(notification)s"),
                fix=N_("list yours at /api/prescreen/notifications"),
                code="prescreen.no_notification",
                params={"notification": notification_id},
            )
        if actor.user_id not in (row.read_by or []):
            row.read_by = [*(row.read_by or []), actor.user_id]


def subscribe(db: Database, actor: Actor, centre_id: str, email: str, trial_id: str = "") -> int:
    email = email.strip()
    if not EMAIL_RE.match(email):
        raise InputError(
            N_("'%(email)s' is not an e-mail address"),
            field="email",
            fix=N_("write it like nurse@centre.example"),
            code="prescreen.bad_email",
            params={"email": email},
        )
    if not actor.may_read_patients_of(centre_id):
        with db.session() as s:
            refuse_centre(s, actor, centre_id, audit_words.what("alerts"))
        raise NotFound(
            N_("no centre %(centre)s in your scope"),
            fix=N_("subscribe to your own centres only"),
            code="prescreen.alerts_out_of_scope",
            params={"centre": centre_id},
        )
    with db.session() as s:
        row = NotificationSubscriptionRow(
            user_id=actor.user_id, centre_id=centre_id, trial_id=trial_id, email=email
        )
        s.add(row)
        s.flush()
        return row.id


def mark_read_for(db: Database, actor: Actor, trial_id: str, centre_id: str) -> int:
    """Opening a list reads its notifications: mark them read for this user; returns how many."""
    if not actor.may_read_patients_of(centre_id):
        return 0
    done = 0
    with db.session() as s:
        rows = s.scalars(
            select(NotificationRow).where(
                NotificationRow.trial_id == trial_id, NotificationRow.centre_id == centre_id
            )
        )
        for row in rows:
            if actor.user_id not in (row.read_by or []):
                row.read_by = [*(row.read_by or []), actor.user_id]
                done += 1
    return done
