"""Finds English left in a French page (issue 18 part 6): the engine of tests/test_i18n_pages.py.

Every HTML page of the live app (its GET routes, as in tests/route_matrix.py) is rendered in French
as every role on the demo network; each visible text node (and the `title`, `placeholder`,
`aria-label` and `alt` texts) is checked for:
- a catalogue message shown untranslated (an English msgid whose French differs);
- English words (a list of common English words that are not French words);
- a code shown raw (`NOT_YET_RECRUITING`, `first_inclusion`);
- numbers and dates not in the French form (decimal point, ISO date).

Data is not UI text: patient facts, trial titles, criteria and notes are in the language they were
written in. Templates mark it with the standard HTML attribute `translate="no"` (or `lang="en"` when
the language is known), which browsers' translators respect too; the check skips those elements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import tinyhtml5
from babel.messages.pofile import read_po
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select

from oncofed.presenters.i18n import catalogue_path
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow, CaseRow, MeetingRow

XHTML = "{http://www.w3.org/1999/xhtml}"
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "var"}
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Common English words that are not French words (nor Latin used in French: "in situ", "per os").
_ENGLISH = """
    the and of with without to is are was were for from by this that these those which not no yes
    all any before after within between than more less when where who whom whose has have had been be
    it its their there here only each every should must can cannot could would will shall may might
    at into out up about over under other another same such then also why how what your you our we they
    them he she his her my do does did done set show shown back next previous search status new last
    first open closed none unknown met applies check checked computed computable confirmed pregnancy
    history recruiting enrolling completed terminated withdrawn suspended please sign signed
    log login logout page's trial trials criteria criterion eligible excluded investigator based because
    while still already again never always some many much most least below above limits network
    centre's patient's items rows row field fields value values missing invalid must enter entered
    saved save delete edit view details download imported select selected apply applied filter filters
    sorted found
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())
# Words that look English but are names, codes or units of the field.
ALLOWED_WORDS = frozenset(["oncofed", "api", "json", "csv", "pdf", "svg", "id", "ids", "ok"])
CODE = re.compile(r"\b(?:[A-Z]{2,}(?:_[A-Z0-9]+)+|[a-z]{2,}(?:_[a-z0-9]+)+)\b")
DECIMAL_POINT = re.compile(r"(?<![\w.-])\d+\.\d+(?![\w.])")
VERSION = re.compile(r"\b(?:RECIST|version|v)\s?\d+(?:\.\d+)+")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:\b|T\d)")  # a date, or a date and time ("2026-12-13T14:00")
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*")


@dataclass(frozen=True)
class Finding:
    kind: str  # msgid | english | code | number | date
    text: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.text!r}"


def untranslated_msgids(lang: str = "fr") -> dict[str, str]:
    """English msgids (whole, no placeholder) whose translation in `lang` differs: normalised -> msgid."""
    with catalogue_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    translations: dict[str, set[str]] = {}
    for message in catalog:
        if not message.id or message.pluralizable or "%(" in str(message.id):
            continue
        msgid, msgstr = str(message.id).replace("%%", "%"), str(message.string).replace("%%", "%")
        translations.setdefault(msgid, set()).add(msgstr or msgid)
    # a text whose every translation differs from it (in no context is the English also the French),
    # and that is not itself the French of another message ("absent", "Section")
    french_texts = {normalise(text) for texts in translations.values() for text in texts}
    return {
        normalise(msgid): msgid
        for msgid, french in translations.items()
        if msgid not in french and WORD.search(msgid) and normalise(msgid) not in french_texts
    }


def normalise(text: str) -> str:
    return " ".join(text.split()).strip(" :·,;.()[]").lower()


def visible_texts(html: str, page_lang: str = "fr") -> Iterator[str]:
    """Text nodes and text attributes a person sees, leaving out data marked `translate="no"` or with
    another `lang`, scripts, styles and code."""
    root = tinyhtml5.parse(html)

    def skipped(el: Any) -> bool:
        tag = str(el.tag).rsplit("}", 1)[-1]
        lang = el.get("lang")
        return (
            tag in SKIPPED_TAGS
            or el.get("translate") == "no"
            or (lang is not None and not lang.startswith(page_lang))
            or el.get("hidden") is not None
        )

    def walk(el: Any) -> Iterator[str]:
        if not skipped(el):
            for name in TEXT_ATTRIBUTES:
                if el.get(name):
                    yield str(el.get(name))
            if el.get("type") in ("submit", "button") and el.get("value"):
                yield str(el.get("value"))
            if el.text:
                yield el.text
            for child in el:
                yield from walk(child)
        if el.tail:
            yield el.tail

    body = root.find(f"{XHTML}body")  # the <title> repeats the <h1>, whose data is marked there
    if body is not None:
        for child in body:
            yield from walk(child)


def findings(text: str, msgids: dict[str, str]) -> list[Finding]:
    text = " ".join(text.split())
    if not text or not WORD.search(text):
        return []
    out = []
    if normalise(text) in msgids and not text.isupper():  # "ID", "OK": acronyms read the same in French
        out.append(Finding("msgid", text))
    prose = re.sub(r"`[^`]*`", " ", text)  # a command quoted in a message is code
    # acronyms in capitals (HAS, ALT, AST) are names, not English words
    words = [w.lower().strip("'’-") for w in WORD.findall(prose) if not (w.isupper() and len(w) > 1)]
    english = [w for w in words if w in ENGLISH_WORDS and w not in ALLOWED_WORDS]
    if english and not out:
        out.append(Finding("english", text))
    if CODE.search(text):
        out.append(Finding("code", text))
    if DECIMAL_POINT.search(VERSION.sub("", text)):
        out.append(Finding("number", text))
    if ISO_DATE.search(text):
        out.append(Finding("date", text))
    return out


# ------------------------------------------------------------------------------------ the pages


def page_routes(client: TestClient) -> list[str]:
    """Every GET route that answers with a page (not the JSON API, the API docs or a file)."""
    paths = set()
    for rc in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = rc.original_route
        path = str(rc.path)
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        if path.startswith(("/api", "/docs", "/static")) or path.endswith((".pdf", ".ico", ".svg", ".csv")):
            continue
        paths.add(path)
    return sorted(paths)


def demo_ids(db: Database) -> dict[str, str]:
    """Ids of the demo's boards, meetings and cases, for the page paths that need one."""
    with db.session() as s:
        board = s.scalars(select(BoardRow.id).order_by(BoardRow.id)).first()
        meeting = s.scalars(select(MeetingRow.id).order_by(MeetingRow.id)).first()
        case = s.scalars(select(CaseRow.id).order_by(CaseRow.id)).first()
    return {
        name: str(v) for name, v in (("board_id", board), ("meeting_id", meeting), ("case_id", case)) if v
    }


def indicator_id(client: TestClient) -> str:
    response = client.get("/api/quality/indicators")
    if response.status_code != 200:  # a patient account: its own space only
        return "x"
    data = response.json()
    rows = data.get("indicators", data) if isinstance(data, dict) else data
    return str(rows[0]["id"]) if rows else "x"


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda m: values.get(m.group(1), "x"), path)
