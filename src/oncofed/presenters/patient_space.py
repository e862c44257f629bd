"""A patient's own space said in plain words, in the reader's language: who accessed the record, why a
trial is shown, and the CSV columns of each table (services/patient_space)."""

from __future__ import annotations

from typing import Any

from oncofed.presenters.i18n import N_, translator
from oncofed.presenters.patients import grouped, profile_json, provenance_text

RECORD_COLUMNS = ["kind", "what", "value", "unit", "when", "negated", "where_from"]
ACCESS_COLUMNS = ["at", "who", "centres", "purpose", "action", "refused"]
TRIAL_COLUMNS = ["trial_id", "title", "why", "centre", "city"]
EXPORT_COLUMNS = ["section", "item", "field", "value"]

WHO = {
    "you": N_("you"),
    "operator": N_("a platform operator (command line)"),
}
# the plain sentence of a matched trial, by verdict
WHY = {
    "eligible": N_("Your record meets every condition the platform could read (%(met)s)."),
    "unknown": N_(
        "Your record meets %(met)s of the conditions read; %(to_check)s cannot be settled from your record "
        "and would be checked by your care team."
    ),
}
HOW = {
    "referral": N_("Your doctor referred you to this trial."),
    "flagged": N_("The research team of your centre set this trial aside for you."),
    "eligible": N_("The research team of your centre found you may be eligible."),
    "contacted": N_("The research team of your centre has contacted you about this trial."),
    "enrolled": N_("You are taking part in this trial."),
}


def who_said(row: dict[str, Any], lang: str) -> str:
    tr = translator(lang)
    message = WHO.get(row["who"])
    if message is not None:
        return tr.gettext(message)
    return tr.label("role", row["role"])


def centres_said(row: dict[str, Any], lang: str) -> str:
    tr = translator(lang)
    return ", ".join(tr.gettext("every centre") if c == "*" else c for c in row["centres"])


def access_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    tr = translator(lang)
    return [
        {
            "at": r["at"],
            "who": who_said(r, lang),
            "centres": centres_said(r, lang),
            "purpose": tr.label("purpose", r["purpose"]),
            "action": tr.label("audit_action", r["action"]),
            "refused": tr.gettext("refused") if r["refused"] else "",
            "is_you": r["who"] == "you",
        }
        for r in rows
    ]


def record_rows(facts: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    tr = translator(lang)
    return [
        {
            "kind": tr.label("kind", f["kind"]),
            "what": f.get("display") or f.get("code") or "",
            "value": f.get("value", ""),
            "unit": f.get("unit", ""),
            "when": f.get("when", ""),
            "negated": tr.gettext("absent") if f.get("negated") else "",
            "where_from": provenance_text(f, lang),
        }
        for f in facts
        if f["kind"] != "note"
    ]


def matched_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    tr = translator(lang)
    return [
        {
            **r,
            "why": tr.gettext(message, met=r["met"], to_check=r["to_check"]),
        }
        for r in rows
        for message in [WHY["eligible"] if r["verdict"] == "eligible" else WHY["unknown"]]
    ]


def proposal_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    tr = translator(lang)
    return [
        {**r, "why": tr.gettext(message)} for r in rows for message in [HOW.get(r["how"]) or HOW["flagged"]]
    ]


def export_json(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out["profile"] = profile_json(data["profile"])
    out.pop("facts", None)  # the profile holds every fact with its provenance
    return out


def export_rows(data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Everything in one long CSV: (section, item, field, value) rows, a spreadsheet's filter away."""
    rows: list[dict[str, Any]] = []
    profile = profile_json(data["profile"])
    for key, value in profile.items():
        if key != "facts":
            rows.append({"section": "record", "item": "", "field": key, "value": value})
    for i, f in enumerate(record_rows(profile["facts"], lang), start=1):  # type: ignore[arg-type]
        rows += [{"section": "facts", "item": i, "field": k, "value": v} for k, v in f.items()]
    for i, a in enumerate(access_rows(data["access"], lang), start=1):
        rows += [{"section": "access", "item": i, "field": k, "value": a[k]} for k in ACCESS_COLUMNS]
    rows.append(
        {"section": "objection", "item": "", "field": "objecting", "value": data["objection"]["objecting"]}
    )
    for i, c in enumerate(data["objection"]["history"], start=1):
        rows += [{"section": "objection history", "item": i, "field": k, "value": v} for k, v in c.items()]
    for i, r in enumerate(data["contact_requests"], start=1):
        rows += [{"section": "contact requests", "item": i, "field": k, "value": v} for k, v in r.items()]
    return rows


__all__ = ["grouped", "profile_json"]
