"""An audit entry in the reader's language (the audit page, `/api/audit` and its CSV, the DPO's home,
`oncofed --lang fr audit list`): its coded detail (`store/audit_words.py`) said with the catalogue's
words, an action's code or a purpose by its label, the request it came from kept as written. A detail
written before codes (English text) is shown as it was stored."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from oncofed.errors import N_, is_part
from oncofed.presenters.errors import _say
from oncofed.presenters.i18n import Translator, translator
from oncofed.store.audit_words import DETAILS

# parameters that hold a code, said by their label group (`presenters/labels.py`)
LABELLED = {"what": "audit_action", "purpose": "purpose"}
# what a fact's correction did, and which import a report was of
CHANGES = {"add": N_("added"), "correct": N_("corrected")}
IMPORT_KINDS = {"trials": N_("trial"), "patients": N_("patient")}
# columns of the CSV: the stored row's, then the detail in the reader's words, its code and parameters
CSV_COLUMNS = [
    "seq", "at", "user_id", "role", "actor_centres", "purpose", "action", "action_said", "centre_ids",
    "patient_ids", "n_records", "request", "detail", "detail_code", "hash",
]  # fmt: skip


def _params(tr: Translator, code: str, params: dict[str, Any]) -> dict[str, Any]:
    shown = dict(params)
    for name, group in LABELLED.items():
        value = shown.get(name)
        if isinstance(value, str):
            shown[name] = tr.label(group, value)
    if isinstance(shown.get("until"), str):  # a date stored as ISO text (JSON): as the language writes it
        shown["until"] = tr.day(shown["until"])
    if code == "patient.correct":
        shown["change"] = tr.gettext(CHANGES.get(str(shown.get("change")), str(shown.get("change"))))
        shown["kind"] = tr.label("kind", shown.get("kind"))
    if code in ("import.report", "refused.import_report"):
        kind = str(shown.get("kind"))
        shown["kind"] = tr.gettext(IMPORT_KINDS[kind]) if kind in IMPORT_KINDS else kind
    return shown


def sentence(row: dict[str, Any], lang: str) -> str:
    """The entry's detail without its request, in `lang` (the stored English text for an older entry)."""
    code = row.get("detail_code")
    if not code or code not in DETAILS:
        return str(row.get("detail") or "")
    tr = translator(lang)
    params = row.get("detail_params") or {}
    said = _params(tr, code, params)
    return _say(tr, DETAILS[code], said)


# parameters that hold the data of the entry (a question's name and criteria, a reason typed by a person,
# a user id): on the page they are marked as not to be translated, the sentence around them is
DATA = {"name", "fingerprint", "asked", "reason", "user", "purpose"}


def sentence_html(row: dict[str, Any], lang: str) -> Markup:
    """`sentence` for a page: escaped, each data parameter in a `<span translate="no">` (an older entry's
    English text as a whole)."""
    code = row.get("detail_code")
    if not code or code not in DETAILS:
        return Markup('<span translate="no">%s</span>') % str(row.get("detail") or "")
    tr = translator(lang)
    said = _params(tr, code, row.get("detail_params") or {})
    marks: dict[str, Markup] = {}
    for name in DATA & set(said):
        value = said[name]
        if is_part(value):
            value = _say(tr, value["msgid"], value.get("params") or {})
        if name == "purpose" and value != (row.get("detail_params") or {}).get("purpose"):
            continue  # a purpose said by its label is the sentence's own words
        token = f"\x00{len(marks)}\x00"
        marks[token] = Markup('<span translate="no">%s</span>') % str(value)
        said[name] = token
    text = escape(_say(tr, DETAILS[code], said))
    for token, mark in marks.items():
        text = Markup(str(text).replace(token, str(mark)))
    return Markup(text)


def entry(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """The row as the API gives it: `detail` in `lang`, with `detail_code`, `detail_params` and `request`
    as stored, and `action_said` (the action's label)."""
    tr = translator(lang)
    out = dict(row)
    out["detail"] = sentence(row, lang)
    out["action_said"] = tr.label("audit_action", row.get("action"))
    return out


__all__ = ["CSV_COLUMNS", "entry", "sentence", "sentence_html"]
