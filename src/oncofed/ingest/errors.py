"""The error of one record of an imported file, shared by every reader (JSON lines, trials, publications).

A rejection that a person reads (the import page, the API's JSON, `oncofed --lang fr import ...`) has a
`code` and `params`: its reason and fix are English message ids (`N_`, extracted by `make i18n`) with
`%(name)s` placeholders, formatted in English in `reason` (logs, tests, the default CLI) and said in the
reader's language by `presenters.imports` through `presenters.errors.said`. A rejection without a code
keeps its English words everywhere."""

from __future__ import annotations

from typing import Any

from oncofed.errors import N_, InputError, format_message, part


class RecordError(Exception):
    """A record cannot be imported: names the field and the reason (the caller adds file and record).

    `RecordError(field, N_("age %(value)s ..."), code="import.age_format", params={...}, fix=N_(...))`:
    `reason` is the English sentence (with its fix after "; "), `template` / `fix_template` the ids."""

    def __init__(
        self,
        field: str,
        reason: str | tuple[str, str],
        *,
        code: str = "",
        params: dict[str, Any] | None = None,
        fix: str | None = None,
    ) -> None:
        self.code = code
        self.params = dict(params or {})
        self.template = reason if code else None
        self.fix_template = fix if code else None
        text = format_message(reason, self.params) if code else str(reason)
        if fix:
            text = f"{text}; {format_message(fix, self.params) if code else fix}"
        super().__init__(f"{field}: {text}")
        self.field = field
        self.reason = text

    def as_input_error(self, file: str = "", record: str = "") -> InputError:
        """The same rejection as an `InputError` (file, record, field) that `said` puts in a language."""
        if not self.code or self.template is None:
            return InputError(self.reason, file=file or None, record=record or None, field=self.field)
        return InputError(
            self.template,
            file=file or None,
            record=record or None,
            field=self.field,
            fix=self.fix_template,
            code=self.code,
            params=self.params,
        )


_KINDS = {
    bool: N_("true or false"),
    int: N_("a whole number"),
    float: N_("a number"),
    str: N_("a text"),
    list: N_("a list"),
    dict: N_("an object"),
    type(None): N_("null"),
}


def json_kind(value: Any) -> dict[str, Any]:
    """What a JSON value is, in words said in the reader's language ("a list", "a text"), as a parameter
    of a coded message (never Python's type name: "got str")."""
    return part(_KINDS.get(type(value), N_("a value of another kind")))
