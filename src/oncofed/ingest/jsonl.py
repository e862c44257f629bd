"""The one guarded reader of JSON-lines files (JSONL / NDJSON), and of one JSON document in a text.

Lines are read as bytes with a bounded length (an over-long line is skipped in bounded chunks, never
held in memory), decoded strictly as UTF-8 (a byte-order mark at the start of a line is dropped) and
parsed with the nesting depth guarded. Every problem names the line, and the field when one is missing.

Two ways to read, for two kinds of caller:
- imports that reject a record and go on (trials, notes) get the errors as values:
  `iter_values` / `iter_objects` yield `(line number, value or RecordError)`;
- readers where one bad line stops the run (benchmark files) call `read_objects`, which raises
  `InputError` naming the file, the line, the field and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from oncofed.errors import N_, InputError
from oncofed.ingest.errors import RecordError, json_kind

MAX_LINE_BYTES = 64 * 1024 * 1024
_BOM = "\ufeff"


def iter_lines(path: Path) -> Iterator[tuple[int, bytes | RecordError]]:
    """(line number, bytes) of each non-blank line, without ever reading an over-long line into memory
    (that line comes as a RecordError)."""
    with path.open("rb") as fh:
        lineno = 0
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            lineno += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while True:  # skip to the end of this over-long line in bounded chunks
                    chunk = fh.readline(MAX_LINE_BYTES)
                    if not chunk or chunk.endswith(b"\n"):
                        break
                yield (
                    lineno,
                    RecordError(
                        "(line)",
                        N_("line longer than %(limit)s MB"),
                        code="import.line_too_long",
                        params={"limit": MAX_LINE_BYTES // 2**20},
                        fix=N_("split the file into one record a line"),
                    ),
                )
                continue
            if line.strip():
                yield lineno, line


def decode_line(line: bytes) -> Any:
    """One line's JSON value, or RecordError saying what is wrong (encoding, syntax, depth)."""
    try:
        s = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(
            "(encoding)",
            N_("not valid UTF-8 at byte %(byte)s"),
            code="import.line_not_utf8",
            params={"byte": exc.start},
            fix=N_("re-encode as UTF-8"),
        ) from exc
    try:
        return json.loads(s[1:] if s.startswith(_BOM) else s)
    except json.JSONDecodeError as exc:
        raise RecordError(
            "(json)",
            N_("invalid JSON: %(detail)s at column %(column)s"),
            code="import.line_json",
            params={"detail": exc.msg, "column": exc.colno},
            fix=N_("correct the JSON of this line"),
        ) from exc
    except RecursionError as exc:
        raise RecordError(
            "(json)", N_("JSON nested too deeply"), code="import.json_depth", fix=N_("flatten the document")
        ) from exc


def iter_values(path: Path) -> Iterator[tuple[int, Any | RecordError]]:
    """(line number, JSON value or the RecordError of that line) for each non-blank line."""
    for lineno, line in iter_lines(path):
        if isinstance(line, RecordError):
            yield lineno, line
            continue
        try:
            yield lineno, decode_line(line)
        except RecordError as exc:
            yield lineno, exc


def iter_objects(path: Path) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """As `iter_values`, a value that is not a JSON object being an error of its line."""
    for lineno, value in iter_values(path):
        if isinstance(value, dict | RecordError):
            yield lineno, value
        else:
            yield (
                lineno,
                RecordError(
                    "(record)",
                    N_("not a JSON object (%(kind)s)"),
                    code="import.line_not_object",
                    params={"kind": json_kind(value)},
                    fix=N_("write one JSON object a line"),
                ),
            )


def read_objects(
    path: str | Path,
    *,
    what: str,
    need: Sequence[str] = (),
    fix: str = "one JSON object per line",
    check: Callable[[dict[str, Any]], None] | None = None,
    empty_ok: bool = False,
) -> list[dict[str, Any]]:
    """Every object of a JSONL file, all or nothing: the first bad line raises InputError naming the
    file, the line, the field and the fix; an absent (or, unless `empty_ok`, empty) file is an error too. `check` sees each
    object (after `need`) and raises RecordError(field, reason) for a value the caller refuses."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{what} file not found", file=str(p), fix=f"give the {what} .jsonl file")
    rows: list[dict[str, Any]] = []
    for lineno, obj in iter_objects(p):
        if isinstance(obj, RecordError):
            raise InputError(obj.reason, file=str(p), record=f"line {lineno}", fix=fix)
        for key in need:
            if key not in obj:
                raise InputError(
                    f"missing field {key!r}",
                    file=str(p),
                    record=f"line {lineno}",
                    field=key,
                    fix=f"{what} rows need {tuple(need)}",
                )
        if check is not None:
            try:
                check(obj)
            except RecordError as exc:
                raise InputError(
                    exc.reason, file=str(p), record=f"line {lineno}", field=exc.field, fix=fix
                ) from None
        rows.append(obj)
    if not rows and not empty_ok:
        raise InputError(f"empty {what} file", file=str(p), fix=f"give a {what} file with at least one row")
    return rows


PARSE_FIX = "fix the JSON syntax"


def parse_document(text: str, source: str, *, fix: str = PARSE_FIX) -> Any:
    """One JSON document already read as text, or InputError naming the source and the line."""
    try:
        return json.loads(text[1:] if text.startswith(_BOM) else text)
    except json.JSONDecodeError as exc:
        if (
            fix == PARSE_FIX
        ):  # the fix of every caller but a developer's own reader: said in the reader's language
            raise InputError(
                N_("invalid JSON: %(detail)s"),
                file=source,
                record=f"line {exc.lineno}",
                fix=N_("fix the JSON syntax"),
                code="import.json_invalid",
                params={"detail": exc.msg},
            ) from None
        raise InputError(
            f"invalid JSON: {exc.msg}", file=source, record=f"line {exc.lineno}", fix=fix
        ) from None
    except RecursionError:
        raise InputError(
            N_("JSON nested too deeply"), file=source, fix=N_("flatten the document"), code="import.json_deep"
        ) from None
