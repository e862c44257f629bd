"""JSON shapes of domain objects for the API (one place, so pages and API agree)."""

from __future__ import annotations

from typing import Any

from oncofed.domain import Centre, Trial, TrialSite


def centre_json(c: Centre) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "short_name": c.short_name,
        "city": c.city,
        "postcode": c.postcode,
        "region": c.region,
        "latitude": c.latitude,
        "longitude": c.longitude,
        "aliases": list(c.aliases),
    }


def site_json(s: TrialSite) -> dict[str, Any]:
    return {
        "facility": s.facility,
        "centre_id": s.centre_id,
        "status": s.status.value,
        "city": s.city,
        "country": s.country,
        "latitude": s.latitude,
        "longitude": s.longitude,
        "target_enrolment": s.target_enrolment,
        "contact": s.contact,
    }


def trial_summary_json(t: Trial) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "status": t.status.value,
        "phases": [p.value for p in t.phases],
        "conditions": list(t.conditions),
        "sponsor": t.sponsor,
        "fictional": t.fictional,
    }
