"""Shapes of a patient's record: the profile JSON (API, page, `oncofed patients show`), its facts' CSV
columns, and the page's groups of facts and notes with each fact's span marked."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from oncofed.domain import PatientProfile
from oncofed.domain.patient import whole_years
from oncofed.presenters.i18n import translator
from oncofed.presenters.places import place
from oncofed.store.mapping import fact_to_json

FACT_COLUMNS = [
    "kind",
    "code",
    "value",
    "unit",
    "display",
    "when",
    "negated",
    "source",
    "record",
    "span",
    "note_id",
]
KIND_ORDER = [
    "sex", "birth_date", "age", "home", "primary_cancer", "stage", "disease_status", "metastasis", "biomarker",
    "ecog", "karnofsky", "treatment", "lab", "comorbidity", "pregnancy", "smoking", "research_objection", "deceased",
]  # fmt: skip


def profile_json(p: PatientProfile) -> dict[str, object]:
    """A patient's profile for the API, the page and `oncofed patients show`: fields and every fact."""
    return {
        "id": p.id,
        "centre_id": p.centre_id,
        "display_name": p.display_name,
        "sex": p.sex,
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "age_years": whole_years(p.age_years),
        "primary_cancer": p.primary_cancer,
        "stage": p.stage,
        "ecog": p.ecog,
        "home_city": p.home_city,
        "home": {"latitude": p.home.latitude, "longitude": p.home.longitude} if p.home else None,
        "research_objection": p.research_objection,
        "deceased": p.deceased,
        "facts": [fact_to_json(f) for f in p.facts],
    }


CORRECTED_BY = "corrected by "


def provenance_text(fact: dict[str, Any], lang: str = "en") -> str:
    """Where a fact comes from: its source, record and characters of a note ("chars 51–59" / "car. 51–59")."""
    tr = translator(lang)
    source = str(fact.get("source") or "")
    if source.startswith(CORRECTED_BY):  # services/patients/corrections.py writes it so
        source = tr.gettext("corrected by %(user)s", user=source.removeprefix(CORRECTED_BY))
    parts = [source]
    if fact.get("record"):
        parts.append(place(tr, str(fact["record"])))  # "row 15" -> "ligne 15"
    if fact.get("span"):
        parts.append(tr.gettext("chars %(start)s–%(end)s", start=fact["span"][0], end=fact["span"][1]))
    return " · ".join(p for p in parts if p)


def marked_note(text: str, spans: list[tuple[int, int, str]]) -> Markup:
    """The note's text with each fact's span in a <mark id="span-S-E"> (overlaps: the first wins)."""
    out: list[str] = []
    pos = 0
    for start, end, title in sorted(spans):
        if start < pos or end > len(text):
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f'<mark id="span-{start}-{end}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def notes_of(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for note in (f for f in facts if f["kind"] == "note"):
        spans = [
            (int(f["span"][0]), int(f["span"][1]), f"{f['kind']}: {f.get('display') or f.get('code') or ''}")
            for f in facts
            if f.get("span") and f.get("note_id") == note.get("code") and f["kind"] != "note"
        ]
        out.append(
            {
                "id": note.get("code"),
                "source": note.get("source"),
                "html": marked_note(str(note.get("value") or ""), spans),
            }
        )
    return out


def grouped(facts: list[dict[str, Any]], lang: str = "en") -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for i, f in enumerate(facts):  # the index in the record: what a correction names
        if f["kind"] == "note":
            continue
        groups.setdefault(f["kind"], []).append({**f, "provenance": provenance_text(f, lang), "index": i})
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
