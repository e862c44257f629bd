"""Errors a person can act on: each says what went wrong and how to fix it.

An error raised for a person (a refused board, pre-screening or import action) carries a `code` and
its `params`: its message and fix are then English message ids (`N_` / `NN_`, extracted by `make i18n`)
with `%(name)s` placeholders, formatted in English here (logs, tests, the default CLI) and said in the
reader's language by `presenters.errors.said` (pages, the API's `detail`, the CLI's `--lang`). The
markers are the same as `presenters.i18n`'s; they are defined here because services sit below the
presenters and may not import them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def N_(message: str) -> str:
    """Marks an English message id for extraction; said in the reader's language where shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a count message (its plural forms); the count is the `num` parameter."""
    return (singular, plural)


def part(message: str, **params: Any) -> dict[str, Any]:
    """A piece of a sentence that is itself a message (`N_` id and its parameters), given as a parameter
    of another: `detail=part(N_("unit %(unit)s of %(analyte)s does not convert to %(canonical)s"), ...)`.
    Said in the reader's language with the sentence around it (never pasted in English); a plain dict,
    so a stored report (JSON) keeps it as it is."""
    return {"msgid": message, "params": params}


def is_part(value: Any) -> bool:
    return (
        isinstance(value, dict) and isinstance(value.get("msgid"), str) and set(value) <= {"msgid", "params"}
    )


def english(value: Any) -> str:
    """A parameter as the English message says it (a date and time, a list joined with commas, a `part`)."""
    if is_part(value):
        return format_message(value["msgid"], value.get("params") or {})
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(english(v) if is_part(v) else str(v) for v in value) or "none"
    return str(value)


def format_message(template: str | tuple[str, str], params: dict[str, Any]) -> str:
    """The English text of a message id (`NN_` forms chosen by `num`) with its parameters."""
    if isinstance(template, tuple):
        template = template[0] if params.get("num") == 1 else template[1]
    return template % {k: english(v) for k, v in params.items()} if params else template


class OncofedError(Exception):
    """Base class for errors shown to users as one clear line (no traceback).

    With `code`, `message` and `fix` are message ids formatted with `params` (see the module's note)."""

    def __init__(
        self,
        message: str | tuple[str, str],
        *,
        fix: str | None = None,
        code: str = "",
        params: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.params = dict(params or {})
        # the errors a bulk action's error gathers (what each item was refused for), said one by one
        self.parts: list[tuple[str, OncofedError]] = []
        self.template: str | tuple[str, str] | None = message if code else None
        self.fix_template = fix if code else None
        text = format_message(message, self.params) if code else str(message)
        super().__init__(text)
        self.message = text
        self.fix = format_message(fix, self.params) if code and fix else fix

    def __str__(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message


class ConfigError(OncofedError):
    """A setting (environment variable, path, port) is unusable."""


class StoreError(OncofedError):
    """The database cannot be reached or is not in the expected state."""


class NotFound(OncofedError):
    """The record does not exist, or the caller is not allowed to know it exists."""


class InputError(OncofedError):
    """Bad input: names the file, the record, the field and the fix."""

    def __init__(
        self,
        message: str | tuple[str, str],
        *,
        file: str | None = None,
        record: str | int | None = None,
        field: str | None = None,
        fix: str | None = None,
        code: str = "",
        params: dict[str, Any] | None = None,
    ) -> None:
        where = ":".join(str(p) for p in (file, record, field) if p not in (None, ""))
        super().__init__(message, fix=fix, code=code, params=params)
        self.reason = self.message
        if where:
            self.message = f"{where}: {self.message}"
            self.args = (self.message,)
        self.file = file
        self.record = record
        self.field = field


def unreadable(path: object, exc: OSError) -> InputError:
    """The refusal of a file that cannot be read, said alike by every service that reads a path."""
    return InputError(
        N_("cannot read: %(detail)s"),
        file=str(path),
        fix=N_("check the path"),
        code="file.unreadable",
        params={"detail": exc.strerror or str(exc)},
    )
