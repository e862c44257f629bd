"""Facts from validated `fhir.resources` models (mCODE profiles), one resource at a time."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from oncofed.domain import GeoPoint, PatientProfile
from oncofed.ingest.patients.common import (
    Collector,
    ConversionError,
    codes,
    convert_lab,
    drug_class,
    drug_from_text,
    fact,
    lab_by_loinc,
    labs,
    oncotree_lookup,
    oncotree_name,
    parse_date,
    valid_ecog,
    valid_karnofsky,
)

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
HISTOLOGY_URL = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
GEO_URL = "http://hl7.org/fhir/StructureDefinition/geolocation"
STAGE_LOINC = {"21908-9": "clinical", "21902-2": "pathological", "21914-4": "pathological"}
TNM = {
    "399504009": "t",
    "399534004": "n",
    "399387003": "m",
    "384625004": "t",
    "371494008": "n",
    "371497001": "m",
    "21905-5": "t",
    "21906-3": "n",
    "21907-1": "m",
    "21899-0": "t",
    "21900-6": "n",
    "21901-4": "m",
}
ICD10 = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
ROMAN = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}


def codings(concept: Any) -> list[Any]:
    return list(getattr(concept, "coding", None) or []) if concept is not None else []


def first_code(concept: Any, system: str | None = None) -> tuple[str, str]:
    """(code, display) of the first coding (of `system` when given)."""
    for c in codings(concept):
        if system is None or c.system == system:
            return str(c.code or ""), str(c.display or "")
    return "", ""


def concept_text(concept: Any) -> str:
    if concept is None:
        return ""
    for c in codings(concept):
        if c.display:
            return str(c.display)
    return str(getattr(concept, "text", "") or "")


def to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def stage_group(text: str) -> str | None:
    """'Stage 3A (qualifier value)' / 'c3A' / 'IV' / '4' -> 'IIIA' / 'IV'."""
    t = text.strip()
    m = re.search(r"(?:stage\s*)?\b[cpy]?([0-4]|IV|III|II|I)([ABC]?\d?)\b", t, re.I)
    if not m:
        return None
    base = m.group(1).upper()
    return ROMAN.get(base, base) + m.group(2).upper()


class Extractor:
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
        else:
            self.issues.warn(
                rid, "gender", f"gender {m.gender!r} is not female/male", "record the sex as female or male"
            )
        if m.birthDate is None:
            self.issues.warn(
                rid, "birthDate", "birth date missing", "add Patient.birthDate (age criteria stay unknown)"
            )
        else:
            try:
                self.p.birth_date = parse_date(m.birthDate, birth=True)
                self.f("birth_date", rid, value=self.p.birth_date.isoformat(), display="birth date")
            except ValueError as exc:
                self.issues.warn(rid, "birthDate", str(exc), "correct Patient.birthDate")
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
                    f"secondary cancer site {code} {display!r} not recognised",
                    "code the site with SNOMED CT",
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
                "no histology-morphology-behavior extension" + (f" (found {other})" if other else ""),
                f"add the extension {HISTOLOGY_URL}",
            )
        if onco is None:
            self.issues.warn(
                rid,
                "code",
                f"cancer {code} {display!r} has no OncoTree equivalent here",
                "add an OncoTree code or a known SNOMED CT code",
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

    def _stage_of(self, concept: Any) -> str | None:
        for c in codings(concept):
            mapped = self.cfg["stage_codes"].get(c.system or "", {}).get(str(c.code))
            if mapped:
                return str(mapped)
        for c in codings(concept):
            if c.system == "http://cancerstaging.org" and (g := stage_group(str(c.code))):
                return g
        return stage_group(concept_text(concept)) if concept is not None else None

    def _stage(self, group: str, rid: str, display: str, origin: str) -> None:
        existing = [x for x in self.p.facts if x.kind == "stage"]
        if existing and (origin == "condition" or existing[0].attributes.get("origin") == "observation"):
            return  # a staging Observation wins over the summary on the Condition
        self.p.facts = [x for x in self.p.facts if x.kind != "stage"]
        self.stage_record = rid
        self.f("stage", rid, code=group, value=group, display=f"Stage {group}", attributes={"origin": origin})

    # --- Observations ----------------------------------------------------------------------

    def _observation(self, m: Any, rid: str) -> None:
        loinc, _ = first_code(m.code, LOINC)
        snomed, _ = first_code(m.code, SNOMED)
        when = to_date(m.effectiveDateTime) or to_date(m.effectivePeriod.start if m.effectivePeriod else None)
        cfg = self.cfg
        if loinc in STAGE_LOINC:
            group = self._stage_of(m.valueCodeableConcept)
            if group:
                self._stage(group, rid, concept_text(m.valueCodeableConcept), "observation")
            else:
                self.issues.warn(
                    rid, "valueCodeableConcept", "stage group not recognised", "use an AJCC stage group code"
                )
        elif (tnm := TNM.get(snomed) or TNM.get(loinc)) is not None:
            text = concept_text(m.valueCodeableConcept) or first_code(m.valueCodeableConcept)[0]
            found = re.search(r"\b([cpy]?[TNM][0-4xXis]{1,2}[a-d]?)\b", text.replace("cTis", "cTis"))
            if found:
                self.tnm[tnm] = found.group(1)
            else:
                self.issues.warn(
                    rid,
                    "valueCodeableConcept",
                    f"TNM category {text!r} not recognised",
                    "use an AJCC TNM code",
                )
        elif loinc in cfg["performance"]["ecog_loinc"]:
            ecog = valid_ecog(m.valueInteger)
            if ecog is None:
                hint = concept_text(m.interpretation[0]) if m.interpretation else ""
                self.issues.warn(
                    rid,
                    "valueInteger",
                    f"ECOG {m.valueInteger!r} is not an integer 0..5"
                    + (f" (interpretation says {hint!r})" if hint else ""),
                    "record ECOG as 0, 1, 2, 3, 4 or 5",
                )
            else:
                self.f("ecog", rid, value=ecog, display=f"ECOG {ecog}", when=when)
        elif loinc in cfg["performance"]["karnofsky_loinc"]:
            kps = valid_karnofsky(m.valueInteger)
            if kps is None:
                self.issues.warn(
                    rid,
                    "valueInteger",
                    f"Karnofsky {m.valueInteger!r} is not 0..100 in steps of 10",
                    "record Karnofsky as 0, 10, ..., 100",
                )
            else:
                self.f("karnofsky", rid, value=kps, display=f"Karnofsky {kps}", when=when)
        elif loinc == "69548-6":
            self._variant(m, rid, when)
        elif loinc in cfg["tumour_markers"]:
            self._marker(m, rid, when, *cfg["tumour_markers"][loinc])
        elif loinc == "97509-4":
            code, display = first_code(m.valueCodeableConcept)
            status = cfg["disease_status"].get(code)
            if status:
                self.f("disease_status", rid, code=status, display=display, when=when)
            else:
                self.issues.warn(
                    rid,
                    "valueCodeableConcept",
                    f"disease status {code} not recognised",
                    "use an mCODE disease status code",
                )
        elif loinc in lab_by_loinc():
            self._lab(m, rid, when, lab_by_loinc()[loinc], loinc)

    def _marker(self, m: Any, rid: str, when: date | None, marker: str, kind: str) -> None:
        value: Any = None
        attrs: dict[str, Any] = {"kind": kind, "loinc": first_code(m.code, LOINC)[0]}
        if m.valueCodeableConcept is not None:
            code, display = first_code(m.valueCodeableConcept)
            value = self.cfg["result_values"].get(code) or (display or "").lower() or None
        elif m.valueQuantity is not None and m.valueQuantity.value is not None:
            value = float(m.valueQuantity.value)
            if value.is_integer():
                value = int(value)
            if marker == "HER2" and kind == "ihc" and value in (0, 1, 2, 3):
                value = f"{value}+" if value else "0"
        elif m.valueString:
            value = m.valueString
        if value is None:
            self.issues.warn(rid, "value[x]", f"{marker} result missing", "add the test result")
            return
        if marker == "MSI" and value == "positive":
            value = "MSI-H"
        unit = (
            "mut/Mb"
            if kind == "tmb" and isinstance(value, (int, float))
            else ("%" if kind == "tps" else None)
        )
        self.f(
            "biomarker",
            rid,
            code=marker,
            value=value,
            unit=unit,
            display=f"{marker} {value}",
            when=when,
            attributes=attrs,
        )

    def _variant(self, m: Any, rid: str, when: date | None) -> None:
        gene = ""
        variant = ""
        hgvs = ""
        for comp in m.component or []:
            c_code, _ = first_code(comp.code, LOINC)
            v_code, v_display = first_code(comp.valueCodeableConcept)
            if c_code == "48018-6" or v_code.startswith("HGNC:"):
                gene = self.cfg["hgnc"].get(v_code) or (
                    v_display if re.fullmatch(r"[A-Z0-9-]{2,10}", v_display or "") else ""
                )
                if not gene:
                    self.issues.warn(
                        rid,
                        "component.valueCodeableConcept",
                        f"gene {v_code} {v_display!r} not in the HGNC list",
                        "send the HGNC symbol as display",
                    )
            elif c_code in ("48005-3",):
                variant = re.sub(r"^p\.", "", v_code or v_display)
            elif c_code in ("48004-6", "81290-9") and not hgvs:
                hgvs = v_code or v_display
        if not gene:
            self.issues.warn(
                rid,
                "component",
                "genetic variant without a gene studied (component 48018-6)",
                "add the gene; the variant was left out",
            )
            return
        interp = first_code(m.interpretation[0])[0] if m.interpretation else ""
        kind = self.cfg["variant_kinds"].get(interp, "mutation")
        present = first_code(m.valueCodeableConcept)[0] != "LA9634-2"
        value = variant or (kind if kind != "mutation" else "mutation")
        self.f(
            "biomarker",
            rid,
            code=gene,
            value=value,
            display=f"{gene} {value}",
            when=when,
            negated=not present,
            attributes={"kind": kind, "hgvs": hgvs},
        )

    def _lab(self, m: Any, rid: str, when: date | None, analyte: str, loinc: str) -> None:
        q = m.valueQuantity
        if q is None or q.value is None:
            self.issues.warn(
                rid,
                "valueQuantity",
                f"{analyte} without a numeric value",
                "send valueQuantity with value and unit",
            )
            return
        try:
            value, unit = convert_lab(analyte, float(q.value), q.code or q.unit)
        except ConversionError as exc:
            self.issues.warn(
                rid,
                "valueQuantity.unit",
                str(exc),
                f"send {analyte} in {labs()[analyte]['unit'] or 'no unit'}",
            )
            return
        attrs = {"loinc": loinc, "source_unit": q.unit or q.code}
        uln = labs()[analyte].get("uln")
        if uln:
            attrs["uln"] = float(uln)
        self.f(
            "lab",
            rid,
            code=analyte,
            value=value,
            unit=unit,
            display=labs()[analyte]["display"],
            when=when,
            attributes=attrs,
        )

    # --- Treatments ------------------------------------------------------------------------

    def _medication(self, m: Any, rid: str, start: date | None, end: date | None) -> None:
        concept = m.medicationCodeableConcept
        if concept is None:
            self.issues.warn(
                rid, "medication[x]", "medication given by reference only", "send medicationCodeableConcept"
            )
            return
        display = concept_text(concept)
        inn = drug_from_text(display)
        if inn is None:
            self.issues.warn(
                rid,
                "medicationCodeableConcept",
                f"drug {display!r} not in the drug list",
                "kept under its own name; add it to the drug vocabulary",
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
                f"procedure {code} {display!r} not recognised",
                "kept as a procedure under its display",
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
                    "TNM categories without a stage group",
                    "add the stage group Observation (LOINC 21908-9)",
                )
