"""French and English UI text: gettext catalogues managed with Babel (docs/DEVELOPING.md, "Translations").

The source text is English and is the message id; `resources/locale/<lang>/LC_MESSAGES/oncofed.po`
holds each language's translations (msgctxt where one English text needs two French ones, plural
forms with ngettext). The `.po` file is compiled in memory at first use, so a fresh clone needs no
build step. Placeholders are Python's `%(name)s`, as in Jinja2's i18n extension ("newstyle"
gettext, which always formats), so a literal per cent sign is written `%%` in a message id.

Templates: `_('Text')`, `_('%(n)s centres', n=n)`, `pgettext('context', 'Text')`,
`ngettext('%(num)s case', '%(num)s cases', n)`, `label('group', code)` for a code's words
(`presenters/labels.py`), `num(x, digits)` and `day(d)` for numbers and dates. Python: `translator(lang).gettext(...)` (same names) and `N_('Text')` /
`NP_('context', 'Text')` to mark text that is translated later (`NN_('%(num)s case', '%(num)s cases')`
for a count sentence, said with its `num` parameter: `label(group, code, num=n)`).
"""

from __future__ import annotations

import functools
import io
import math
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from oncofed.resources import resource_path

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
DOMAIN = "oncofed"
# the Babel locale of numbers and dates: the UI's English is British ("centre", "tumour")
FORMAT_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")  # "2025-01": a month


class Plural(NamedTuple):
    """A message with plural forms held by code (`NN_`); said with `ngettext`, its count is `num`."""

    singular: str
    plural: str


# a message as code holds it: English text, (msgctxt, English text), or its plural forms
Message = str | tuple[str, str] | Plural


def N_(message: str) -> str:
    """Marks English text for extraction (`pybabel extract`); it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Like `N_`, with a message context (`pybabel extract -k NP_:1c,2`)."""
    return (context, message)


def NN_(singular: str, plural: str) -> Plural:
    """Like `N_`, for a count sentence (`pybabel extract -k NN_:1,2`): shown with its `num` parameter."""
    return Plural(singular, plural)


def catalogue_path(lang: str) -> Path:
    return resource_path(f"locale/{lang}/LC_MESSAGES/{DOMAIN}.po")


@functools.cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of `lang` (the `.po` file compiled in memory; fuzzy entries left out,
    as `pybabel compile` does). An unknown language gets English."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    with catalogue_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Translator:
    """One language's text: the gettext functions, formatting `%(name)s` placeholders with `params`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._t = translations(self.lang)

    def gettext(self, message: str, /, **params: Any) -> str:
        return self._t.gettext(message) % params

    def pgettext(self, context: str, message: str, /, **params: Any) -> str:
        return str(self._t.pgettext(context, message)) % params

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        params.setdefault("num", n)
        return self._t.ngettext(singular, plural, n) % params

    def npgettext(self, context: str, singular: str, plural: str, n: int, /, **params: Any) -> str:
        params.setdefault("num", n)
        return str(self._t.npgettext(context, singular, plural, n)) % params

    def message(self, message: Message, /, **params: Any) -> str:
        """A message held by code (`N_` / `NP_` / `NN_`, whose count is the `num` parameter)."""
        if isinstance(message, Plural):
            return self.ngettext(message.singular, message.plural, int(params["num"]), **params)
        if isinstance(message, tuple):
            return self.pgettext(message[0], message[1], **params)
        return self.gettext(message, **params)

    def label(self, group: str, code: Any, /, **params: Any) -> str:
        """The words for `code` in `group` (`presenters/labels.py`: statuses, roles, bands, ...);
        a code the group does not know is shown as it is."""
        from oncofed.presenters.labels import LABELS

        message = LABELS.get(group, {}).get(str(code))
        return str(code) if message is None else self.message(message, **params)

    def number(self, value: Any, digits: int | None = None) -> str:
        """`1234.5` -> "1,234.5" / "1 234,5" (Babel); `digits` fixes the decimals; None or "" -> ""."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            try:  # a number written as text ("61.0"); anything else is shown as it is
                value = float(value) if not isinstance(value, bool) else value
            except (TypeError, ValueError):
                return str(value)
            if isinstance(value, bool):
                return str(value)
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        fmt = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=fmt, locale=FORMAT_LOCALES[self.lang]))

    def colon(self) -> str:
        """ ": " in English, " : " (a no-break space before the colon) in French typography."""
        return "\u00a0: " if self.lang == "fr" else ": "

    def day(self, value: Any, time: bool = False) -> str:
        """A date (or ISO text) -> "5 Dec 2026" / "5 déc. 2026" (Babel's medium format); a month ("2025-01",
        an indicator's period) -> "Jan 2025" / "janv. 2025"; `time`: a date and time's hour too ("5 déc. 2026
        14:00", a meeting's; was "2026-12-05T14:00")."""
        if time and isinstance(value, (str, datetime)):
            moment = value if isinstance(value, datetime) else _datetime_or_none(value)
            if moment is not None and (isinstance(value, datetime) or len(value) > 10):  # a time is written
                hour = format_time(moment, format="short", locale=FORMAT_LOCALES[self.lang])
                return f"{self.day(moment)} {hour}"
        if not value:
            return ""
        if isinstance(value, str) and _MONTH.fullmatch(value):
            month = date(int(value[:4]), int(value[5:]), 1)
            return str(format_skeleton("yMMM", month, locale=FORMAT_LOCALES[self.lang]))
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        when = value.date() if isinstance(value, datetime) else value
        return _medium_date(when, self.lang) if isinstance(when, date) else str(value)


