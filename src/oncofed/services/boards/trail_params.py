"""A case trail event's parameters, read back from what is stored (`board_case_events.detail`).

Since the trail became language-free, `access.trail` stores the event's parameters as JSON; rows written
before held an English sentence per event. Those sentences have one shape per event code and are read back
here into the same parameters, so an old trail is said in the reader's language too; a sentence of no
known shape is kept as written (`detail`)."""

from __future__ import annotations

import json
import re
from typing import Any

from oncofed.services.boards.vocabulary import PROGRESSION_STATUSES, REASON_OPENINGS

# the former sentences, one per event code (services/boards before the trail said parameters)
_FORMER: dict[str, re.Pattern[str]] = {
    "put on agenda": re.compile(r"(?P<kind>\w+); meeting (?P<meeting_id>\d+|-)"),
    "recourse requested": re.compile(r"(?P<kind>\w+); meeting (?P<meeting_id>\d+|-)"),
    "scheduled": re.compile(r"meeting (?P<meeting_id>\d+) on (?P<scheduled_for>\d{4}-\d\d-\d\d \d\d:\d\d)"),
    "frozen": re.compile(
        r"(?P<candidates>\d+) candidate trials?, (?P<new>\d+) new, matched for (?P<on>\d{4}-\d\d-\d\d)"
    ),
    "decided": re.compile(
        r"(?P<settings>[\w, ]*); (?P<specialties>\d+) specialties; proposed: (?P<proposed>.*)"
    ),
    "re-opened": re.compile(
        r"(?P<reason>.+); after case (?P<previous_case_id>\d+); new trials: (?P<new_trials>.*)"
    ),
    "pre-screening": re.compile(r"(?P<trial_id>[^:]+): (?P<status>\w+) \((?P<note>.*)\)"),
    "signed": re.compile(r"by (?P<by>\S+); record SHA-256 (?P<sha256>[0-9a-f]{64})"),
}
_FORMER["decision changed"] = _FORMER["decided"]
# a re-opening's reason began with its kind's words (reopen.detect_events)
_REASON_KINDS = {words: kind for kind, words in REASON_OPENINGS.items()}
_INTS = ("meeting_id", "candidates", "new", "specialties", "previous_case_id")
_LISTS = ("settings", "proposed", "new_trials")


def event_params(action: str, stored: str) -> dict[str, Any]:
    """`{"params": {...}, "detail": ""}` for an event whose parameters are known (stored as JSON, or read
    back from a former sentence); `{"params": None, "detail": stored}` otherwise."""
    if stored == "demo history":  # the demo's seeded events (synthetic/boards.py)
        return {"params": {"demo": True}, "detail": ""}
    if stored.startswith("record SHA-256 "):  # the demo's seeded signatures
        return {"params": {"sha256": stored.removeprefix("record SHA-256 ")}, "detail": ""}
    if stored.startswith("{"):
        try:
            params = json.loads(stored)
        except ValueError:
            params = None
        if isinstance(params, dict):
            return {"params": params, "detail": ""}
    shape = _FORMER.get(action)
    found = shape.fullmatch(stored) if shape else None
    if found is None:
        return {"params": None, "detail": stored}
    params = dict(found.groupdict())
    for key in _INTS:
        if key in params:
            params[key] = None if params[key] == "-" else int(params[key])
    for key in _LISTS:
        if key in params:
            params[key] = [x for x in re.split(r",\s*", params[key]) if x and x != "none"]
    if action == "re-opened":
        for words, kind in _REASON_KINDS.items():
            if params["reason"].startswith(words):
                params["kind"], params["what"] = kind, params["reason"][len(words) :]
    if action == "scheduled":
        params["scheduled_for"] = params["scheduled_for"].replace(" ", "T")
    return {"params": params, "detail": ""}


# what a re-opening found, as reopen.detect_events words it after its kind ("progression: relapsed, new
# liver metastasis, TAMOXIFEN: progressive disease"; "new line of treatment: line 2 (A, B)"; "new biomarker
# result: ESR1 Y537S"): read back into codes (a status, a metastasis site, a line) and data (drug, biomarker)
_METASTASIS = re.compile(r"new (?P<site>\S+) metastasis")
_TREATMENT_PD = re.compile(r"(?P<treatment>.+): progressive disease")
_LINE = re.compile(r"(?:line (?P<line>\d+)|new treatment)(?: \((?P<drugs>.*)\))?")


def reopen_findings(reason: str) -> tuple[str | None, list[dict[str, Any]]]:
    """(case kind, findings) read from a re-opening's stored reason: each finding is one of
    `{"status": code}`, `{"metastasis": site}`, `{"treatment": drug}` (progressive disease on it),
    `{"line": n, "drugs": [...]}` (`line` None: a new treatment), `{"biomarker": "ESR1 Y537S"}`, or
    `{"text": words}` for words of no known shape (shown as written). Kind None: no known kind."""
    words = next((w for w in _REASON_KINDS if reason.startswith(w)), None)
    if words is None:
        return None, [{"text": reason}] if reason else []
    kind, what = _REASON_KINDS[words], reason[len(words) :]
    if kind == "new_line":
        found = _LINE.fullmatch(what)
        if found is None:
            return kind, [{"text": what}]
        line, drugs = found.group("line"), found.group("drugs")
        return kind, [
            {"line": int(line) if line else None, "drugs": re.split(r",\s*", drugs) if drugs else []}
        ]
    if kind == "new_biomarker":
        return kind, [{"biomarker": x} for x in what.split(", ") if x]
    findings: list[dict[str, Any]] = []
    for item in (x for x in what.split(", ") if x):
        met, pd = _METASTASIS.fullmatch(item), _TREATMENT_PD.fullmatch(item)
        if item in PROGRESSION_STATUSES:
            findings.append({"status": item})
        elif met is not None:
            findings.append({"metastasis": met.group("site")})
        elif pd is not None:
            findings.append({"treatment": pd.group("treatment")})
        else:
            findings.append({"text": item})
    return kind, findings


# why a trial could not be put on the pre-screening list: the error's class (decisions.record_screening
# stores it as `error`); rows stored before only kept the error's message, classified here by its words
_NOT_LISTED = (
    ("conflict", re.compile(r"changed by someone else|at the same moment")),
    ("not_found", re.compile(r"^no |not found|not proposed")),
)


def not_listed_error(params: dict[str, Any]) -> str:
    """`conflict`, `not_found` or `refused` (the list refused the change: a status or input it does not
    take) for a pre-screening step whose trial could not be listed."""
    stored = str(params.get("error") or "")
    if stored in ("conflict", "not_found", "refused"):
        return stored
    note = str(params.get("note") or "")
    return next((code for code, words in _NOT_LISTED if words.search(note)), "refused")


__all__ = ["event_params", "not_listed_error", "reopen_findings"]
