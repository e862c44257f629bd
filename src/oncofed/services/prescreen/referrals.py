""" "Refer to this trial" from a patient's match page.

At the patient's own centre the patient is put on the trial's pre-screening list there, flagged, with
the clinician's note, and the centre's research staff are notified (in-app, and by e-mail to the
subscribers: counts and a link, never patient data). A site at another centre never sees the record
(centres are isolated): it gets a notification that a clinician of the patient's centre has a patient
for the trial, with the referring clinician to contact. Every referral is kept (`trial_referrals`).
"""

from __future__ import annotations

import dataclasses
import smtplib
from typing import Any

from sqlalchemy import or_, select

from oncofed.domain import Actor, Role, TrialStatus
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.prescreen.access import utcnow
from oncofed.services.prescreen.engine import PrescreenEngine
from oncofed.services.prescreen.notify import log, send_email, smtp_settings
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import StatusChange, allowed_next, change_status
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, TrialSiteRow
from oncofed.store.models_prescreen import NotificationRow, NotificationSubscriptionRow, ScreeningCandidateRow
from oncofed.store.models_workday import TrialReferralRow
from oncofed.store.repositories import PatientRepository

REFERRING_ROLES = frozenset({Role.CLINICIAN, Role.SYSTEM})
REFERRAL_COLUMNS = [
    "id",
    "trial_id",
    "patient_id",
    "site_centre_id",
    "note",
    "referred_by",
    "at",
    "same_centre",
]


def refer_patient(
    db: Database,
    actor: Actor,
    patient_id: str,
    trial_id: str,
    site_centre_id: str,
    note: str = "",
    *,
    engine: PrescreenEngine | None = None,
) -> dict[str, Any]:
    """Refer the patient to the trial's site at `site_centre_id`; returns what was done."""
    if actor.role not in REFERRING_ROLES:
        raise InputError(
            N_("your role (%(role)s) cannot refer patients"),
            field="role",
            fix=N_("ask the patient's clinician"),
            code="referral.role",
            params={"role": actor.role.value},
        )
    note = note.strip()
    if len(note) > 2000:
        raise InputError(
            N_("the note is longer than %(limit)s characters"),
            field="note",
            fix=N_("shorten it"),
            code="referral.note_too_long",
            params={"limit": 2000},
        )
    with db.session() as s:
        profile = PatientRepository(s, dataclasses.replace(actor, purpose="care")).get(patient_id)
        site = s.scalar(
            select(TrialSiteRow).where(
                TrialSiteRow.trial_id == trial_id, TrialSiteRow.centre_id == site_centre_id
            )
        )
        centre = s.get(CentreRow, site_centre_id)
        if site is None or centre is None or site.status != TrialStatus.RECRUITING.value:
            raise InputError(
                N_("trial %(trial)s does not recruit at %(centre)s"),
                field="site",
                fix=N_("choose one of the trial's recruiting network sites (its page lists them)"),
                code="referral.not_recruiting",
                params={"trial": trial_id, "centre": centre.name if centre else site_centre_id},
            )
        centre_name = centre.name
    same = site_centre_id == profile.centre_id
    status = ""
    if same:
        if profile.research_objection:
            raise InputError(
                N_(
                    "this patient objects to the research use of their data: pre-screening lists cannot hold them"
                ),
                field="patient",
                fix=N_("discuss the trial with the patient, then with the site's research team directly"),
                code="referral.research_objection",
            )
        refresh_prescreen(db, trial_id, site_centre_id, actor, engine=engine)  # the patient's result, current
        with db.session() as s:
            row = s.get(ScreeningCandidateRow, (trial_id, profile.id))
            current, version = (row.status, row.version) if row else ("new", 0)
        text = f"referred by {actor.user_id}" + (f": {note}" if note else "")
        if "flagged" in allowed_next(current):
            change_status(
                db, actor, trial_id, [StatusChange(profile.id, version)], "flagged", note=text[:2000],
                centre_id=site_centre_id,
            )  # fmt: skip
            status = "flagged"
        else:
            status = current  # already being screened: the referral is recorded and notified
    with db.session() as s:
        ref = TrialReferralRow(
            trial_id=trial_id, patient_id=profile.id, patient_centre_id=profile.centre_id,
            site_centre_id=site_centre_id, note=note, referred_by=actor.user_id, at=utcnow(),
        )  # fmt: skip
        s.add(ref)
        s.flush()
        ref_id = ref.id
    _notify(db, actor, trial_id, site_centre_id, profile.centre_id, same)
    return {
        "id": ref_id, "trial_id": trial_id, "patient_id": profile.id, "site_centre_id": site_centre_id,
        "site": centre_name, "same_centre": same, "screening_status": status or None, "note": note,
    }  # fmt: skip


