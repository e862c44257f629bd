"""CSV text of any table: the same rows as the JSON twin (the web wraps it as a download,
the CLI prints or writes it).

Every cell goes through `neutralise`: a text cell that a spreadsheet would read as a formula
(OWASP "CSV injection": a first character among `= + - @`, tab or carriage return) is prefixed
with a single quote, so `=HYPERLINK(...)` typed into a screening note, a trial title or a patient
name is shown as text, never evaluated. Numbers stay numbers (`-3` as an int is not a formula).
The csv module quotes separators, quotes and line breaks itself (carriage returns inside a cell are
written as line feeds, which it quotes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# OWASP CSV injection: https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The cell as written to the file: lists joined with "; ", formula-like text made inert."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        if "\r" in value:  # line breaks as LF: the writer quotes those (its line terminator), not a bare CR
            value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buf.getvalue()