# Babel's French medium pattern ("d MMM y") writes the first day of a month "1 mars 2026"; French
# writes it as an ordinal, "1er mars 2026" (Imprimerie nationale; every other day is a cardinal).
# CLDR has no pattern for it (its `d` is a plain number), so the day field of the locale's own
# pattern gets a quoted "er" for that one day: the month and year stay Babel's.
_DAY_FIELD = re.compile(r"(?<![d'])d(?![d'])")


def _medium_date(when: date, lang: str) -> str:
    """A date in the language's medium format ("1 Mar 2026"; French "1er mars 2026", "2 mars 2026")."""
    locale = FORMAT_LOCALES[lang]
    if lang != "fr" or when.day != 1:
        return str(format_date(when, format="medium", locale=locale))
    pattern = Locale.parse(locale).date_formats["medium"].pattern
    return str(format_date(when, format=_DAY_FIELD.sub("d'er'", pattern, count=1), locale=locale))


def _datetime_or_none(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@functools.cache
def translator(lang: str) -> Translator:
    return Translator(lang)


def pick_language(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return str(candidate)
    if accept_language:
        for part in accept_language.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


# Jinja2: the i18n extension's gettext callables look the language up in the template's context
# (`lang`); Jinja's "newstyle" wrapper then formats `%(name)s` with escaped values.
def _context_translator(context: Context) -> Translator:
    return translator(str(context.get("lang") or DEFAULT_LANGUAGE))


def _as_template_text(context: Context, text: str) -> Any:
    # the translation is text, not HTML: escape it before the wrapper marks it safe
    return escape(text) if context.eval_ctx.autoescape else text


@pass_context
def _gettext(context: Context, message: str) -> Any:
    return _as_template_text(context, _context_translator(context)._t.gettext(message))


@pass_context
def _pgettext(context: Context, msgctxt: str, message: str) -> Any:
    return _as_template_text(context, str(_context_translator(context)._t.pgettext(msgctxt, message)))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> Any:
    return _as_template_text(context, _context_translator(context)._t.ngettext(singular, plural, n))


@pass_context
def _npgettext(context: Context, msgctxt: str, singular: str, plural: str, n: int) -> Any:
    text = str(_context_translator(context)._t.npgettext(msgctxt, singular, plural, n))
    return _as_template_text(context, text)


@pass_context
def _label(context: Context, group: str, code: Any, **params: Any) -> str:
    return _context_translator(context).label(group, code, **params)


@pass_context
def _num(context: Context, value: Any, digits: int | None = None) -> str:
    return _context_translator(context).number(value, digits)


@pass_context
def _day(context: Context, value: Any, time: bool = False) -> str:
    return _context_translator(context).day(value, time=time)


@pass_context
def _colon(context: Context) -> str:
    return _context_translator(context).colon()


@pass_context
def _labels(context: Context, group: str, codes: Any, sep: str = ", ") -> str:
    tr = _context_translator(context)
    return sep.join(tr.label(group, code) for code in codes or ())


_COMMAND = re.compile(r"`(oncofed [^`<>]*)`")  # a command a sentence tells the reader to run


def said_html(said: str) -> Markup:
    """An engine sentence for a page: escaped, and a command it names in backticks (the CLI's way,
    "run `oncofed backup PATH`") shown as code instead of raw backticks."""
    return Markup(_COMMAND.sub(r"<code>\1</code>", str(escape(said))))


@pass_context
def _engine_text(context: Context, text: str | None) -> Markup:
    from oncofed.presenters.engine_text import say

    return said_html(say(_context_translator(context).lang, text))


@pass_context
def _reopen_reason(context: Context, reason: str | None) -> str:
    from oncofed.presenters.board_trail import reopen_said

    return reopen_said(reason, _context_translator(context).lang)


@pass_context
def _board_question(context: Context, question: str | None) -> str:
    from oncofed.presenters.board_trail import question_said

    return question_said(question, _context_translator(context).lang)


@pass_context
def _screening_note(context: Context, note: str | None) -> str:
    from oncofed.presenters.board_trail import screening_note_said

    return screening_note_said(note or "", _context_translator(context).lang)


@pass_context
def _not_listed(context: Context, detail: str | None) -> str:
    from oncofed.presenters.board_trail import not_listed_said

    return not_listed_said({"note": detail}, _context_translator(context).lang)


@pass_context
def _definition(context: Context, sql: str | None) -> str:
    from oncofed.presenters.quality_definitions import describe

    return describe(_context_translator(context).lang, sql)


def install_gettext(env: Environment) -> None:
    """Jinja2's i18n extension with the catalogues, `label(group, code)`, `num(x, digits)` and `day(d)`
    (Babel's locale-aware numbers and dates)."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.globals["label"] = _label
    env.globals["labels"] = _labels
    env.globals["colon"] = _colon
    env.globals["engine_text"] = _engine_text  # an engine's English sentence (presenters/engine_text.py)
    env.globals["definition"] = _definition  # an indicator's SQL condition in words
    env.globals["reopen_reason"] = _reopen_reason  # a board case's re-opening in words (board_trail.py)
    env.globals["board_question"] = _board_question  # a board case's question (board_trail.py)
    env.globals["not_listed"] = _not_listed  # why a proposed trial could not be listed (board_trail.py)
    env.globals["screening_note"] = _screening_note  # a pre-screening entry's note (board_trail.py)
    env.globals["num"] = _num
    env.globals["number"] = _num  # the same, for templates whose own macro is called num
    env.globals["day"] = _day
