"""Conversions between domain dataclasses and store rows."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from oncofed.domain import (
    Centre,
    Fact,
    GeoPoint,
    PatientProfile,
    Phase,
    Provenance,
    Trial,
    TrialSite,
    TrialStatus,
)
from oncofed.store.models import CentreRow, PatientRow, TrialRow, TrialSiteRow


def centre_to_domain(row: CentreRow) -> Centre:
    return Centre(
        id=row.id,
        name=row.name,
        short_name=row.short_name,
        city=row.city,
        postcode=row.postcode,
        region=row.region,
        latitude=row.latitude,
        longitude=row.longitude,
        aliases=tuple(row.aliases or ()),
        website=row.website,
    )


def centre_to_row(c: Centre, row: CentreRow | None = None) -> CentreRow:
    row = row or CentreRow(id=c.id)
    row.name, row.short_name, row.city, row.postcode = c.name, c.short_name, c.city, c.postcode
    row.region, row.latitude, row.longitude = c.region, c.latitude, c.longitude
    row.aliases, row.website = list(c.aliases), c.website
    return row


def site_to_domain(row: TrialSiteRow) -> TrialSite:
    return TrialSite(
        facility=row.facility,
        status=TrialStatus.parse(row.status),
        centre_id=row.centre_id,
        city=row.city,
        country=row.country,
        postcode=row.postcode,
        latitude=row.latitude,
        longitude=row.longitude,
        target_enrolment=row.target_enrolment,
        contact=row.contact,
    )


def site_to_row(s: TrialSite) -> TrialSiteRow:
    return TrialSiteRow(
        facility=s.facility,
        status=s.status.value,
        centre_id=s.centre_id,
        city=s.city,
        country=s.country,
        postcode=s.postcode,
        latitude=s.latitude,
        longitude=s.longitude,
        target_enrolment=s.target_enrolment,
        contact=s.contact,
    )


def trial_to_domain(row: TrialRow, with_sites: bool = True) -> Trial:
    return Trial(
        id=row.id,
        source=row.source,
        title=row.title,
        official_title=row.official_title,
        acronym=row.acronym,
        brief_summary=row.brief_summary,
        other_ids=tuple(row.other_ids or ()),
        status=TrialStatus.parse(row.status),
        phases=tuple(Phase(p) for p in row.phases or ()),
        study_type=row.study_type,
        conditions=tuple(row.conditions or ()),
        keywords=tuple(row.keywords or ()),
        interventions=tuple(row.interventions or ()),
        eligibility_text=row.eligibility_text,
        min_age_years=row.min_age_years,
        max_age_years=row.max_age_years,
        sex=row.sex,
        healthy_volunteers=row.healthy_volunteers,
        enrolment=row.enrolment,
        start_date=row.start_date,
        completion_date=row.completion_date,
        last_update=row.last_update,
        sponsor=row.sponsor,
        collaborators=tuple(row.collaborators or ()),
        sites=[site_to_domain(s) for s in row.sites] if with_sites else [],
        fictional=row.fictional,
        extra=dict(row.extra or {}),
    )


def trial_to_row(t: Trial, row: TrialRow | None = None) -> TrialRow:
    row = row or TrialRow(id=t.id)
    row.source, row.title, row.official_title, row.acronym = t.source, t.title, t.official_title, t.acronym
    row.brief_summary, row.other_ids, row.status = t.brief_summary, list(t.other_ids), t.status.value
    row.phases, row.study_type = [p.value for p in t.phases], t.study_type
    row.conditions, row.keywords, row.interventions = (
        list(t.conditions),
        list(t.keywords),
        list(t.interventions),
    )
    row.eligibility_text, row.min_age_years, row.max_age_years = (
        t.eligibility_text,
        t.min_age_years,
        t.max_age_years,
    )
    row.sex, row.healthy_volunteers, row.enrolment = t.sex, t.healthy_volunteers, t.enrolment
    row.start_date, row.completion_date, row.last_update = t.start_date, t.completion_date, t.last_update
    row.sponsor, row.collaborators, row.fictional = t.sponsor, list(t.collaborators), t.fictional
    row.extra = dict(t.extra)
    row.sites = [site_to_row(s) for s in t.sites]
    return row


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def fact_to_json(f: Fact) -> dict[str, Any]:
    p = f.provenance
    out: dict[str, Any] = {"kind": f.kind, "source": p.source}
    for key, value in (
        ("code", f.code),
        ("value", _jsonable(f.value)),
        ("unit", f.unit),
        ("display", f.display),
        ("when", _jsonable(f.when)),
        ("record", p.record),
        ("span", list(p.span) if p.span else None),
        ("note_id", p.note_id),
    ):
        if value not in (None, ""):
            out[key] = value
    if f.negated:
        out["negated"] = True
    if f.attributes:
        out["attributes"] = {k: _jsonable(v) for k, v in f.attributes.items()}
    return out


def fact_from_json(d: dict[str, Any]) -> Fact:
    span = d.get("span")
    return Fact(
        kind=d["kind"],
        code=d.get("code"),
        value=d.get("value"),
        unit=d.get("unit"),
        display=d.get("display", ""),
        when=date.fromisoformat(d["when"]) if d.get("when") else None,
        negated=bool(d.get("negated", False)),
        provenance=Provenance(
            source=d.get("source", "unknown"),
            record=d.get("record", ""),
            span=(int(span[0]), int(span[1])) if span else None,
            note_id=d.get("note_id"),
        ),
        attributes=dict(d.get("attributes", {})),
    )


def patient_to_domain(row: PatientRow) -> PatientProfile:
    home = (
        GeoPoint(row.latitude, row.longitude)
        if row.latitude is not None and row.longitude is not None
        else None
    )
    return PatientProfile(
        id=row.id,
        centre_id=row.centre_id,
        display_name=row.display_name,
        sex=row.sex,
        birth_date=row.birth_date,
        age_years=row.age_years,
        primary_cancer=row.primary_cancer,
        stage=row.stage,
        ecog=row.ecog,
        home=home,
        home_city=row.home_city,
        research_objection=row.research_objection,
        deceased=row.deceased,
        facts=[fact_from_json(f) for f in row.facts or ()],
    )


RECORD_HASH_FIELDS = ("sex", "birth_date", "age_years", "primary_cancer", "stage", "ecog", "facts")


def record_hash(values: Any) -> str:
    """Hash of what the matching evaluator reads from a patient record (a row dict or a row
    object). Stored with the record on every write: derived rows keep the hash they were built
    from, so equality means "still valid". `repr` of the JSON-ready facts is stable (their key
    order is the order `fact_to_json` writes and the database keeps) and far cheaper than a
    sorted json.dumps; a spurious difference would only cost one recomputation."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    birth = get("birth_date")
    age = get("age_years")
    ecog = get("ecog")
    payload = (
        get("sex"),
        birth.isoformat() if isinstance(birth, date) else birth,
        None if age is None else float(age),
        get("primary_cancer"),
        get("stage"),
        None if ecog is None else int(ecog),
        get("facts") or [],
    )
    return hashlib.sha1(repr(payload).encode()).hexdigest()


def with_record_hash(row: dict[str, Any]) -> dict[str, Any]:
    """The row dict with its `record_hash` (bulk inserts of rows built elsewhere)."""
    return row if row.get("record_hash") else {**row, "record_hash": record_hash(row)}


def patient_to_row_dict(p: PatientProfile, source: str = "") -> dict[str, Any]:
    """A plain dict for bulk inserts (fast path) as well as ORM construction."""
    return with_record_hash(
        {
            "id": p.id,
            "centre_id": p.centre_id,
            "display_name": p.display_name,
            "sex": p.sex,
            "birth_date": p.birth_date,
            "age_years": p.age_years,
            "primary_cancer": p.primary_cancer,
            "stage": p.stage,
            "ecog": p.ecog,
            "home_city": p.home_city,
            "latitude": p.home.latitude if p.home else None,
            "longitude": p.home.longitude if p.home else None,
            "research_objection": p.research_objection,
            "deceased": p.deceased,
            "facts": [fact_to_json(f) for f in p.facts],
            "source": source,
        }
    )