def _notify(db: Database, actor: Actor, trial_id: str, centre_id: str, from_centre: str, same: bool) -> None:
    """An in-app notification for the site's research staff (no patient data), e-mailed to subscribers."""
    if same:
        message = (
            f"{actor.user_id} referred a patient for trial {trial_id}: flagged on the pre-screening list"
        )
    else:
        message = (
            f"{actor.user_id} ({from_centre}) has a patient for trial {trial_id} at your centre: "
            "contact the referring clinician"
        )
    with db.session() as s:
        row = NotificationRow(
            centre_id=centre_id, trial_id=trial_id, kind="referral", count=1, message=message,
            created_at=utcnow(), read_by=[], emailed_to=[], extra={"referred_by": actor.user_id, "from_centre": from_centre},
        )  # fmt: skip
        s.add(row)
        emails = sorted(
            set(
                s.scalars(
                    select(NotificationSubscriptionRow.email).where(
                        NotificationSubscriptionRow.centre_id == centre_id,
                        or_(
                            NotificationSubscriptionRow.trial_id == "",
                            NotificationSubscriptionRow.trial_id == trial_id,
                        ),
                    )
                )
            )
        )
        settings = smtp_settings()
        if settings and emails:
            link = f"{settings.base_url}/prescreen/{trial_id}/{centre_id}?show=flagged"
            try:
                send_email(
                    settings,
                    emails,
                    f"[oncofed] {message}",
                    f"{message}.\n\n{link}\n\n(No patient data is sent by e-mail.)",
                )
                row.emailed_to = emails
            except (OSError, smtplib.SMTPException) as exc:
                row.extra = {**row.extra, "email_error": f"{type(exc).__name__}: {exc}"}
                log.warning("referral e-mail to %s failed: %s", emails, exc)


def referrals_by(db: Database, actor: Actor, limit: int = 20) -> list[dict[str, Any]]:
    """The referrals this user made (their own patients only: scope re-checked through the repository)."""
    with db.session() as s:
        rows = list(
            s.scalars(
                select(TrialReferralRow)
                .where(TrialReferralRow.referred_by == actor.user_id)
                .order_by(TrialReferralRow.id.desc())
                .limit(limit)
            )
        )
        visible = [r for r in rows if actor.may_read_patients_of(r.patient_centre_id)]
    return [
        {
            "id": r.id,
            "trial_id": r.trial_id,
            "patient_id": r.patient_id,
            "site_centre_id": r.site_centre_id,
            "note": r.note,
            "referred_by": r.referred_by,
            "at": r.at.isoformat(timespec="seconds"),
            "same_centre": r.site_centre_id == r.patient_centre_id,
        }  # fmt: skip
        for r in visible
    ]


def referrals_for(db: Database, trial_id: str, centre_id: str, actor: Actor) -> int:
    """How many referrals the site at `centre_id` received for `trial_id` (a count, no patient data)."""
    if not actor.may_read_patients_of(centre_id):
        raise NotFound(
            N_("no centre %(centre)s in your scope"), fix=N_("open your own centre's lists"),
            code="prescreen.centre_scope", params={"centre": repr(centre_id)},
        )  # fmt: skip
    with db.session() as s:
        return len(
            list(
                s.scalars(
                    select(TrialReferralRow.id).where(
                        TrialReferralRow.trial_id == trial_id, TrialReferralRow.site_centre_id == centre_id
                    )
                )
            )
        )
