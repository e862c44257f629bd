"""A refused action's error in the reader's language (pages, the API's JSON, the CLI's `--lang`).

Services raise `OncofedError`s with a `code`, English message ids and `params` (`oncofed.errors`);
this says them with gettext: dates and times as the language writes them, lists with its separator.
An error without a code (an older one, or a library's) keeps its English words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from oncofed.errors import OncofedError, is_part
from oncofed.presenters.i18n import Translator, translator
from oncofed.presenters.labels import LABELS
from oncofed.presenters.library_words import LIBRARY_WORDS, library_said

# parameters that hold a code: said with the words of their label group (presenters/labels.py)
QUANTITIES = {"limit", "num", "refused"}
LABELLED = {
    "case_status": "b_status",
    "from_status": "st",
    "to_status": "st",
    "statuses": "st",
    "role": "role",
    "registry_status": "wd_status",
    "later": "r_ms",  # a research milestone (selection, contract, ...) in words
    "earlier": "r_ms",
    "field": "err_field",  # the name of a form's field ("specialties" -> "spécialités présentes")  # a registry status in words ("not yet recruiting"): its code's label
}


def _param(tr: Translator, value: Any, name: str = "") -> Any:
    if is_part(value):  # a piece of the sentence that is a message of its own (errors.part)
        return _say(tr, value["msgid"], value.get("params") or {})
    if isinstance(value, list) and any(is_part(v) for v in value):  # a list of sentences of their own
        value = [_param(tr, v) for v in value]
    if name in LIBRARY_WORDS and isinstance(value, str):  # a library's English (a JSON parser's error)
        return library_said(tr, value, name)
    group = LABELLED.get(name)
    if group and isinstance(value, list):
        value = [tr.label(group, v) for v in value]
    elif group and isinstance(value, str):
        return tr.label(group, value if value in LABELS.get(group, {}) else value.upper().replace(" ", "_"))
    if isinstance(value, datetime):
        return tr.day(value, time=True)
    if isinstance(value, date):
        return tr.day(value)
    if isinstance(value, (list, tuple)):
        return str(tr.pgettext("list separator", "; ")).join(str(v) for v in value) if value else "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and name in QUANTITIES:
        return tr.number(value)  # a quantity ("4 000 caractères"); an id (case 1234) stays as written
    return value


def _json(value: Any) -> Any:
    """A parameter as JSON carries it: dates as ISO text, inside a `part` or a list too."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _say(tr: Translator, template: str | tuple[str, str], params: dict[str, Any]) -> str:
    shown = {k: _param(tr, v, k) for k, v in params.items()}
    group = params.get("vocabulary")
    if group and isinstance(params.get("choices"), list):  # a board vocabulary's codes: said by their words
        from oncofed.services.boards.vocabulary import label as board_label

        shown["choices"] = _param(tr, [board_label(str(group), c, tr.lang) for c in params["choices"]])
    if isinstance(template, tuple):
        return tr.ngettext(template[0], template[1], int(params.get("num", 0)), **shown)
    return tr.gettext(template, **shown) if shown else tr.gettext(template)


def sentence(text: str | None) -> str:
    """A service's words as a page shows them: a sentence begins with a capital ("la réunion ..." ->
    "La réunion ...")."""
    return text[:1].upper() + text[1:] if text else ""


def said(exc: OncofedError, lang: str) -> dict[str, Any]:
    """`{"code", "params", "message", "fix"}`: the error in `lang` (English words when it has no code).
    An input error's field stays in `field` (the message itself names what to correct)."""
    out: dict[str, Any] = {"code": exc.code or None, "params": {}, "message": exc.message, "fix": exc.fix}
    field = getattr(exc, "field", None)
    if field:
        out["field"] = field
    if not exc.code or exc.template is None:
        return out
    tr = translator(lang)
    params = dict(exc.params)
    if exc.parts:  # a bulk action's error: each item's own error in the reader's language
        params["listed"] = [f"{item}{tr.colon()}{said(part, lang)['message']}" for item, part in exc.parts]
    out["params"] = {k: _json(v) for k, v in params.items()}
    out["message"] = _say(tr, exc.template, params)
    out["fix"] = _say(tr, exc.fix_template, params) if exc.fix_template else None
    return out


__all__ = ["said", "sentence"]
