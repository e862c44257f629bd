"""Small CSV exports (payroll, carbon activity data, emission factors, research milestones): the one
validate-and-reject reader. Decoding, delimiter, header checks, numbers written the French way
("2 450,50"); every problem of a row is a `Reject` naming line, record, field and fix (`checked_rows`
hands each row with its `RowCheck`), so a reader reports every rejected row, never only the first."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from gettext import ngettext

from oncofed.errors import InputError


@dataclass(frozen=True)
class Reject:
    """A refused row: file line (header = line 1), field, reason and how to fix it."""

    line: int
    field: str
    reason: str
    fix: str
    record: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "record": self.record,
            "field": self.field,
            "reason": self.reason,
            "fix": self.fix,
        }

    def __str__(self) -> str:
        return f"line {self.line}{f' ({self.record})' if self.record else ''}: {self.field}: {self.reason} — {self.fix}"


MALFORMED_FIX = "quote values that contain the delimiter"
NUMBER_FIX = "write digits with '.' or ',' as decimal mark"


@dataclass
class RowCheck:
    """One data row and the problems found in it so far (empty: the row is accepted)."""

    line: int
    values: dict[str, str]
    record: str = ""  # what names the row in a message (an id, "centre year item")
    problems: list[Reject] = field(default_factory=list)

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column) or default

    def reject(self, column: str, reason: str, fix: str) -> None:
        self.problems.append(Reject(self.line, column, reason, fix, self.record))

    def number(self, column: str, default: str = "") -> float | None:
        """The column read by `number`, or None with a reject naming the value."""
        value = self.get(column, default)
        try:
            return number(value)
        except ValueError:
            self.reject(column, f"{value!r} is not a number", NUMBER_FIX)
            return None

    @property
    def ok(self) -> bool:
        return not self.problems


def checked_rows(
    text: str,
    source: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    malformed_field: str = "*",
    malformed_fix: str = MALFORMED_FIX,
) -> Iterator[RowCheck]:
    """Each data row with its check; a row with the wrong number of values comes with its reject
    already (`ok` false, no values): the caller adds its own checks and keeps `problems`."""
    for line, values in rows(text, source, required, optional):
        if "__error__" in values:
            yield RowCheck(
                line, {}, problems=[Reject(line, malformed_field, values["__error__"], malformed_fix)]
            )
        else:
            yield RowCheck(line, values)


def summary(rejects: Sequence[Reject], limit: int) -> str:
    """The first `limit` rejects in one line, and how many more."""
    shown = "; ".join(str(r) for r in rejects[:limit])
    return shown + (f"; and {len(rejects) - limit} more" if len(rejects) > limit else "")


def decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start})",
            file=source,
            fix="save the export as UTF-8 CSV (spreadsheets: 'CSV UTF-8'); Windows-1252 exports must be converted first",
        ) from exc


def rows(
    text: str, source: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with lower-case stripped keys) for each data row; the header is checked first."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise InputError(
            "the file is empty",
            file=source,
            fix=f"the first line must name the columns: {', '.join(required)}",
        )
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # line numbers of the original text (comments and blank lines skipped, still counted)
    numbered = [
        (i + 1, ln)
        for i, ln in enumerate(text.splitlines())
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    reader = csv.reader(io.StringIO("\n".join(ln for _, ln in numbered)), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            ngettext("missing column %(columns)s", "missing columns %(columns)s", len(missing))
            % {"columns": ", ".join(missing)}
            + f" (found: {', '.join(header)})",
            file=source,
            record="line 1",
            fix=f"the header must name: {', '.join(required)}"
            + (f" (optional: {', '.join(optional)})" if optional else ""),
        )
    for (line_no, _), values in zip(numbered[1:], reader, strict=False):
        if len(values) != len(header):
            yield line_no, {"__error__": f"{len(values)} values for {len(header)} columns"}
            continue
        yield line_no, {h: v.strip() for h, v in zip(header, values, strict=True)}


def number(value: str) -> float:
    """A number as exports write it: '2450.5', '2 450,50', '2450,5' (ValueError otherwise)."""
    text = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    result = float(text)
    if result != result or result in (float("inf"), float("-inf")):
        raise ValueError(value)
    return result
