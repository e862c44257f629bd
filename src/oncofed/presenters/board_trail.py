"""A tumour-board case's trail said in the reader's language.

The board services store each event's code and parameters (`services/boards/access.trail`; rows written
before are read back into parameters by `services/boards/trail_params.py`); this module says them: counts
through plural messages, dates through `day()`, the board vocabulary's words for kinds and settings, a
re-opening's findings (a disease status, a metastasis site, a line of treatment) and why a trial could not be
listed. Trial ids, user names, drug and biomarker names and digests are data and stay as written."""

from __future__ import annotations

import re
from typing import Any

from oncofed.presenters.i18n import Translator, translator
from oncofed.services.boards.reopen import REOPEN_QUESTION
from oncofed.services.boards.trail_params import not_listed_error, reopen_findings
from oncofed.services.boards.vocabulary import label as board_label


def _separator(tr: Translator) -> str:
    return str(tr.pgettext("list separator", "; "))


def _agenda(tr: Translator, p: dict[str, Any]) -> list[str]:
    kind = board_label("case_kinds", str(p.get("kind") or ""), tr.lang)
    meeting = p.get("meeting_id")
    where = (
        tr.gettext("meeting %(meeting)s", meeting=meeting)
        if meeting is not None
        else tr.gettext("no meeting yet")
    )
    return [kind, where]


def _frozen(tr: Translator, p: dict[str, Any]) -> list[str]:
    n, new = int(p.get("candidates") or 0), int(p.get("new") or 0)
    return [
        tr.ngettext("%(num)s candidate trial", "%(num)s candidate trials", n, num=tr.number(n))
        + ", "
        + tr.ngettext("%(num)s new", "%(num)s new", new, num=tr.number(new)),
        tr.gettext("matched for the meeting of %(day)s", day=tr.day(p.get("on"))),
    ]


def _decided(tr: Translator, p: dict[str, Any]) -> list[str]:
    settings = ", ".join(board_label("settings", str(s), tr.lang) for s in p.get("settings") or [])
    n = int(p.get("specialties") or 0)
    proposed = list(p.get("proposed") or [])
    parts = [settings] if settings else []
    parts.append(tr.ngettext("%(num)s specialty", "%(num)s specialties", n, num=tr.number(n)))
    parts.append(
        tr.ngettext(
            "proposed trial: %(trials)s",
            "proposed trials: %(trials)s",
            len(proposed),
            trials=", ".join(proposed),
        )
        if proposed
        else tr.gettext("no trial proposed")
    )
    return parts


def _finding(tr: Translator, f: dict[str, Any]) -> str:
    if "status" in f:
        return tr.label("b_progress", f["status"])
    if "metastasis" in f:
        return tr.gettext("new metastasis (%(site)s)", site=tr.label("b_met_site", f["metastasis"]))
    if "treatment" in f:
        return tr.gettext("progressive disease on %(treatment)s", treatment=f["treatment"])
    if "line" in f:
        said = (
            tr.gettext("line %(num)s of treatment", num=tr.number(f["line"]))
            if f["line"]
            else tr.gettext("new treatment")
        )
        return said + (f" ({', '.join(f['drugs'])})" if f.get("drugs") else "")
    return str(f.get("biomarker") or f.get("text") or "")


def reopen_said(reason: str | None, lang: str) -> str:
    """A re-opening's reason (`reopen_reason`, as services/boards/reopen.py stores it) in `lang`: its kind
    and findings in the reader's words; a reason of no known shape as written."""
    kind, findings = reopen_findings(str(reason or ""))
    tr = translator(lang)
    said = ", ".join(x for x in (_finding(tr, f) for f in findings) if x)
    if kind is None:
        return said
    return board_label("case_kinds", kind, tr.lang) + (tr.colon() + said if said else "")


def question_said(question: str | None, lang: str) -> str:
    """A case's question to the board: a person's words as typed; the question services/boards/reopen.py
    writes for a re-opened case ("Re-discussion after an event in the record: <reason>") said in `lang`."""
    q = str(question or "")
    if not q.startswith(REOPEN_QUESTION):
        return q
    reason = reopen_said(q[len(REOPEN_QUESTION) :], lang)
    return translator(lang).gettext("Re-discussion after an event in the record: %(reason)s", reason=reason)


