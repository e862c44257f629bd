"""Query generation: what a patient's record says, as text the trial index can search.

`keyword_query(profile)` is the short query of the TREC Clinical Trials recipes (diagnosis, stage,
disease status, biomarkers, metastases, treatments, comorbidities), from the facts of a stored record
or the facts the note reader found in a note. `profile_text(profile, day)` writes a stored record as
a short case summary, so a patient without a note is ranked by the same ranker as a note.
"""

from __future__ import annotations

import re
from datetime import date

from oncofed.domain import PatientProfile

_SPACES = re.compile(r"\s+")


def _clean(words: list[str]) -> str:
    return _SPACES.sub(" ", " ".join(w for w in words if w)).strip()


def keyword_query(profile: PatientProfile) -> str:
    """Diagnosis, stage, disease status, biomarkers, metastases, treatments and comorbidities."""
    words: list[str] = []
    for f in profile.facts:
        if f.negated:
            continue
        if f.kind in ("primary_cancer", "disease_status", "metastasis"):
            words += [f.display or "", f.code or ""]
        elif f.kind == "biomarker":
            words += [f.code or "", str(f.value or "")]
        elif f.kind == "stage":
            words.append(f"stage {f.value or f.code}")
        elif f.kind in ("treatment", "comorbidity"):
            words.append(f.display or f.code or "")
    if profile.primary_cancer:
        words.append(profile.primary_cancer)
    return _clean(words)


def profile_text(profile: PatientProfile, day: date | None = None) -> str:
    """A stored record as a short case summary (age, sex, diagnosis, stage, markers, history)."""
    age = profile.age_on(day) if day is not None else profile.age_years
    who = " ".join(
        p
        for p in (
            f"{int(age)}-year-old" if age is not None else "",
            {"FEMALE": "woman", "MALE": "man"}.get((profile.sex or "").upper(), "patient"),
        )
        if p
    )
    sentences = [f"A {who}."]
    cancer = next((f for f in profile.facts if f.kind == "primary_cancer" and not f.negated), None)
    if cancer is not None or profile.primary_cancer:
        name = (cancer.display if cancer else "") or profile.primary_cancer or ""
        stage = f", stage {profile.stage}" if profile.stage else ""
        sentences.append(f"Diagnosis: {name}{stage}.")
    groups = (
        ("disease_status", "Disease"),
        ("metastasis", "Metastases"),
        ("biomarker", "Biomarkers"),
        ("treatment", "Treatments"),
        ("comorbidity", "History"),
    )
    for kind, label in groups:
        items = []
        for f in profile.facts:
            if f.kind != kind or f.negated:
                continue
            item = f.display or f.code or ""
            if kind == "biomarker" and f.value not in (None, "") and str(f.value) not in item:
                item = f"{f.code or item} {f.value}"
            if item and item not in items:
                items.append(item)
        if items:
            sentences.append(f"{label}: {', '.join(items)}.")
    if profile.ecog is not None:
        sentences.append(f"ECOG performance status {profile.ecog}.")
    return " ".join(sentences)
