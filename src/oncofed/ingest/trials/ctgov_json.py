"""ClinicalTrials.gov API v2 JSON: one study, a `{"studies": [...]}` page, a top-level array, or NDJSON.

Pages and arrays are streamed with ijson (one study in memory at a time), so a multi-GB download is
never loaded whole; NDJSON is read line by line with a bounded line length."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from oncofed.domain import Phase, Trial, TrialSite, TrialStatus
from oncofed.errors import N_, NN_
from oncofed.ingest import jsonl
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.common import (
    Parsed,
    not_number,
    not_object,
    not_on_earth,
    parse_age,
    parse_date,
    parse_int,
    require_id,
    text,
    text_list,
)

SOURCE = "ctgov"


def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def _float(value: Any, field: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise not_number(field, value) from exc


@functools.lru_cache(maxsize=1024)
def _cached_status(value: str) -> TrialStatus:
    return TrialStatus.parse(value)


def _status(value: Any) -> TrialStatus:
    """`TrialStatus.parse`, memoised for strings: it rebuilds its alias table on every call."""
    return _cached_status(value) if isinstance(value, str) else TrialStatus.parse(value)


def _sex(value: Any) -> str:
    s = text(value).upper()
    return s if s in ("FEMALE", "MALE") else "ALL"


def study_to_trial(study: Any) -> Trial:
    """One API v2 study object -> Trial (raises RecordError naming the field)."""
    if not isinstance(study, dict):
        raise not_object("(study)", study)
    ps = study.get("protocolSection")
    if not isinstance(ps, dict):
        raise RecordError(
            "protocolSection",
            N_("missing: not a ClinicalTrials.gov v2 study"),
            code="import.ctgov_no_protocol",
            fix=N_("download the study from ClinicalTrials.gov's API v2 (format=json)"),
        )
    ident = _get(ps, "identificationModule") or {}
    nct = require_id(ident.get("nctId"), "protocolSection.identificationModule.nctId", nct=True)
    other = [text(_get(ident, "orgStudyIdInfo", "id"))]
    other += [text(s.get("id")) for s in ident.get("secondaryIdInfos") or [] if isinstance(s, dict)]
    other += [text(a) for a in ident.get("nctIdAliases") or []]
    status_mod = ps.get("statusModule") or {}
    design = ps.get("designModule") or {}
    cond = ps.get("conditionsModule") or {}
    elig = ps.get("eligibilityModule") or {}
    sponsors = ps.get("sponsorCollaboratorsModule") or {}
    interventions = _get(ps, "armsInterventionsModule", "interventions") or []
    sites: list[TrialSite] = []
    for i, loc in enumerate(_get(ps, "contactsLocationsModule", "locations") or []):
        if not isinstance(loc, dict):
            raise not_object(f"locations[{i}]", loc)
        geo = loc.get("geoPoint") or {}
        lat = _float(geo.get("lat"), f"locations[{i}].geoPoint.lat")
        lon = _float(geo.get("lon"), f"locations[{i}].geoPoint.lon")
        if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
            raise not_on_earth(f"locations[{i}].geoPoint", lat, lon)
        contacts = [c for c in loc.get("contacts") or [] if isinstance(c, dict)]
        sites.append(
            TrialSite(
                facility=text(loc.get("facility")) or text(loc.get("city")) or "(unnamed site)",
                status=_status(loc.get("status")),
                city=text(loc.get("city")),
                country=text(loc.get("country")),
                postcode=text(loc.get("zip"))[:16],
                latitude=lat,
                longitude=lon,
                # what ClinicalTrials.gov shows for a location: the first contact's name, phone, e-mail
                contact=" · ".join(
                    p for p in (text(contacts[0].get(k)) for k in ("name", "phone", "email")) if p
                )[:300]
                if contacts
                else "",
            )
        )
    phases = design.get("phases")
    last_update = _get(status_mod, "lastUpdatePostDateStruct", "date") or status_mod.get(
        "lastUpdateSubmitDate"
    )
    return Trial(
        id=nct,
        source=SOURCE,
        title=text(ident.get("briefTitle")) or text(ident.get("officialTitle")) or nct,
        official_title=text(ident.get("officialTitle")),
        acronym=text(ident.get("acronym"))[:100],
        brief_summary=text(_get(ps, "descriptionModule", "briefSummary")),
        other_ids=tuple(dict.fromkeys(o for o in other if o and o != nct)),
        status=_status(status_mod.get("overallStatus")),
        phases=Phase.parse_many(phases if isinstance(phases, list) else text(phases) or None),
        study_type=text(design.get("studyType")),
        conditions=text_list(cond.get("conditions")),
        keywords=text_list(cond.get("keywords")),
        interventions=text_list([i.get("name") for i in interventions if isinstance(i, dict)]),
        eligibility_text=text(elig.get("eligibilityCriteria")),
        min_age_years=parse_age(elig.get("minimumAge"), "eligibilityModule.minimumAge"),
        max_age_years=parse_age(elig.get("maximumAge"), "eligibilityModule.maximumAge"),
        sex=_sex(elig.get("sex")),
        healthy_volunteers=elig.get("healthyVolunteers")
        if isinstance(elig.get("healthyVolunteers"), bool)
        else None,
        enrolment=parse_int(_get(design, "enrollmentInfo", "count"), "designModule.enrollmentInfo.count"),
        start_date=parse_date(
            _get(status_mod, "startDateStruct", "date"), "statusModule.startDateStruct.date"
        ),
        completion_date=parse_date(
            _get(status_mod, "completionDateStruct", "date"), "statusModule.completionDateStruct.date"
        ),
        last_update=parse_date(last_update, "statusModule.lastUpdatePostDateStruct.date"),
        sponsor=text(_get(sponsors, "leadSponsor", "name"))[:300],
        collaborators=text_list(
            [c.get("name") for c in sponsors.get("collaborators") or [] if isinstance(c, dict)]
        ),
        sites=sites,
    )


def _label(study: Any, where: str) -> str:
    nct = _get(study, "protocolSection", "identificationModule", "nctId")
    return where + (f" {nct}" if isinstance(nct, str) and nct else "")


def _convert(study: Any, where: str) -> Parsed:
    label = _label(study, where)
    try:
        return Parsed(record=label, trial=study_to_trial(study))
    except RecordError as exc:
        return Parsed(record=label, error=exc)


def iter_stream(path: Path, prefix: str) -> Iterator[Parsed]:
    """Stream studies at ijson `prefix` ("" for one study, "studies.item" for a page, "item" for an array)."""
    n = 0
    with path.open("rb") as fh:
        try:
            for study in ijson.items(fh, prefix, use_float=True):
                n += 1
                yield _convert(study, f"#{n}")
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, RecursionError) as exc:
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            kind = (
                "(encoding)" if "utf" in reason.lower() or isinstance(exc, UnicodeDecodeError) else "(json)"
            )
            yield Parsed(
                record=f"#{n + 1}",
                error=RecordError(
                    kind,
                    NN_(
                        "truncated or invalid JSON after %(num)s complete study: %(detail)s",
                        "truncated or invalid JSON after %(num)s complete studies: %(detail)s",
                    ),
                    code="import.json_truncated",
                    params={"num": n, "detail": reason},
                    fix=N_("download the file again (it was cut short) or correct it"),
                ),
            )


def iter_ndjson(path: Path) -> Iterator[Parsed]:
    for lineno, study in jsonl.iter_values(path):
        if isinstance(study, RecordError):
            yield Parsed(record=f"line {lineno}", error=study)
        else:
            yield _convert(study, f"line {lineno}")
