"""A contact request about a trial that recruits at another network centre (docs/PATIENTS.md): the
request goes to the patient's own centre (their care team decides) and names the network centre that
recruits — the patient's own when it does, else the nearest, with its contact as the trial page shows
it. The research staff or clinicians of the patient's centre may forward it there: an explicit,
audited action; never automatic (the patient's data leave their centre only by a person's decision).
Until then no other centre sees the request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, TrialStatus
from oncofed.domain.geo import GeoPoint, haversine_km
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.patient_space.space import STAFF_ROLES, _now, staff_holds
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, TrialSiteRow
from oncofed.store.models_patient_space import ContactRequestRow


def recruiting_site(s: Any, trial_id: str, home_centre: str) -> tuple[str, str, str]:
    """(centre id, facility, contact) of the network site that recruits for `trial_id`: the patient's
    own centre when it recruits, else the nearest to it; ("", "", "") when no network centre does."""
    sites = list(
        s.scalars(
            select(TrialSiteRow).where(
                TrialSiteRow.trial_id == trial_id,
                TrialSiteRow.status == TrialStatus.RECRUITING.value,
                TrialSiteRow.centre_id.is_not(None),
            )
        )
    )
    if not sites:
        return "", "", ""
    home = s.get(CentreRow, home_centre)
    coords = {c.id: GeoPoint(c.latitude, c.longitude) for c in s.scalars(select(CentreRow))}

    def distance(site: TrialSiteRow) -> float:
        if site.centre_id == home_centre:
            return -1.0
        if home is None or site.centre_id not in coords:
            return float("inf")
        return haversine_km(GeoPoint(home.latitude, home.longitude), coords[str(site.centre_id)])

    best = min(sites, key=lambda x: (distance(x), str(x.centre_id)))
    return str(best.centre_id), best.facility, best.contact


def forwarded_here(s: Any, actor: Actor) -> list[ContactRequestRow]:
    """Requests another centre's staff forwarded to one of the caller's centres (only these)."""
    if not actor.centre_ids or "*" in actor.centre_ids:
        return []
    stmt = select(ContactRequestRow).where(ContactRequestRow.forwarded_to.in_(sorted(actor.centre_ids)))
    return list(s.scalars(stmt))


def forward(db: Database, actor: Actor, request_id: int) -> dict[str, Any]:
    """Send request `request_id` to the centre that recruits; only staff of the patient's centre."""
    with db.session() as s:
        row = s.get(ContactRequestRow, request_id)
        if row is None or not staff_holds(s, actor, STAFF_ROLES, row.patient_id):
            raise NotFound(
                N_("no request %(request)s in your centres"), fix=N_("open the list of requests again"),
                code="me.unknown_request", params={"request": request_id},
            )  # fmt: skip
        if not row.site_centre_id or row.site_centre_id == row.centre_id:
            raise InputError(
                N_("the trial recruits at the patient's own centre: nothing to forward"), field="request",
                fix=N_("contact the patient yourselves"), code="me.forward_home",
            )  # fmt: skip
        if row.forwarded_at is not None:
            raise InputError(
                N_("request %(request)s was already forwarded to %(centre)s by %(user)s"), field="request",
                fix=N_("the recruiting centre has it"), code="me.forwarded",
                params={"request": row.id, "centre": row.forwarded_to, "user": row.forwarded_by},
            )  # fmt: skip
        row.forwarded_to, row.forwarded_by, row.forwarded_at = row.site_centre_id, actor.user_id, _now()
        detail = coded(
            "patient.contact_forwarded", request=row.id, trial=row.trial_id, centre=row.forwarded_to
        )
        event = audit.event_for(
            actor, "patient.contact_forwarded", patients=[(row.patient_id, row.centre_id)], detail=detail
        )
        audit.record_read(s, event)
        return {
            "id": row.id,
            "trial_id": row.trial_id,
            "forwarded_to": row.forwarded_to,
            "forwarded_by": row.forwarded_by,
        }
