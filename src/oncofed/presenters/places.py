"""Where an import's issue is, in the reader's language: "row 5", "line 3 NCT01234567", "record 2",
"patient P1", "(file)" as the importers write a record's place (ingest/, stored as written in
import_reports) -> "ligne 5", "ligne 3 NCT01234567", "enregistrement 2", "patient P1", "(fichier)".

A place is one of the importers' words followed by the record's number or id (kept as written), maybe
with another place after it ("row 4 (sample S1)", "line 2 <the study's own label>"), or a word alone in
parentheses (a field that is the whole file or line). Anything else (a field of the file, "#2",
"entry[3]") is the file's own and stays as written."""

from __future__ import annotations

import re

from oncofed.presenters.i18n import NP_, Translator

# the importers' words for a record's place (ingest/: `Collector(file, f"row {n}")`, `record=f"line {n}"`)
NUMBERED = {
    "row": NP_("import place", "row %(id)s"),
    "line": NP_("import place", "line %(id)s"),
    "record": NP_("import place", "record %(id)s"),
    "entry": NP_("import place", "entry %(id)s"),
    "bundle": NP_("import place", "bundle %(id)s"),
    "patient": NP_("import place", "patient %(id)s"),
    "sample": NP_("import place", "sample %(id)s"),
    "correction": NP_("import place", "correction %(id)s"),
}
ALONE = {
    "file": NP_("import place", "file"),
    "bundle": NP_("import place", "bundle"),
    "line": NP_("import place", "line"),
    "row": NP_("import place", "row"),
    "record": NP_("import place", "record"),
    "document": NP_("import place", "document"),
    "header": NP_("import place", "header"),
    "encoding": NP_("import place", "encoding"),
    "format": NP_("import place", "format"),
    "order": NP_("import place", "order"),
    "patient": NP_("import place", "patient"),
    "resource": NP_("import place", "resource"),
    "study": NP_("import place", "study"),
    "work": NP_("import place", "work"),
    "none": NP_("import place", "none"),
}
# a kind of record before its place ("genomic row 4": MatchMiner's genomic record on row 4), or alone
KINDS = {
    "genomic": NP_("import place", "genomic record"),
    "clinical": NP_("import place", "clinical record"),
}
_NUMBERED = re.compile(rf"(?P<word>{'|'.join(NUMBERED)}) (?P<id>[^\s()]+)(?: (?P<rest>.+))?", re.DOTALL)
_ALONE = re.compile(rf"(?P<open>\(?)(?P<word>{'|'.join(ALONE)})(?P<close>\)?)")


def place(tr: Translator, text: object) -> str:
    """`text` (a record, resource or field as an importer wrote it) in `tr`'s language."""
    if not isinstance(text, str) or not text:
        return "" if text is None else str(text)
    kind, _, rest = text.partition(" ")
    if kind in KINDS:
        context, words = KINDS[kind]
        said_kind = str(tr.pgettext(context, words))
        return f"{said_kind} {place(tr, rest)}" if rest else said_kind
    alone = _ALONE.fullmatch(text)
    if alone and bool(alone["open"]) == bool(alone["close"]):
        context, word = ALONE[alone.group(2)]
        return f"{alone.group(1)}{tr.pgettext(context, word)}{alone.group(3)}"
    numbered = _NUMBERED.fullmatch(text)
    if not numbered:
        return text
    context, message = NUMBERED[numbered.group(1)]
    said = str(tr.pgettext(context, message, id=numbered.group(2)))
    rest = numbered["rest"]
    if rest is None:
        return said
    if rest.startswith("(") and rest.endswith(")"):
        return f"{said} ({place(tr, rest[1:-1])})"
    return f"{said} {place(tr, rest)}"


__all__ = ["place"]
