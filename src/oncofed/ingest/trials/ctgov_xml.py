"""Legacy ClinicalTrials.gov XML (`clinical_study`), parsed with defusedxml: entity expansion
(billion laughs), external entities and DTD tricks are refused rather than expanded. Studies are
read with iterparse and cleared after use, so a file holding many studies is streamed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from oncofed.domain import Phase, Trial, TrialSite, TrialStatus
from oncofed.errors import N_
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.common import (
    Parsed,
    dedent_block,
    not_number,
    not_on_earth,
    parse_age,
    parse_date,
    parse_int,
    require_id,
    text,
    text_list,
)

SOURCE = "ctgov-xml"


def _t(el: Element | None, path: str) -> str:
    if el is None:
        return ""
    found = el.find(path)
    return text(found.text) if found is not None and found.text else ""


def _all(el: Element, path: str) -> list[str]:
    return [text(e.text) for e in el.findall(path) if e.text and e.text.strip()]


def _float(value: str, field: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise not_number(field, value) from exc


def study_to_trial(el: Element) -> Trial:
    nct = require_id(_t(el, "id_info/nct_id"), "id_info/nct_id", nct=True)
    other = [
        _t(el, "id_info/org_study_id"),
        *_all(el, "id_info/secondary_id"),
        *_all(el, "id_info/nct_alias"),
    ]
    sites = []
    for i, loc in enumerate(el.findall("location")):
        fac = loc.find("facility")
        lat = _float(_t(fac, "address/latitude") or _t(loc, "geodata/latitude"), f"location[{i}]/latitude")
        lon = _float(_t(fac, "address/longitude") or _t(loc, "geodata/longitude"), f"location[{i}]/longitude")
        if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
            raise not_on_earth(f"location[{i}]", lat, lon)
        sites.append(
            TrialSite(
                facility=_t(fac, "name") or _t(fac, "address/city") or "(unnamed site)",
                status=TrialStatus.parse(_t(loc, "status") or None),
                city=_t(fac, "address/city"),
                country=_t(fac, "address/country"),
                postcode=_t(fac, "address/zip")[:16],
                latitude=lat,
                longitude=lon,
                contact=" ".join(
                    p for p in (_t(loc, "contact/first_name"), _t(loc, "contact/last_name")) if p
                ),
            )
        )
    gender = _t(el, "eligibility/gender").upper()
    hv = _t(el, "eligibility/healthy_volunteers").lower()
    last_update = (
        _t(el, "last_update_posted") or _t(el, "last_update_submitted") or _t(el, "lastchanged_date")
    )
    return Trial(
        id=nct,
        source=SOURCE,
        title=_t(el, "brief_title") or _t(el, "official_title") or nct,
        official_title=_t(el, "official_title"),
        acronym=_t(el, "acronym")[:100],
        brief_summary=dedent_block(_t(el, "brief_summary/textblock")),
        other_ids=tuple(dict.fromkeys(o for o in other if o and o != nct)),
        status=TrialStatus.parse(_t(el, "overall_status") or None),
        phases=Phase.parse_many(_t(el, "phase") or None),
        study_type=_t(el, "study_type").upper().replace(" ", "_"),
        conditions=text_list(_all(el, "condition")),
        keywords=text_list(_all(el, "keyword")),
        interventions=text_list(_all(el, "intervention/intervention_name")),
        eligibility_text=dedent_block(_t(el, "eligibility/criteria/textblock")),
        min_age_years=parse_age(_t(el, "eligibility/minimum_age"), "eligibility/minimum_age"),
        max_age_years=parse_age(_t(el, "eligibility/maximum_age"), "eligibility/maximum_age"),
        sex=gender if gender in ("FEMALE", "MALE") else "ALL",
        healthy_volunteers=(hv.startswith("accepts") or hv == "yes") if hv else None,
        enrolment=parse_int(_t(el, "enrollment"), "enrollment"),
        start_date=parse_date(_t(el, "start_date"), "start_date"),
        completion_date=parse_date(_t(el, "completion_date"), "completion_date"),
        last_update=parse_date(last_update, "last_update_posted"),
        sponsor=_t(el, "sponsors/lead_sponsor/agency")[:300],
        collaborators=text_list(_all(el, "sponsors/collaborator/agency")),
        sites=sites,
    )


def iter_records(path: Path) -> Iterator[Parsed]:
    n = 0
    try:
        context: Any = DET.iterparse(str(path), events=("end",), forbid_dtd=False)
        for _event, el in context:
            if el.tag != "clinical_study":
                continue
            n += 1
            nct = _t(el, "id_info/nct_id")
            label = f"#{n}" + (f" {nct}" if nct else "")
            try:
                yield Parsed(record=label, trial=study_to_trial(el))
            except RecordError as exc:
                yield Parsed(record=label, error=exc)
            el.clear()
    except DefusedXmlException as exc:
        yield Parsed(
            record=f"#{n + 1}",
            error=RecordError(
                "(xml)",
                N_("refused unsafe XML (%(detail)s: entities or DTD tricks)"),
                code="import.xml_unsafe",
                params={"detail": type(exc).__name__},
                fix=N_("export the file again without a DTD or entity declarations"),
            ),
        )
        return
    except ParseError as exc:
        yield Parsed(
            record=f"#{n + 1}",
            error=RecordError(
                "(xml)",
                N_("invalid or truncated XML: %(detail)s"),
                code="import.xml_invalid",
                params={"detail": str(exc)},
                fix=N_("download the file again (it was cut short) or correct it"),
            ),
        )
        return
    if n == 0:
        yield Parsed(
            record="#1",
            error=RecordError(
                "(xml)",
                N_("no <clinical_study> element in this XML file"),
                code="import.xml_no_study",
                fix=N_("give ClinicalTrials.gov's legacy XML (one <clinical_study> per study)"),
            ),
        )
