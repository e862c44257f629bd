"""What an audit entry's detail says, stored language-free: a code and its parameters (JSON in the
hashed `detail` column, with the request it came from), said in English here (logs, the default CLI,
`audit.search`) and in the reader's language by `presenters/audit_words.py` (the audit page, the API,
its CSV, `oncofed --lang fr audit list`).

An entry written before details were coded holds English text: it is shown as it was written (the hash
chain forbids rewriting it). A code this version does not know is shown as its stored JSON."""

from __future__ import annotations

import json
from typing import Any

from oncofed.errors import N_, format_message, part

# code -> English message id (`N_`, extracted by `make i18n`); parameters as `errors.format_message` takes
DETAILS: dict[str, str] = {
    "refused.other_centre": N_("%(what)s: outside the caller's centres"),
    "refused.objection": N_("%(what)s: objects to research use"),
    "refused.board_centre": N_("%(what)s: board of another centre"),
    "refused.case_centre": N_("%(what)s: case outside the caller's centres"),
    "refused.centre_scope": N_("%(what)s: centre outside the caller's scope"),
    "refused.import_centre": N_("centre out of scope"),
    "refused.import_report": N_("%(kind)s import report of %(user)s"),
    "patient.import": N_("files: %(files)s, rejected: %(rejected)s, warnings: %(warnings)s"),
    "patient.correct": N_("%(change)s %(kind)s: %(reason)s"),
    "import.report": N_("%(kind)s import report of %(user)s (%(items)s items)"),
    "feasibility.question": N_("%(name)r [%(fingerprint)s] asks: %(asked)s"),
    "feasibility.repeat": N_("%(name)r [%(fingerprint)s] asks: %(asked)s (repeat)"),
    "feasibility.refused": N_("refused: %(name)r [%(fingerprint)s] asks: %(asked)s"),
    "feasibility.lockout": N_(
        "%(steps)s questions one criterion away from earlier ones within %(days)s days (limit %(limit)s): "
        "a differencing pattern; locked until %(until)s; refused: %(asked)s"
    ),
    "feasibility.unlock": N_("lockout of %(user)s lifted"),
    "staff.read": N_("staff records"),
    "staff.aggregate": N_("%(purpose)s: %(records)s staff records"),
    "travel.aggregate": N_("patient travel: %(patients)s patients, aggregates per centre"),
    "patient.objecting": N_("objects to research use (filed by the patient)"),
    "patient.withdrawn": N_("objection to research use withdrawn (by the patient)"),
    "patient.contact": N_("asks to be contacted about trial %(trial)s"),
    "patient.contact_handled": N_("request %(request)s about trial %(trial)s handled"),
    "patient.contact_forwarded": N_("request %(request)s about trial %(trial)s forwarded to %(centre)s"),
    "patient.correction": N_("asks for a correction (request %(request)s) of: %(fact)s"),
    "patient.correction_handled": N_("correction request %(request)s answered (%(fact)s)"),
    "account.create": N_("account %(user)s created: %(role)s, centres %(centres)s"),
    "account.scope": N_(
        "account %(user)s: role %(before_role)s -> %(role)s, centres %(before_centres)s -> %(centres)s"
    ),
    "account.password_reset": N_("password of %(user)s (%(role)s, centres %(centres)s) reset"),
    "account.password_own": N_("%(user)s changed their own password"),
    "account.disable": N_("account %(user)s (%(role)s, centres %(centres)s) disabled"),
    "account.enable": N_("account %(user)s (%(role)s, centres %(centres)s) enabled"),
    "account.token": N_("API token %(name)s issued to %(user)s (%(role)s), %(days)s days"),
}

# what a refused request was for, when it is not an action's code ("patient.read"): pieces of the detail
WHAT = {
    "prescreen": N_("pre-screening of %(trial)s"),
    "screening_log": N_("screening log of %(trial)s"),
    "screening_status": N_("screening status of %(trial)s"),
    "alerts": N_("new-candidate alerts"),
}


def coded(code: str, **params: Any) -> dict[str, Any]:
    """An entry's detail as its code and parameters (`audit.event_for(..., detail=coded(...))`)."""
    assert code in DETAILS, code
    return {"code": code, "params": params}


def what(kind: str, **params: Any) -> dict[str, Any]:
    """What a refused request was for, as a piece of the detail (`errors.part`)."""
    return part(WHAT[kind], **params)


def encode(request: str, detail: dict[str, Any]) -> str:
    """The stored text: one JSON object (keys sorted, so the hashed text is the same on every machine)."""
    return json.dumps(
        {"code": detail["code"], "params": detail["params"], "request": request},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def decode(stored: str) -> dict[str, Any] | None:
    """`{"code", "params", "request"}` of a coded detail; None for a detail written as text."""
    if not stored.startswith('{"code":'):
        return None
    try:
        value = json.loads(stored)
    except ValueError:
        return None
    if (
        not isinstance(value, dict)
        or value.get("code") not in DETAILS
        or not isinstance(value.get("params"), dict)
    ):
        return None
    return value


def english(stored: str) -> str:
    """The detail in English as entries were written before codes: "<request> | <sentence>"."""
    value = decode(stored)
    if value is None:
        return stored
    sentence = format_message(DETAILS[value["code"]], value["params"])
    return " | ".join(x for x in (value.get("request") or "", sentence) if x)


__all__ = ["DETAILS", "WHAT", "coded", "decode", "encode", "english", "what"]
