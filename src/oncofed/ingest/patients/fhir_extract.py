"""Facts from validated `fhir.resources` models (mCODE profiles), one resource at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from oncofed.domain import GeoPoint, PatientProfile
from oncofed.errors import N_
from oncofed.ingest.patients.common import (
    Collector,
    codes,
    drug_class,
    drug_from_text,
    fact,
    oncotree_lookup,
    oncotree_name,
)
from oncofed.ingest.patients.dates import parse_date, warn_partial
from oncofed.ingest.patients.fhir_observations import (
    SNOMED,
    ObservationFacts,
    codings,
    concept_text,
    first_code,
    to_date,
)

HISTOLOGY_URL = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
GEO_URL = "http://hl7.org/fhir/StructureDefinition/geolocation"
ICD10 = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"


class Extractor(ObservationFacts):
    """Adds the facts of one patient's resources to `profile`, reporting what it cannot use."""

    def __init__(self, profile: PatientProfile, source: str, issues: Collector) -> None:
        self.p = profile
        self.source = source
        self.issues = issues
        self.local_id = ""
        self.centre_hint = ""
        self.tnm: dict[str, str] = {}
        self.stage_record = ""
        self.treatments: dict[str, int] = {}
        self.cfg = codes()

    def f(self, kind: str, rid: str, **fields: Any) -> None:
        self.p.facts.append(fact(kind, self.source, rid, **fields))

    def add(self, model: Any) -> None:
        handler = getattr(self, f"_{model.get_resource_type().lower()}", None)
        if handler is not None:
            handler(model, f"{model.get_resource_type()}/{model.id or '?'}")

    # --- Patient, Consent ------------------------------------------------------------------

    def _patient(self, m: Any, rid: str) -> None:
        self.local_id = str(m.id or "")
        if m.gender in ("female", "male"):
            self.p.sex = m.gender.upper()
            self.f("sex", rid, code=self.p.sex, value=self.p.sex, display=m.gender)
        elif m.gender is None:  # absent, or dropped as unreadable (that warning names it): never "None"
            self.issues.warn(
                rid,
                "gender",
                N_("gender missing"),
                N_("record the sex as female or male"),
                "import.sex_missing",
            )
        else:
            self.issues.warn(
                rid,
                "gender",
                N_("gender %(value)s is not female/male"),
                N_("record the sex as female or male"),
                "import.sex",
                value=repr(m.gender),
            )
        if m.birthDate is None:
            self.issues.warn(
                rid,
                "birthDate",
                N_("birth date missing"),
                N_("add Patient.birthDate (age criteria stay unknown)"),
                "import.birth_date_missing",
            )
        else:
            try:
                self.p.birth_date = parse_date(m.birthDate, birth=True)
                warn_partial(self.issues, rid, "birthDate", m.birthDate, self.p.birth_date)
                self.f("birth_date", rid, value=self.p.birth_date.isoformat(), display="birth date")
            except ValueError as exc:
                self.issues.warn_exc(rid, "birthDate", exc, N_("correct Patient.birthDate"))
        if m.deceasedBoolean or m.deceasedDateTime:
            self.p.deceased = True
            self.f("deceased", rid, value=True, when=to_date(m.deceasedDateTime), display="deceased")
        for address in m.address or []:
            for ext in address.extension or []:
                if ext.url == GEO_URL:
                    parts = {e.url: e.valueDecimal for e in ext.extension or []}
                    if parts.get("latitude") is not None and parts.get("longitude") is not None:
                        self.p.home = GeoPoint(float(parts["latitude"]), float(parts["longitude"]))
            if address.city or address.postalCode:
                self.p.home_city = str(address.city or "")
                self.f(
                    "home",
                    rid,
                    code=str(address.postalCode or ""),
                    value=self.p.home_city,
                    display=" ".join(str(x) for x in (address.postalCode, address.city) if x),
                    attributes={"country": address.country},
                )
            break
        org = m.managingOrganization
        if org is not None:
            ident = getattr(org, "identifier", None)
            self.centre_hint = str((ident.value if ident else None) or org.display or "")

    def _consent(self, m: Any, rid: str) -> None:
        categories = " ".join(concept_text(c) + " " + first_code(c)[0] for c in m.category or []).lower()
        scope = (concept_text(m.scope) + " " + first_code(m.scope)[0]).lower()
        deny = getattr(m.provision, "type", None) == "deny" if m.provision else False
        if m.status == "active" and deny and "research" in categories + scope:
            self.p.research_objection = True
            self.f("research_objection", rid, value=True, display="objects to research use")

    # --- Conditions ------------------------------------------------------------------------

    def _condition(self, m: Any, rid: str) -> None:
        profiles = " ".join(str(u) for u in (m.meta.profile if m.meta and m.meta.profile else []))
        code, display = first_code(m.code, SNOMED)
        display = display or concept_text(m.code)
        refuted = first_code(m.verificationStatus)[0] in ("refuted", "entered-in-error")
        if "secondary-cancer-condition" in profiles or code in self.cfg["snomed_metastasis"]:
            site = self.cfg["snomed_metastasis"].get(code)
            if site is None:
                site = (
                    self.cfg["snomed_metastasis"].get(first_code(m.bodySite[0], SNOMED)[0])
                    if m.bodySite
                    else None
                )
            if site is None:
                self.issues.warn(
                    rid,
                    "code",
                    N_("secondary cancer site %(found)s %(display)s not recognised"),
                    N_("code the site with SNOMED CT"),
                    "import.metastasis_site",
                    found=code,
                    display=repr(display),
                )
                site = "unspecified"
            self.f(
                "metastasis", rid, code=site, display=display, when=to_date(m.onsetDateTime), negated=refuted
            )
            if not refuted and not any(
                x.kind == "disease_status" and x.code == "metastatic" for x in self.p.facts
            ):
                self.f(
                    "disease_status", rid, code="metastatic", display="metastatic (secondary cancer recorded)"
                )
            return
        if "primary-cancer-condition" not in profiles and code not in self.cfg["snomed_primary"]:
            return  # a comorbidity without a code we use: not read
        onco, specific = oncotree_lookup(self.cfg["snomed_primary"].get(code) or display)
        attrs: dict[str, Any] = {"snomed": code, "oncotree_specific": specific}
        for c in codings(m.code):
            if c.system in ICD10:
                attrs["icd10"] = c.code
            elif c.system == ICDO3:
                attrs["icdo3"] = c.code
        histology = [e for e in m.extension or [] if e.url == HISTOLOGY_URL]
        if histology:
            h_code, h_display = first_code(histology[0].valueCodeableConcept)
            attrs.update(histology=h_display, histology_snomed=h_code)
        else:
            other = ", ".join(str(e.url) for e in m.extension or [])
            self.issues.warn(
                rid,
                "extension",
                N_("no histology-morphology-behavior extension (found %(other)s)")
                if other
                else N_("no histology-morphology-behavior extension"),
                N_("add the extension %(url)s"),
                "import.histology_missing",
                other=str(other),
                url=HISTOLOGY_URL,
            )
        if onco is None:
            self.issues.warn(
                rid,
                "code",
                N_("cancer %(found)s %(display)s has no OncoTree equivalent here"),
                N_("add an OncoTree code or a known SNOMED CT code"),
                "import.cancer_unknown",
                found=code,
                display=repr(display),
            )
        when = (
            to_date(m.onsetDateTime)
            or to_date(m.onsetPeriod.start if m.onsetPeriod else None)
            or to_date(m.recordedDate)
        )
        self.f(
            "primary_cancer",
            rid,
            code=onco,
            display=oncotree_name(onco) if onco else display,
            when=when,
            negated=refuted,
            attributes=attrs,
        )
        status = first_code(m.clinicalStatus)[0]
        if status in ("recurrence", "relapse"):
            self.f("disease_status", rid, code="recurrent", display="recurrent")
        elif status == "remission":
            self.f("disease_status", rid, code="remission", display="remission")
        for st in m.stage or []:
            group = self._stage_of(st.summary)
            if group:
                self._stage(group, rid, concept_text(st.summary) or group, "condition")
                break

    def _medication(self, m: Any, rid: str, start: date | None, end: date | None) -> None:
        concept = m.medicationCodeableConcept
        if concept is None:
            self.issues.warn(
                rid,
                "medication[x]",
                N_("medication given by reference only"),
                N_("send medicationCodeableConcept"),
                "import.medication_reference",
            )
            return
        display = concept_text(concept)
        inn = drug_from_text(display)
        if inn is None:
            self.issues.warn(
                rid,
                "medicationCodeableConcept",
                N_("drug %(drug)s not in the drug list"),
                N_("kept under its own name; add it to the drug vocabulary"),
                "import.drug_unknown",
                drug=repr(display),
            )
        code = inn or display.lower().strip()
        index = self.treatments.get(code)
        if index is not None:  # the same drug again (cycles): one treatment from first to last record
            prev = self.p.facts[index]
            starts = [d for d in (prev.when, start) if d]
            ends = [d for d in (prev.attributes.get("end"), end or start) if d]
            attributes = {**prev.attributes, "records": prev.attributes.get("records", 1) + 1}
            if ends:
                attributes["end"] = max(ends)
            self.p.facts[index] = replace(prev, when=min(starts) if starts else None, attributes=attributes)
            return
        attrs = {
            "class": drug_class(inn) if inn else None,
            "end": end,
            "status": m.status,
            "rxnorm": first_code(concept)[0],
        }
        self.f("treatment", rid, code=code, display=display, when=start, attributes=attrs)
        self.treatments[code] = len(self.p.facts) - 1

    def _medicationstatement(self, m: Any, rid: str) -> None:
        period = m.effectivePeriod
        self._medication(
            m,
            rid,
            to_date(m.effectiveDateTime) or to_date(period.start if period else None),
            to_date(period.end if period else None),
        )

    _medicationadministration = _medicationstatement

    def _medicationrequest(self, m: Any, rid: str) -> None:
        self._medication(m, rid, to_date(m.authoredOn), None)

    def _procedure(self, m: Any, rid: str) -> None:
        code, display = first_code(m.code, SNOMED)
        name, klass = self.cfg["procedures"].get(code, (None, None))
        if name is None:
            self.issues.warn(
                rid,
                "code",
                N_("procedure %(found)s %(display)s not recognised"),
                N_("kept as a procedure under its display"),
                "import.procedure_unknown",
                found=code,
                display=repr(display),
            )
            name, klass = (display or concept_text(m.code) or "procedure").lower(), "procedure"
        period = m.performedPeriod
        start = to_date(m.performedDateTime) or to_date(period.start if period else None)
        self.f(
            "treatment",
            rid,
            code=name,
            display=display or name,
            when=start,
            attributes={"class": klass, "snomed": code, "end": to_date(period.end if period else None)},
        )

    def finish(self) -> None:
        if self.tnm:
            stage = next((x for x in self.p.facts if x.kind == "stage"), None)
            if stage is not None:
                stage.attributes.update(self.tnm)
            else:
                self.issues.warn(
                    "Observation",
                    "stage",
                    N_("TNM categories without a stage group"),
                    N_("add the stage group Observation (LOINC 21908-9)"),
                    "import.tnm_without_stage",
                )
