"""Words of a criterion that are no requirement on the patient, read before or after extraction:
a criterion about the patient's household contacts, a topic lead-in ("Cardiac disease: ..."), a
cumulative dose limit (not the receipt of the drug)."""

from __future__ import annotations

import re

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# A criterion about the people the patient lives with ("household contacts of immunocompromised people",
# "close contacts: children < 1 year old"): its ages and conditions are not the patient's own.
_OTHERS_CONTACT = compile_i(
    r"\b(?:household|close|family|home)\s+contacts?\b|\bcontacts?\s+(?:at\s+home|in\s+the\s+household)\b"
    r"|\b(?:lives?|living|resides?|residing)\s+with\s+(?:(?:an?|any|someone|somebody|people|persons?|"
    r"who|is|are)\s+)*(?:immuno(?:compromised|suppressed|deficient)\s+(?:people|persons?|individuals?|hosts?|"
    r"family|household|relatives?|members?|child(?:ren)?|partners?)|pregnant\s+(?:women|woman|partners?)|infants?"
    r"|child(?:ren)?\s+(?:under|<|younger))"
)


def others_contact_atom(text: str, low: str) -> Atom | None:
    """One non-evaluable atom for a criterion about the patient's contacts, else None (the caller then
    keeps no other atom: an age or an HIV infection named there is the contact's, never the patient's)."""
    if not any(w in low for w in ("contact", "live", "living", "resid")):
        return None
    m = _OTHERS_CONTACT.search(text)
    return (
        Atom("non_evaluable", "present", code="household_contacts", span=m.span(), text=m.group(0))
        if m
        else None
    )


# "Cardiac disease: LVEF < 50 %", "Infection: active hepatitis B": a lead-in naming the topic of the
# items after it (the items say which disease; the topic is no requirement of its own)
_TOPIC_HEADING = re.compile(r"^\s*[A-Za-z][A-Za-z /-]{2,38}:\s")
_TOPIC_KINDS = {"comorbidity", "infection"}


def topic_heading_dropped(atoms: list[Atom], text: str) -> list[Atom]:
    m = _TOPIC_HEADING.match(text)
    if not m:
        return atoms
    end = m.end()
    if not any(a.span and a.span[0] >= end and a.kind != "non_evaluable" for a in atoms):
        return atoms
    return [a for a in atoms if not (a.kind in _TOPIC_KINDS and a.span and a.span[1] <= end)]


# "cumulative dose of anthracyclines in excess of 450 mg/m²", "prior cumulative doxorubicin dose > 400":
# a dose received, not the receipt (records give no cumulative dose: the investigator confirms it)
_CUMULATIVE_BEFORE = compile_i(r"\bcumulative\s+(?:[\w-]+\s+){0,3}$")
_CUMULATIVE_AFTER = compile_i(r"^\s*(?:\w+\s+){0,2}(?:cumulative\s+)?(?:total\s+)?dose")


def cumulative_doses(atoms: list[Atom], text: str) -> list[Atom]:
    out = []
    for a in atoms:
        if (
            a.kind == "prior_therapy"
            and a.span
            and (
                _CUMULATIVE_BEFORE.search(text, max(0, a.span[0] - 40), a.span[0])
                or _CUMULATIVE_AFTER.match(text[a.span[1] : a.span[1] + 40])
                and "cumulative" in text[max(0, a.span[0] - 40) : a.span[1] + 40].lower()
            )
        ):
            about = {"kind": a.kind, "code": a.code, "operator": a.operator, "value": a.value}
            a = Atom("non_evaluable", "present", code="cumulative_dose", span=a.span, text=a.text,
                     attributes={"about": about})  # fmt: skip
        out.append(a)
    return out


# "treatment for their metastatic disease": the setting of a therapy, no disease status of its own
_SETTING_OF_THERAPY = compile_i(
    r"\b(?:treatments?|therap(?:y|ies)|chemotherapy|regimens?|lines?)\s+(?:received\s+)?(?:for|in)\s+"
    r"(?:the\s+|their\s+|his\s+|her\s+|its\s+)?(?:[\w-]+\s+(?:or|and|/)\s+)?$"
)


def not_the_patient_s(atoms: list[Atom], text: str) -> list[Atom]:
    """Drops a disease setting that is a therapy's ("no treatment for their metastatic disease"): no
    statement about the patient's disease the line makes."""
    therapies = any(a.kind in ("prior_therapy", "treatment_naive", "prior_lines") for a in atoms)
    out = []
    for a in atoms:
        before = text[max(0, a.span[0] - 60) : a.span[0]] if a.span else ""
        if a.kind == "disease_setting" and not therapies and _SETTING_OF_THERAPY.search(before):
            continue  # (a therapy atom takes it as its setting: criteria/logic.py therapy_settings)
        out.append(a)
    return out


def allergen_named(atoms: list[Atom]) -> list[Atom]:
    """ "(Allergy or) hypersensitivity to platinum compounds": the allergy read with its allergen
    (therapy_atoms) is the statement; the allergy words read as a condition alone ("hypersensitivity":
    any allergy) are dropped, an allergy to something else never being one to the allergen named."""
    if not any(a.kind == "comorbidity" and a.attributes.get("allergen") for a in atoms):
        return atoms
    return [
        a
        for a in atoms
        if not (a.kind == "comorbidity" and a.code == "hypersensitivity" and not a.attributes.get("allergen"))
    ]
