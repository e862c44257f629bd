"""FHIR R4 ResearchStudy (a resource, or a Bundle of them), validated with `fhir.resources.R4B`.

Sites are `ResearchStudy.site` references to Location resources (contained, or entries of the same
Bundle); `ResearchStudy.location` codes (jurisdictions, usually countries) are kept in
`extra["fhir_locations"]`. Eligibility text is taken from the enrollment Group (its display, as in
the mCODE matching service examples, or the contained Group's text)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oncofed.domain import Phase, Trial, TrialSite, TrialStatus
from oncofed.errors import N_
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.common import NCT_RE, Parsed, load_json_document, parse_date, require_id, text

SOURCE = "fhir"
USED_CONTAINED = {"Location", "Group", "Organization"}


def _validate(resource: dict[str, Any]) -> tuple[Any, list[str]]:
    """Validate a ResearchStudy; contained resources this importer does not read (e.g. PlanDefinition)
    that fail validation are dropped with a warning rather than rejecting the whole study."""
    from fhir.resources.R4B.researchstudy import ResearchStudy

    warnings: list[str] = []
    try:
        return ResearchStudy.model_validate(resource), warnings
    except ValidationError as exc:
        bad = {int(e["loc"][1]) for e in exc.errors() if len(e["loc"]) > 1 and e["loc"][0] == "contained"}
        others = [e for e in exc.errors() if not (len(e["loc"]) > 1 and e["loc"][0] == "contained")]
        contained = resource.get("contained") or []
        droppable = all(
            i < len(contained)
            and isinstance(contained[i], dict)
            and contained[i].get("resourceType") not in USED_CONTAINED
            for i in bad
        )
        if others or not bad or not droppable:
            first = (others or exc.errors())[0]
            where = ".".join(str(p) for p in first["loc"])
            raise _invalid(where or "(resource)", first["msg"]) from exc
        for i in sorted(bad):
            c = contained[i]
            warnings.append(
                f"contained {c.get('resourceType')} {c.get('id', '')!r} is invalid FHIR and unused: ignored"
            )
        kept = [c for i, c in enumerate(contained) if i not in bad]
        try:
            return ResearchStudy.model_validate({**resource, "contained": kept}), warnings
        except ValidationError as exc2:
            first = exc2.errors()[0]
            raise _invalid(".".join(str(p) for p in first["loc"]), first["msg"]) from exc2


def _invalid(where: str, detail: str) -> RecordError:
    return RecordError(
        where,
        N_("invalid FHIR ResearchStudy: %(detail)s"),
        code="import.fhir_invalid",
        params={"detail": detail},
        fix=N_("correct the resource against FHIR R4's ResearchStudy (the field is named)"),
    )


def _cc_text(cc: Any) -> str:
    if cc is None:
        return ""
    if cc.text:
        return text(cc.text)
    for coding in cc.coding or []:
        if coding.display or coding.code:
            return text(coding.display or coding.code)
    return ""


def study_to_trial(resource: Any, bundle_index: dict[str, Any] | None = None) -> tuple[Trial, list[str]]:
    if not isinstance(resource, dict) or resource.get("resourceType") != "ResearchStudy":
        raise RecordError(
            "resourceType",
            N_("not a ResearchStudy"),
            code="import.fhir_not_study",
            fix=N_("give ResearchStudy resources (patients: `oncofed import patients`)"),
        )
    study, warnings = _validate(resource)
    idents = [i for i in study.identifier or [] if i.value]
    nct = next((text(i.value).upper() for i in idents if NCT_RE.match(text(i.value).upper())), None)
    if nct is None and not idents:
        raise RecordError(
            "identifier",
            N_("no identifier"),
            code="import.fhir_no_identifier",
            fix=N_("give the study an identifier: NCT number, EU CT number or registry id"),
        )
    trial_id = require_id(nct or idents[0].value, "identifier")
    contained = {f"#{c.id}": c for c in study.contained or [] if getattr(c, "id", None)}
    index = {**(bundle_index or {}), **contained}
    sites = []
    for ref in study.site or []:
        loc = index.get(ref.reference or "")
        if loc is None or loc.get_resource_type() != "Location":
            sites.append(TrialSite(facility=text(ref.display) or text(ref.reference) or "(unnamed site)"))
            continue
        addr = loc.address
        pos = loc.position
        sites.append(
            TrialSite(
                facility=text(loc.name) or "(unnamed site)",
                status=TrialStatus.parse(
                    {"active": "RECRUITING", "suspended": "SUSPENDED", "inactive": "COMPLETED"}.get(
                        text(loc.status)
                    )
                ),
                city=text(addr.city) if addr else "",
                country=text(addr.country) if addr else "",
                postcode=text(addr.postalCode)[:16] if addr else "",
                latitude=float(pos.latitude) if pos and pos.latitude is not None else None,
                longitude=float(pos.longitude) if pos and pos.longitude is not None else None,
            )
        )
    eligibility = ""
    for ref in study.enrollment or []:
        group = index.get(ref.reference or "")
        eligibility = text(ref.display) or (text(group.text.div) if group is not None and group.text else "")
        if eligibility:
            break
    sponsor = ""
    if study.sponsor is not None:
        org = index.get(study.sponsor.reference or "")
        sponsor = text(study.sponsor.display) or (text(org.name) if org is not None else "")
    phase = _cc_text(study.phase).replace("-", " ")
    category = [_cc_text(c) for c in study.category or []]
    study_type = next(
        (c.split(":", 1)[1].strip().upper() for c in category if c.lower().startswith("study type:")), ""
    )
    period = study.period
    trial = Trial(
        id=trial_id,
        source=SOURCE,
        title=text(study.title) or trial_id,
        brief_summary=text(study.description),
        other_ids=tuple(dict.fromkeys(text(i.value) for i in idents if text(i.value) != trial_id)),
        status=TrialStatus.parse(text(study.status) or None),
        phases=Phase.parse_many(phase or None) if phase.lower() not in ("n a", "na") else (Phase.NA,),
        study_type=study_type,
        conditions=tuple(dict.fromkeys(c for c in (_cc_text(x) for x in study.condition or []) if c)),
        keywords=tuple(dict.fromkeys(k for k in (_cc_text(x) for x in study.keyword or []) if k)),
        interventions=tuple(dict.fromkeys(text(a.name) for a in study.arm or [] if a.name)),
        eligibility_text=eligibility,
        start_date=parse_date(period.start if period else None, "period.start"),
        completion_date=parse_date(period.end if period else None, "period.end"),
        last_update=parse_date(study.meta.lastUpdated if study.meta else None, "meta.lastUpdated"),
        sponsor=sponsor[:300],
        sites=sites,
        extra={"fhir_locations": [c for c in (_cc_text(x) for x in study.location or []) if c]},
    )
    return trial, warnings


def iter_records(path: Path, data: Any | None = None) -> Iterator[Parsed]:
    if data is None:
        try:
            data = load_json_document(path, "FHIR")
        except RecordError as exc:
            yield Parsed(record="#1", error=exc)
            return
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        entries = [e for e in data.get("entry") or [] if isinstance(e, dict)]
        index: dict[str, Any] = {}
        for e in entries:
            r = e.get("resource")
            if isinstance(r, dict) and r.get("resourceType") in USED_CONTAINED:
                try:
                    from fhir.resources.R4B import get_fhir_model_class

                    model = get_fhir_model_class(r["resourceType"]).model_validate(r)
                except (ValidationError, KeyError):
                    continue
                for key in (e.get("fullUrl"), f"{r['resourceType']}/{r.get('id')}"):
                    if key:
                        index[key] = model
        studies = [(i, e.get("resource")) for i, e in enumerate(entries, 1)]
        studies = [
            (i, r) for i, r in studies if isinstance(r, dict) and r.get("resourceType") == "ResearchStudy"
        ]
        if not studies:
            yield Parsed(record="Bundle", skipped="Bundle without ResearchStudy entries")
        for i, r in studies:
            yield _one(r, f"entry {i}", index)
        return
    yield _one(data, "#1", None)


def _one(resource: Any, where: str, index: dict[str, Any] | None) -> Parsed:
    ids = (
        [i.get("value") for i in resource.get("identifier") or [] if isinstance(i, dict)]
        if isinstance(resource, dict)
        else []
    )
    label = where + (f" {ids[0]}" if ids and isinstance(ids[0], str) else "")
    try:
        trial, warnings = study_to_trial(resource, index)
    except RecordError as exc:
        return Parsed(record=label, error=exc)
    parsed = Parsed(record=label, trial=trial)
    parsed.warnings = warnings
    return parsed
