"""Tumour-board shapes shared by the web and the CLI: CSV columns and rows, and the RCP record
(one template, `presenters/templates/board_record_body.html`, for the page, the PDF and the CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oncofed.domain import Actor
from oncofed.presenters.documents import render_document
from oncofed.presenters.i18n import translator
from oncofed.services.boards.cases import case_detail
from oncofed.services.boards.vocabulary import label, vocabulary
from oncofed.store.db import Database

BOARD_COLUMNS = [
    "id",
    "name",
    "centre_id",
    "centre",
    "site",
    "coordinator",
    "accepts_recourse",
    "next_meeting",
    "waiting",
]
CASE_COLUMNS = [
    "case_id",
    "patient_id",
    "patient_centre",
    "kind",
    "status",
    "question",
    "reopen_reason",
    "n_candidates",
    "n_proposed",
    "meeting_id",
    "requested_by",
    "requested_at",
]
MEETING_COLUMNS = ["id", "board_id", "scheduled_for", "status", "frozen_at", "frozen_by", "cases"]
CANDIDATE_COLUMNS = [
    "trial_id",
    "title",
    "verdict",
    "score",
    "new",
    "site_centre_id",
    "distance_km",
    "network_sites",
    "to_check",
    "against",
    "proposed",
    "reason",
    "criterion",
    "screening",
]
PATIENT_BOARD_COLUMNS = [
    "case_id",
    "board",
    "board_centre",
    "meeting_day",
    "kind",
    "status",
    "proposal",
    "settings",
    "proposed_trials",
    "signed_at",
]
FACT_COLUMNS = ["kind", "code", "display", "value", "unit", "when", "negated", "provenance"]
RECORD_CSS = Path(__file__).resolve().parents[1] / "web" / "static" / "boards-record.css"


def candidate_rows(case: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in case["candidates"]:
        d = c.get("decision") or {}
        out.append(
            {
                **{
                    k: c.get(k)
                    for k in ("trial_id", "title", "verdict", "score", "new", "site_centre_id", "distance_km")
                },
                "network_sites": " ".join(c.get("network_sites") or []),
                "to_check": " | ".join(x["criterion"] for x in c.get("to_check") or []),
                "against": " | ".join(x["criterion"] for x in c.get("against") or []),
                "proposed": d.get("proposed", ""),
                "reason": d.get("reason", ""),
                "criterion": d.get("criterion", ""),
                "screening": d.get("screening", ""),
            }
        )
    return out


def card_lists(candidate: dict[str, Any]) -> dict[str, Any]:
    """What a board reads of one candidate trial, most decisive first: `not_met` (what the data says
    against the patient, then the readings held back by the decision policy, "probably not met: check"),
    `to_check` (the other unknowns, those only the investigator decides last), `met` (None on a card
    frozen before the card kept them: the count is then not known)."""
    unknown = candidate.get("to_check") or []
    held = [x for x in unknown if x.get("held_back")]
    rest = [x for x in unknown if not x.get("held_back")]
    return {
        "not_met": [*(candidate.get("against") or []), *held],
        "against": len(candidate.get("against") or []),
        "held": len(held),
        "to_check": [x for x in rest if not x.get("investigator")]
        + [x for x in rest if x.get("investigator")],
        "met": candidate.get("met"),
    }


def patient_board_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**r, "settings": ", ".join(r["settings"]), "proposed_trials": " ".join(r["proposed_trials"])}
        for r in rows
    ]


def labels(lang: str) -> dict[str, dict[str, str]]:
    """Every vocabulary group as code -> label in `lang` (templates and forms)."""
    return {
        group: {code: label(group, code, lang) for code in entries} for group, entries in vocabulary().items()
    }


def record_context(case: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "case": case,
        "lab": labels(lang),
        "card_lists": card_lists,
        "record_css": RECORD_CSS.read_text(encoding="utf-8") if RECORD_CSS.is_file() else "",
    }


def record_title(case: dict[str, Any], lang: str) -> str:
    record, case_word = translator(lang).gettext("RCP record"), translator(lang).gettext("Case")
    return f"{record} · {case['board']['name']} · {case_word} {case['case_id']}"


def record_document(db: Database, actor: Actor, case_id: int, lang: str) -> str:
    """The RCP record as a standalone HTML document (styles inlined): prints, opens offline, and is
    what the PDF is made from."""
    case = case_detail(db, actor, case_id, lang=lang)
    return render_document(
        "board_record_body.html", lang, record_title(case, lang), **record_context(case, lang)
    )


def record_pdf(html: str) -> bytes:
    """The record's HTML as PDF (WeasyPrint: HTML + CSS to PDF, offline, with the machine's fonts)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
