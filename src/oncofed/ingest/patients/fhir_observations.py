"""Facts from mCODE Observations (staging, TNM, performance status, tumour markers, genetic
variants, disease status, laboratory results): the Observation half of `fhir_extract.Extractor`."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from oncofed.domain import PatientProfile
from oncofed.errors import N_
from oncofed.ingest.patients.common import (
    Collector,
    ConversionError,
    convert_lab,
    fact,
    lab_by_loinc,
    labs,
    valid_ecog,
    valid_karnofsky,
)

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
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


class ObservationFacts:
    """Observation handling; `Extractor` adds the other resource types."""

    p: PatientProfile
    source: str
    issues: Collector
    cfg: dict[str, Any]
    tnm: dict[str, str]
    stage_record: str

    def f(self, kind: str, rid: str, **fields: Any) -> None:
        self.p.facts.append(fact(kind, self.source, rid, **fields))

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
                    rid,
                    "valueCodeableConcept",
                    N_("stage group not recognised"),
                    N_("use an AJCC stage group code"),
                    "import.stage_unknown",
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
                    N_("TNM category %(value)s not recognised"),
                    N_("use an AJCC TNM code"),
                    "import.tnm_unknown",
                    value=repr(text),
                )
        elif loinc in cfg["performance"]["ecog_loinc"]:
            ecog = valid_ecog(m.valueInteger)
            if ecog is None:
                hint = concept_text(m.interpretation[0]) if m.interpretation else ""
                self.issues.warn(
                    rid,
                    "valueInteger",
                    N_("ECOG %(value)s is not an integer 0..5 (interpretation says %(hint)s)")
                    if hint
                    else N_("ECOG %(value)s is not an integer 0..5"),
                    N_("record ECOG as 0, 1, 2, 3, 4 or 5"),
                    "import.ecog_range",
                    value=repr(m.valueInteger),
                    hint=repr(hint),
                )
            else:
                self.f("ecog", rid, value=ecog, display=f"ECOG {ecog}", when=when)
        elif loinc in cfg["performance"]["karnofsky_loinc"]:
            kps = valid_karnofsky(m.valueInteger)
            if kps is None:
                self.issues.warn(
                    rid,
                    "valueInteger",
                    N_("Karnofsky %(value)s is not 0..100 in steps of 10"),
                    N_("record Karnofsky as 0, 10, ..., 100"),
                    "import.karnofsky_range",
                    value=repr(m.valueInteger),
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
                    N_("disease status %(found)s not recognised"),
                    N_("use an mCODE disease status code"),
                    "import.disease_status_unknown",
                    found=code,
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
            self.issues.warn(
                rid,
                "value[x]",
                N_("%(marker)s result missing"),
                N_("add the test result"),
                "import.result_missing",
                marker=marker,
            )
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
                        N_("gene %(found)s %(display)s not in the HGNC list"),
                        N_("send the HGNC symbol as display"),
                        "import.gene_unknown",
                        found=v_code,
                        display=repr(v_display),
                    )
            elif c_code in ("48005-3",):
                variant = re.sub(r"^p\.", "", v_code or v_display)
            elif c_code in ("48004-6", "81290-9") and not hgvs:
                hgvs = v_code or v_display
        if not gene:
            self.issues.warn(
                rid,
                "component",
                N_("genetic variant without a gene studied (component 48018-6)"),
                N_("add the gene; the variant was left out"),
                "import.variant_without_gene",
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
                N_("%(analyte)s without a numeric value"),
                N_("send valueQuantity with value and unit"),
                "import.lab_no_value",
                analyte=analyte,
            )
            return
        try:
            value, unit = convert_lab(analyte, float(q.value), q.code or q.unit)
        except ConversionError as exc:
            self.issues.warn(
                rid,
                "valueQuantity.unit",
                N_("the unit of %(analyte)s does not convert: %(detail)s"),
                N_("send %(analyte)s in %(unit)s"),
                "import.lab_unit",
                detail=exc.part(),
                analyte=analyte,
                unit=labs()[analyte]["unit"] or "1",
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
