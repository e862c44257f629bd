"""The demo network's tumour boards: one per centre and tumour site with fictional members, expert
boards that take recourse cases, and next week's meetings at the demo accounts' centres with a few
patients on the agenda (not frozen yet)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select

from oncofed.domain import PatientProfile
from oncofed.services.boards.access import utcnow
from oncofed.services.boards.cards import snapshot_of
from oncofed.services.boards.vocabulary import site_for_cancer
from oncofed.services.network.centres import network_centres
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardMemberRow, BoardRow, CaseEventRow, CaseRow, MeetingRow

# How French centres name their boards ("RCP sein", "RCP thoracique"): the demo's boards are those of a
# French network, whatever the reader's language (a board's name is data, like a centre's).
BOARD_NAMES = {
    "breast": "RCP sein",
    "thoracic": "RCP thoracique",
    "digestive": "RCP digestive",
    "gynaecological": "RCP gynécologique",
    "urological": "RCP urologique",
    "haematological": "RCP onco-hématologie",
    "general": "RCP autres cancers",
    "sarcoma": "RCP sarcomes (recours)",
    "molecular": "RCP moléculaire",
}
# The question a referring clinician asks the board, in the network's language (French: a no-break space
# before ":", a narrow one before "?"); like a board's name, it is data and stays as written.
QUESTIONS = {
    "new_case": "Plan de traitement initial\u202f?",
    "recourse": "Avis d'expert demandé par le centre adresseur.",
    "progression": "Progression sous traitement\u00a0: ligne suivante, essai\u202f?",
    "new_line": "Quelle ligne de traitement suivante\u202f?",
}
SITES = ("breast", "thoracic", "digestive", "gynaecological", "urological", "haematological", "general")
RECOURSE_BOARDS = {"sarcoma": "leon-berard", "molecular": "gustave-roussy"}
ACCOUNT_CENTRES = ("curie", "gustave-roussy")  # centres with demo clinician accounts (coordinators)
MEMBERS = [
    ("medical_oncology", "Dr Camille Martin"),
    ("surgery", "Dr Hugo Bernard"),
    ("radiation_oncology", "Dr Léa Dubois"),
    ("pathology", "Dr Nina Laurent"),
    ("radiology", "Dr Paul Moreau"),
    ("organ_specialist", "Dr Inès Girard"),
    ("supportive_care", "Dr Jules Roux"),
    ("nursing", "Mme Sarah Fontaine"),
]


def coordinator(centre_id: str, site: str) -> str:
    return f"clin-{centre_id}" if centre_id in ACCOUNT_CENTRES else f"coord-{centre_id}-{site}"


def board_name(site: str, centre: str) -> str:
    """A demo board's name as a French network writes it: 'RCP sein · Curie'."""
    return f"{BOARD_NAMES.get(site, 'RCP ' + site.replace('_', ' '))} · {centre}"


def create_boards(s: Any, centres: list[str], rng: np.random.Generator) -> dict[tuple[str, str], int]:
    boards: dict[tuple[str, str], int] = {}
    now = utcnow()
    short = {c.id: c.display_name for c in network_centres()}
    wanted = [(c, site, False) for c in centres for site in SITES]
    wanted += [(c, site, True) for site, c in RECOURSE_BOARDS.items() if c in centres]
    for centre_id, site, recourse in wanted:
        row = BoardRow(
            centre_id=centre_id,
            site=site,
            name=board_name(site, short.get(centre_id, centre_id)),
            coordinator=coordinator(centre_id, site),
            accepts_recourse=recourse,
            created_at=now,
        )
        s.add(row)
        s.flush()
        boards[(centre_id, site)] = row.id
        picks = [0, 1, 2, 3, 4] + sorted(rng.choice([5, 6, 7], size=2, replace=False).tolist())
        for k in picks:
            spec, name = MEMBERS[k]
            s.add(BoardMemberRow(board_id=row.id, name=name, specialty=spec, username=""))
    return boards


def upcoming_meetings(
    db: Database, boards: dict[tuple[str, str], int], profiles: list[PatientProfile], rng: np.random.Generator
) -> int:
    """Next week's meetings at the demo accounts' centres, each with a few patients on the agenda
    (progression or a new line after last year's discussion), not frozen yet."""
    when = datetime.combine(date.today() + timedelta(days=7), time(14, 0))
    n = 0
    with db.session() as s:
        latest = {
            pid: cid
            for pid, cid in s.execute(
                select(CaseRow.patient_id, CaseRow.id).where(CaseRow.kind == "new_case")
            )
        }
        for centre_id in ACCOUNT_CENTRES:
            for site in ("breast", "thoracic", "digestive"):
                board_id = boards.get((centre_id, site))
                if board_id is None:
                    continue
                m = MeetingRow(
                    board_id=board_id,
                    scheduled_for=when,
                    status="planned",
                    created_by=coordinator(centre_id, site),
                    created_at=utcnow(),
                )
                s.add(m)
                s.flush()
                mine = [
                    p
                    for p in profiles
                    if p.centre_id == centre_id and site_for_cancer(p.primary_cancer) == site
                ][:4]
                for p in mine:
                    kind = str(rng.choice(["progression", "new_line"]))
                    case = CaseRow(
                        board_id=board_id,
                        meeting_id=m.id,
                        patient_id=p.id,
                        patient_centre_id=centre_id,
                        kind=kind,
                        question=QUESTIONS[kind],
                        status="scheduled",
                        requested_by=coordinator(centre_id, site),
                        requested_at=utcnow(),
                        previous_case_id=latest.get(p.id),
                        snapshot=snapshot_of(p, "system"),
                        snapshot_hash="",
                    )
                    s.add(case)
                    s.flush()
                    s.add(
                        CaseEventRow(
                            case_id=case.id,
                            at=utcnow(),
                            user_id=case.requested_by,
                            action="put on agenda",
                            detail=json.dumps({"kind": kind, "meeting_id": m.id}, sort_keys=True),
                        )
                    )
                    n += 1
    return n
