"""A refused row of a small CSV import (payroll, carbon activity and factors, research milestones:
`ingest.tabular.Reject`) in the reader's language: the line the command line prints, the row of its
`--report` CSV and of its `--json`. A reject made without a code keeps its English words."""

from __future__ import annotations

from typing import Any

from oncofed.errors import is_part
from oncofed.ingest.tabular import Reject
from oncofed.presenters.errors import _say
from oncofed.presenters.i18n import translator
from oncofed.presenters.places import place

COLUMNS = ["line", "record", "field", "reason", "fix"]


def part_said(value: Any, lang: str) -> str:
    """A piece of a sentence (`errors.part`) said in `lang`; any other value as written."""
    if not is_part(value):
        return str(value)
    return _say(translator(lang), value["msgid"], value.get("params") or {})


def reject_line(reject: Reject, lang: str) -> str:
    """ "ligne 4 (S-2) : level : niveau inconnu 'Z9' ... — utilisez ..." (`str(reject)` in English); a
    field that is a place of the importer's ("(row)", "(header)") in the reader's words."""
    said = reject.part()
    said["params"]["column"] = place(translator(lang), reject.field)
    return part_said(said, lang)


def reject_row(reject: Reject, lang: str) -> dict[str, Any]:
    """The reject as a row of the report's CSV / JSON: line, record, field, reason and fix in `lang`,
    with its code (None when it has none)."""
    tr = translator(lang)
    row = reject.as_dict()
    row["record"] = place(tr, reject.record) if reject.record else ""
    if reject.code:
        row["reason"] = _say(tr, reject.ids[0], reject.params)
        row["fix"] = _say(tr, reject.ids[1], reject.params)
    row["code"] = reject.code or None
    return row


__all__ = ["COLUMNS", "part_said", "reject_line", "reject_row"]
