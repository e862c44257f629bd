"""Small CSV exports (payroll, carbon activity data, emission factors, research milestones): the one
validate-and-reject reader. Decoding, delimiter, header checks, numbers written the French way
("2 450,50"); every problem of a row is a `Reject` naming line, record, field and fix (`checked_rows`
hands each row with its `RowCheck`), so a reader reports every rejected row, never only the first."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from oncofed.errors import N_, NN_, InputError, format_message, part


@dataclass(frozen=True)
class Reject:
    """A refused row: file line (header = line 1), field, reason and how to fix it.

    `reason` and `fix` are English; a reject made with a `code` (`RowCheck.reject(..., code=...)`,
    `Reject.coded`) keeps their message ids and `params` too, so `part()` is said in the reader's
    language (the command line's `--lang`, a report's CSV)."""

    line: int
    field: str
    reason: str
    fix: str
    record: str = ""
    code: str = ""
    ids: tuple[str, str] = ("", "")  # the message ids of reason and fix (a coded reject)
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def coded(
        cls, line: int, column: str, reason: str, fix: str, code: str, record: str = "", **params: Any
    ) -> Reject:
        """A reject whose reason and fix are message ids (`N_`) with `params`."""
        return cls(
            line,
            column,
            format_message(reason, params),
            format_message(fix, params),
            record,
            code,
            (reason, fix),
            dict(params),
        )

    def part(self) -> dict[str, Any]:
        """The reject as a piece of a sentence (`errors.part`), said in the reader's language with it:
        "line 4 (S-2): level: unknown level 'Z9' ... — use one of ..."."""
        reason: Any = part(self.ids[0], **self.params) if self.code else self.reason
        fix: Any = part(self.ids[1], **self.params) if self.code else self.fix
        if self.record:
            return part(
                N_("line %(line)s (%(record)s): %(column)s: %(reason)s — %(fix)s"),
                line=self.line, record=self.record, column=self.field, reason=reason, fix=fix,
            )  # fmt: skip
        return part(
            N_("line %(line)s: %(column)s: %(reason)s — %(fix)s"),
            line=self.line, column=self.field, reason=reason, fix=fix,
        )  # fmt: skip

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


MALFORMED_FIX = N_("quote values that contain the delimiter")
NUMBER_FIX = N_("write digits with '.' or ',' as decimal mark")


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

    def reject(self, column: str, reason: str, fix: str, *, code: str = "", **params: Any) -> None:
        """A problem of the row; with `code`, `reason` and `fix` are message ids (`N_`) with `params`."""
        if code:
            self.problems.append(Reject.coded(self.line, column, reason, fix, code, self.record, **params))
        else:
            self.problems.append(Reject(self.line, column, reason, fix, self.record))

    def number(self, column: str, default: str = "") -> float | None:
        """The column read by `number`, or None with a reject naming the value."""
        value = self.get(column, default)
        try:
            return number(value)
        except ValueError:
            self.reject(
                column, N_("%(value)r is not a number"), NUMBER_FIX, code="row.not_a_number", value=value
            )
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
    already (`ok` false, no values): the caller adds its own checks and keeps `problems`.
    `malformed_fix` is a message id (`N_`)."""
    for line, values in rows(text, source, required, optional):
        if "__error__" in values:
            found, columns = values["__error__"].split("/")
            reject = Reject.coded(
                line, malformed_field, N_("values: %(found)s for %(columns)s columns"), malformed_fix,
                "row.value_count", found=int(found), columns=int(columns),
            )  # fmt: skip
            yield RowCheck(line, {}, problems=[reject])
        else:
            yield RowCheck(line, values)


def summary(rejects: Sequence[Reject], limit: int) -> list[dict[str, Any]]:
    """The first `limit` rejects, and how many more, as pieces of a sentence (`errors.part`): the
    parameter of a coded refusal, said in the reader's language with it."""
    shown = [r.part() for r in rejects[:limit]]
    if len(rejects) > limit:
        shown.append(part(N_("and %(num)s more"), num=len(rejects) - limit))
    return shown


def decode(raw: bytes, source: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            N_("not UTF-8 text (byte %(byte)s)"),
            file=source,
            fix=N_(
                "save the export as UTF-8 CSV (spreadsheets: 'CSV UTF-8'); Windows-1252 exports must be converted first"
            ),
            code="file.not_utf8_export",
            params={"byte": exc.start},
        ) from exc


def rows(
    text: str, source: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with lower-case stripped keys) for each data row; the header is checked first."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise InputError(
            N_("the file is empty"),
            file=source,
            fix=N_("the first line must name the columns: %(columns)s"),
            code="file.empty_table",
            params={"columns": list(required)},
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
            NN_(
                "missing column %(columns)s (found: %(found)s)",
                "missing columns %(columns)s (found: %(found)s)",
            ),
            file=source,
            record="line 1",
            fix=N_("the header must name: %(required)s (optional: %(optional)s)")
            if optional
            else N_("the header must name: %(required)s"),
            code="file.missing_columns",
            params={
                "num": len(missing),
                "columns": missing,
                "found": header,
                "required": list(required),
                "optional": list(optional),
            },
        )
    for (line_no, _), values in zip(numbered[1:], reader, strict=False):
        if len(values) != len(header):
            yield line_no, {"__error__": f"{len(values)}/{len(header)}"}
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