def _reopened(tr: Translator, p: dict[str, Any]) -> list[str]:
    if p.get("reason"):
        reason = reopen_said(str(p["reason"]), tr.lang)
    else:  # parameters without the reason's words: the kind, and what it found as stored
        kind, what = str(p.get("kind") or ""), str(p.get("what") or "")
        reason = (
            board_label("case_kinds", kind, tr.lang) + (tr.colon() + what if what else "") if kind else what
        )
    new = list(p.get("new_trials") or [])
    return [
        reason,
        tr.gettext("after case %(case)s", case=p.get("previous_case_id")),
        tr.ngettext("new trial: %(trials)s", "new trials: %(trials)s", len(new), trials=", ".join(new))
        if new
        else tr.gettext("no new trial"),
    ]


def _screening(tr: Translator, p: dict[str, Any]) -> list[str]:
    said = str(p.get("trial_id") or "") + tr.colon() + tr.label("b_screening", p.get("status") or "")
    return [said, not_listed_said(p, tr.lang)] if p.get("status") == "not_listed" else [said]


# the note a board's proposal leaves on the patient's pre-screening entry (services/boards/decisions.py:
# enter_screening), said in the reader's language; any other note (a person's) stays as written
_PROPOSAL_NOTE = re.compile(
    r"Proposed by the tumour board (?P<board>.+) on (?P<day>\d{4}-\d\d-\d\d)? ?\(case (?P<case>\d+)\)"
)


def screening_note_said(note: str, lang: str) -> str:
    """A pre-screening entry's note in `lang` when a board's proposal wrote it, else as written."""
    found = _PROPOSAL_NOTE.fullmatch(note.strip())
    if found is None:
        return note
    tr = translator(lang)
    return tr.gettext(
        "Proposed by the tumour board %(board)s on %(day)s (case %(case)s)",
        board=found.group("board"),
        day=tr.day(found.group("day")) if found.group("day") else "—",
        case=found.group("case"),
    )


def not_listed_said(p: dict[str, Any], lang: str) -> str:
    """Why a proposed trial could not be put on the pre-screening list (`note`: the pre-screening service's
    English message; `error`: its class, when stored): the message as written in English (its exact words),
    its class in the reader's words in another language."""
    note = str(p.get("note") or "")
    if lang == "en" and note:
        return note
    return translator(lang).label("b_not_listed", not_listed_error(p))


def _signed(tr: Translator, p: dict[str, Any]) -> list[str]:
    parts = [tr.gettext("by %(who)s", who=p["by"])] if p.get("by") else []
    return [*parts, tr.gettext("record SHA-256 %(digest)s", digest=p.get("sha256") or "")]


_SAYS = {
    "put on agenda": _agenda,
    "recourse requested": _agenda,
    "scheduled": lambda tr, p: [
        tr.gettext(
            "meeting %(meeting)s on %(when)s",
            meeting=p.get("meeting_id"),
            when=tr.day(p.get("scheduled_for"), time=True),
        )
    ],
    "frozen": _frozen,
    "decided": _decided,
    "decision changed": _decided,
    "re-opened": _reopened,
    "pre-screening": _screening,
    "signed": _signed,
}


def event_said(event: dict[str, Any], lang: str) -> str:
    """One trail event's detail in `lang` (an event the services stored as a sentence of no known shape
    is shown as it was written)."""
    params = event.get("params")
    if params is None:
        return str(event.get("detail") or "")
    tr = translator(lang)
    if params.get("demo"):  # seeded by the demo network (synthetic/boards.py)
        return tr.label("b_screening", "history")
    say = _SAYS.get(str(event.get("action")))
    if say is None:
        return str(event.get("detail") or "")
    return _separator(tr).join(part for part in say(tr, params) if part)


def trail_rows(events: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The events with their detail said in `lang` (`said`): the page, the JSON twin and the CSV."""
    return [{**e, "said": event_said(e, lang)} for e in events]


# a case trail's CSV (page, API and `oncofed boards case --csv --table events`): the event's code and its
# words in the reader's language, and the detail said in that language
TRAIL_COLUMNS = ["at", "user_id", "action", "what", "detail"]


def trail_csv_rows(events: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The rows of a trail's CSV from `trail_rows`' events (their `said`)."""
    tr = translator(lang)
    return [
        {
            "at": e.get("at"),
            "user_id": e.get("user_id"),
            "action": e.get("action"),
            "what": tr.label("b_event", e.get("action")),
            "detail": e.get("said") or "",
        }
        for e in events
    ]


__all__ = [
    "TRAIL_COLUMNS", "event_said", "not_listed_said", "question_said", "reopen_said", "screening_note_said",
    "trail_csv_rows", "trail_rows",
]  # fmt: skip
