"""A tumour-board case's trail said in the reader's language: the services store each event's code and
parameters (JSON in `board_case_events.detail`), the presenter says them; rows stored before as English
sentences ("8 candidate trials, 4 new, matched for 2026-12-13") are read back into the same parameters, and a
sentence of no known shape is shown as written."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from oncofed.presenters.board_trail import event_said, trail_rows
from oncofed.services.boards.trail_params import event_params
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseEventRow, CaseRow
from oncofed.synthetic.board_network import QUESTIONS

SHA = "ab" * 32
# (action, the former English sentence, its parameters read back, French said, English said)
FORMER = [
    (
        "frozen",
        "8 candidate trials, 4 new, matched for 2026-12-13",
        {"candidates": 8, "new": 4, "on": "2026-12-13"},
        "8 essais candidats, 4 nouveaux\u202f; apparié pour la réunion du 13 déc. 2026",
        "8 candidate trials, 4 new; matched for the meeting of 13 Dec 2026",
    ),
    (
        "frozen",
        "1 candidate trial, 1 new, matched for 2026-12-13",
        {"candidates": 1, "new": 1, "on": "2026-12-13"},
        "1 essai candidat, 1 nouveau\u202f; apparié pour la réunion du 13 déc. 2026",
        "1 candidate trial, 1 new; matched for the meeting of 13 Dec 2026",
    ),
    (
        "put on agenda",
        "progression; meeting 7",
        {"kind": "progression", "meeting_id": 7},
        "Progression\u202f; réunion 7",
        "Progression; meeting 7",
    ),
    (
        "recourse requested",
        "recourse; meeting -",
        {"kind": "recourse", "meeting_id": None},
        "Recours à la RCP d'un autre centre\u202f; pas encore de réunion",
        "Recourse to another centre's board; no meeting yet",
    ),
    (
        "scheduled",
        "meeting 3 on 2026-12-13 14:00",
        {"meeting_id": 3, "scheduled_for": "2026-12-13T14:00"},
        "réunion 3 du 13 déc. 2026 14:00",
        "meeting 3 on 13 Dec 2026 14:00",
    ),
    (
        "decided",
        "systemic, trial; 3 specialties; proposed: NCT01, NCT02",
        {"settings": ["systemic", "trial"], "specialties": 3, "proposed": ["NCT01", "NCT02"]},
        "Traitement systémique, Essai clinique\u202f; 3 spécialités\u202f; essais proposés\u00a0: NCT01, NCT02",
        "Systemic therapy, Clinical trial; 3 specialties; proposed trials: NCT01, NCT02",
    ),
    (
        "decision changed",
        "surgery; 1 specialties; proposed: none",
        {"settings": ["surgery"], "specialties": 1, "proposed": []},
        "Chirurgie\u202f; 1 spécialité\u202f; aucun essai proposé",
        "Surgery; 1 specialty; no trial proposed",
    ),
    (
        "re-opened",
        "new biomarker result: ESR1 Y537S; after case 12; new trials: none",
        {
            "reason": "new biomarker result: ESR1 Y537S",
            "kind": "new_biomarker",
            "what": "ESR1 Y537S",
            "previous_case_id": 12,
            "new_trials": [],
        },
        "Nouveau résultat de biomarqueur\u00a0: ESR1 Y537S\u202f; après le cas 12\u202f; aucun nouvel essai",
        "New biomarker result: ESR1 Y537S; after case 12; no new trial",
    ),
    (
        "pre-screening",
        "NCT01: listed (flagged on the pre-screening list of NCT01 at curie)",
        {
            "trial_id": "NCT01",
            "status": "listed",
            "note": "flagged on the pre-screening list of NCT01 at curie",
        },
        "NCT01\u00a0: inscrit sur la liste de pré-screening",
        "NCT01: on the pre-screening list",
    ),
    (
        "signed",
        f"by clin-curie; record SHA-256 {SHA}",
        {"by": "clin-curie", "sha256": SHA},
        f"par clin-curie\u202f; empreinte SHA-256 de la fiche {SHA}",
        f"by clin-curie; record SHA-256 {SHA}",
    ),
    ("decided", "demo history", {"demo": True}, "historique (démo)", "demo history"),
]


@pytest.mark.parametrize(("action", "stored", "params", "fr", "en"), FORMER, ids=[f[1][:30] for f in FORMER])
def test_a_former_english_sentence_is_read_back_and_said_in_both_languages(
    action: str, stored: str, params: dict[str, object], fr: str, en: str
) -> None:
    event = {"action": action, **event_params(action, stored)}
    assert event["params"] == params and event["detail"] == ""
    assert event_said(event, "fr") == fr
    assert event_said(event, "en") == en
    # stored as the services store it now (JSON), the same words
    now = {"action": action, **event_params(action, json.dumps(params))}
    assert (event_said(now, "fr"), event_said(now, "en")) == (fr, en)


def test_no_english_of_the_services_is_left_in_the_french_trail() -> None:
    said = [
        row["said"] for row in trail_rows([{"action": a, **event_params(a, s)} for a, s, *_ in FORMER], "fr")
    ]
    english = re.compile(r"\b(candidate|matched|meeting|specialties|proposed|after case|new trials|by)\b")
    assert not [s for s in said if english.search(s)], said


def test_a_sentence_of_no_known_shape_is_shown_as_written() -> None:
    for action, stored in (("frozen", "something else"), ("a new event", "3 things"), ("decided", "")):
        event = {"action": action, **event_params(action, stored)}
        assert event["params"] is None and event_said(event, "fr") == stored
    broken = {"action": "frozen", **event_params("frozen", "{not json")}
    assert event_said(broken, "fr") == "{not json"


def test_the_demo_boards_ask_their_questions_in_the_networks_french(demo_db: Database) -> None:
    """The demo network is French: its boards' questions were English ("Initial treatment plan?",
    "Next line of treatment?") on French pages; they are the clinicians' words (data), written in French."""
    with demo_db.session() as s:
        questions = set(s.scalars(select(CaseRow.question)))
    assert questions and questions <= set(QUESTIONS.values()), questions - set(QUESTIONS.values())
    english = re.compile(
        r"\b(treatment|line|requested|referring|next|opinion|progression on)\b", re.IGNORECASE
    )
    assert not [q for q in questions if english.search(q)], questions
    assert all(re.search(r"\u202f\?$|\.$", q) for q in questions), questions  # French typography
    with demo_db.session() as s:  # the seeded trail says its events in French too
        stored = list(s.execute(select(CaseEventRow.action, CaseEventRow.detail).limit(400)))
    said = [event_said({"action": a, **event_params(a, d)}, "fr") for a, d in stored]
    assert said and not [x for x in said if re.search(r"\b(meeting|demo history|record)\b", x)], said[:10]
