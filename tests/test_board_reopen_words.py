"""A re-opened case's findings and a trial that could not be listed, said in the reader's language.

`services/boards/reopen.py` words a re-opening's findings in English after its kind ("progression: relapsed,
new liver metastasis, TAMOXIFEN: progressive disease"); the card's "Re-opened" line and the trail showed them
so on French pages. The kind, a disease status, a metastasis site and a line of treatment are codes said in
the reader's words; drug and biomarker names are data kept as stored; words of no known shape as written.
The pre-screening service's error when a trial could not be listed is English: said by its class."""

from __future__ import annotations

import json
import re

import pytest

from oncofed.domain import Fact, PatientProfile
from oncofed.presenters.board_trail import event_said, reopen_said
from oncofed.services.boards.cards import snapshot_of
from oncofed.services.boards.reopen import detect_events
from oncofed.services.boards.trail_params import event_params, not_listed_error, reopen_findings

# (the stored reason, French said, English said)
REASONS = [
    (
        "progression: relapsed, new liver metastasis, new lymph_node metastasis, TAMOXIFEN: progressive disease",
        "Progression\u00a0: en rechute, nouvelle métastase (foie), nouvelle métastase (ganglions), "
        "progression sous TAMOXIFEN",
        "Progression: relapsed, new metastasis (liver), new metastasis (lymph node), "
        "progressive disease on TAMOXIFEN",
    ),
    (
        "new line of treatment: line 2 (PALBOCICLIB, FULVESTRANT)",
        "Nouvelle ligne de traitement\u00a0: ligne 2 de traitement (PALBOCICLIB, FULVESTRANT)",
        "New line of treatment: line 2 of treatment (PALBOCICLIB, FULVESTRANT)",
    ),
    (
        "new line of treatment: new treatment (OLAPARIB)",
        "Nouvelle ligne de traitement\u00a0: nouveau traitement (OLAPARIB)",
        "New line of treatment: new treatment (OLAPARIB)",
    ),
    (
        "new biomarker result: ESR1 Y537S, PIK3CA H1047R",
        "Nouveau résultat de biomarqueur\u00a0: ESR1 Y537S, PIK3CA H1047R",
        "New biomarker result: ESR1 Y537S, PIK3CA H1047R",
    ),
    # words of no known shape (an old row, a hand-made reason): as written
    ("progression: something unforeseen", "Progression\u00a0: something unforeseen", None),
    ("a reason typed by hand", "a reason typed by hand", "a reason typed by hand"),
]


@pytest.mark.parametrize(("reason", "fr", "en"), REASONS, ids=[r[0][:25] for r in REASONS])
def test_a_reopening_reason_is_said_in_the_readers_language(reason: str, fr: str, en: str | None) -> None:
    assert reopen_said(reason, "fr") == fr
    if en is not None:
        assert reopen_said(reason, "en") == en


def test_no_english_finding_is_left_on_a_french_page() -> None:
    english = re.compile(r"\b(new|metastasis|line|treatment|progressive disease|relapsed|liver)\b")
    said = [reopen_said(r, "fr") for r, *_ in REASONS[:4]]
    assert not [s for s in said if english.search(s)], said


def test_the_reasons_reopen_writes_are_all_read_back() -> None:
    """The parser follows reopen.detect_events: every reason it writes is read into codes, none as text."""

    def fact(kind: str, code: str, value: object = None, **attrs: object) -> Fact:
        return Fact(kind, code=code, value=value, attributes=dict(attrs))

    base = [fact("treatment", "letrozole", line=1), fact("biomarker", "ER", "positive")]
    before = snapshot_of(PatientProfile("p", "curie", facts=base), "t")
    cases = [
        [
            fact("disease_status", "relapsed"),
            fact("metastasis", "liver"),
            fact("metastasis", "adrenal_gland"),
        ],
        [fact("treatment", "letrozole", line=1, best_response="PD")],
        [fact("treatment", "palbociclib", line=2)],
        [fact("treatment", "olaparib")],
        [fact("biomarker", "ESR1", "Y537S")],
    ]
    for extra in cases:
        found = detect_events(before, PatientProfile("p", "curie", facts=[*base, *extra]))
        assert found is not None
        kind, findings = reopen_findings(found[1])
        assert kind == found[0] and findings and not [f for f in findings if "text" in f], (found, findings)
        assert not re.search(r"\b(new|line|metastasis)\b", reopen_said(found[1], "fr")), found


def test_the_trail_says_a_reopening_stored_now_and_before() -> None:
    reason = "progression: new bone metastasis"
    now = {"kind": "progression", "reason": reason, "what": "new bone metastasis", "previous_case_id": 4}
    before = f"{reason}; after case 4; new trials: none"
    for stored in (json.dumps({**now, "new_trials": []}), before):
        event = {"action": "re-opened", **event_params("re-opened", stored)}
        assert event_said(event, "fr") == (
            "Progression\u00a0: nouvelle métastase (os)\u202f; après le cas 4\u202f; aucun nouvel essai"
        )


@pytest.mark.parametrize(
    ("note", "error", "code"),
    [
        ("candidate p1 was changed by someone else since you opened it (x)", None, "conflict"),
        ("no pre-screened candidate 'p1' for trial NCT01", None, "not_found"),
        ("cannot change status from 'excluded' to 'flagged'", None, "refused"),
        ("whatever the service said", "conflict", "conflict"),  # stored now: the error's class
    ],
)
def test_a_trial_that_could_not_be_listed_is_said_by_its_error(
    note: str, error: str | None, code: str
) -> None:
    params = {
        "trial_id": "NCT01",
        "status": "not_listed",
        "note": note,
        **({"error": error} if error else {}),
    }
    assert not_listed_error(params) == code
    event = {"action": "pre-screening", **event_params("pre-screening", json.dumps(params))}
    fr, en = event_said(event, "fr"), event_said(event, "en")
    assert fr.startswith("NCT01\u00a0: non inscrit\u202f; ") and note not in fr, fr
    assert not re.search(r"\b(candidate|changed|trial|status|cannot|service)\b", fr), fr
    assert en == f"NCT01: not listed; {note}"  # in English, the service's own exact words
