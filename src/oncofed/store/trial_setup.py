"""Applying trial managers' set-up (`trial_site_setups`) to a trial's stored sites and status.

A registry file knows nothing of the network's local decisions, and every re-import rewrites a
trial's site list: `TrialRepository.upsert` calls `apply_setups` after each write, so a trial opened
at a centre stays open there. Effective status: a trial whose registry status says nothing
(UNKNOWN: TrialGPT/BEIR/AACT files carry none) or says it has not started yet is RECRUITING while
one network centre recruits for it; the registry's own value is kept in `extra["registry_status"]`
and restored when no centre recruits any more.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncofed.domain.trial import TrialStatus
from oncofed.store.models import CentreRow, TrialRow, TrialSiteRow
from oncofed.store.models_workday import TrialSiteSetupRow

# registry statuses a local opening may override (the registry does not say the trial is over)
OVERRIDABLE = frozenset({TrialStatus.UNKNOWN.value, TrialStatus.NOT_YET_RECRUITING.value})
REGISTRY_STATUS_KEY = "registry_status"


def contact_text(setup: TrialSiteSetupRow) -> str:
    """The site's contact as ClinicalTrials.gov shows it: name, phone, e-mail."""
    return " · ".join(p for p in (setup.contact_name, setup.contact_phone, setup.contact_email) if p)[:300]


def registry_status(row: TrialRow) -> str:
    """The trial's status as its registry file gave it (before any local opening)."""
    return str((row.extra or {}).get(REGISTRY_STATUS_KEY) or row.status)


def apply_setups(session: Session, row: TrialRow) -> None:
    """Write the trial's local set-ups into its sites and its effective status (no commit)."""
    setups = list(session.scalars(select(TrialSiteSetupRow).where(TrialSiteSetupRow.trial_id == row.id)))
    extra = dict(row.extra or {})
    original = str(extra.get(REGISTRY_STATUS_KEY) or row.status)
    if not setups:
        if REGISTRY_STATUS_KEY in extra:  # every set-up removed: the registry's status again
            row.status = extra.pop(REGISTRY_STATUS_KEY)
            row.extra = extra
        return
    for setup in setups:
        site = next((s for s in row.sites if s.centre_id == setup.centre_id), None)
        if site is None:
            centre = session.get(CentreRow, setup.centre_id)
            if centre is None:
                continue
            site = TrialSiteRow(
                centre_id=centre.id, facility=centre.name, city=centre.city, postcode=centre.postcode,
                country="France", latitude=centre.latitude, longitude=centre.longitude,
            )  # fmt: skip
            row.sites.append(site)
        site.status = setup.local_status
        if setup.target is not None:
            site.target_enrolment = setup.target
        contact = contact_text(setup)
        if contact:
            site.contact = contact
    recruiting = any(s.local_status == TrialStatus.RECRUITING.value for s in setups)
    if recruiting and original in OVERRIDABLE:
        extra[REGISTRY_STATUS_KEY] = original
        row.status = TrialStatus.RECRUITING.value
    elif REGISTRY_STATUS_KEY in extra:
        row.status = extra.pop(REGISTRY_STATUS_KEY)
    row.extra = extra
