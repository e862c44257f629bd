"""What a patient importer met on the way: each `Issue` (an error rejects its record, a warning names
a field left out or assumed) gathered by a record's `Collector`, and the `ParsedRecord` it belongs to.

Every importer yields `ParsedRecord`s: a `PatientProfile` built from one source record (a FHIR
Bundle, a MatchMiner clinical record and its genomic rows, the rows of one patient in a flat CSV,
one note), plus its issues. A coded issue's reason and fix are message ids with parameters, said in
the reader's language by `presenters/patient_imports.py`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from oncofed.domain import PatientProfile
from oncofed.errors import N_, format_message, part
from oncofed.ingest.patients.dates import FieldError


@dataclass(frozen=True)
class Issue:
    """One problem met while reading a record: where (file, record, resource, field), why, and the fix."""

    file: str
    record: str
    resource: str
    field: str
    reason: str
    fix: str
    severity: str = "warning"  # "warning": field left out, record kept; "error": record rejected
    # with a code, `template` and `fix_template` are the English message ids of `reason` and `fix`
    # (formatted with `params`), said in the reader's language by presenters/patient_imports.py
    code: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)
    template: str | tuple[str, str] = dataclasses.field(default="", compare=False)
    fix_template: str = dataclasses.field(default="", compare=False)

    def describe(self) -> str:
        where = ":".join(p for p in (self.file, self.record, self.resource, self.field) if p)
        return f"{self.severity}: {where}: {self.reason} — {self.fix}"

    def as_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "file": self.file,
            "record": self.record,
            "resource": self.resource,
            "field": self.field,
            "reason": self.reason,
            "fix": self.fix,
            "code": self.code,
        }


@dataclass
class ParsedRecord:
    """One patient read from a source, with what went wrong. `profile` is None when rejected."""

    file: str
    record: str
    profile: PatientProfile | None
    issues: list[Issue] = field(default_factory=list)
    source: str = ""  # importer: fhir, matchminer, csv, note
    local_id: str = ""  # the patient's id in the source (store id is `<centre>-<local id>`)
    centre_hint: str = ""  # a centre named by the record itself (used when --centre is not given)

    @property
    def rejected(self) -> bool:
        return self.profile is None or any(i.severity == "error" for i in self.issues)

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


class Collector:
    """Collects the issues of one record with its file and record id filled in."""

    def __init__(self, file: str, record: str) -> None:
        self.file = file
        self.record = record
        self.issues: list[Issue] = []

    def warn(
        self, resource: str, field_name: str, reason: str, fix: str, code: str = "", **params: Any
    ) -> None:
        self.issues.append(
            _issue(self.file, self.record, resource, field_name, reason, fix, "warning", code, params)
        )

    def warn_exc(
        self, resource: str, field_name: str, exc: Exception, fix: str, code: str = "", **params: Any
    ) -> None:
        """A warning from a value that could not be read: coded when the exception is a `FieldError`
        (its reason's code and parameters; `fix` a message id with `params`), else its English text."""
        if isinstance(exc, FieldError):
            self.warn(resource, field_name, exc.template, fix, exc.code, **(exc.params | params))
        else:  # a unit that does not convert (its own message), or a library's words ("could not convert
            # string to float": said by presenters/library_words.py)
            self.warn(
                resource, field_name, N_("unreadable value (%(detail)s)"), fix, "import.value_unreadable",
                detail=exc.part() if isinstance(exc, ConversionError) else str(exc), **params,
            )  # fmt: skip

    def error(
        self,
        resource: str,
        field_name: str,
        reason: str | tuple[str, str],
        fix: str,
        code: str = "",
        **params: Any,
    ) -> None:
        """A rejection; with `code`, `reason` and `fix` are message ids (`N_`) formatted with `params`."""
        self.issues.append(
            _issue(self.file, self.record, resource, field_name, reason, fix, "error", code, params)
        )


def _issue(
    file: str, record: str, resource: str, field_name: str, reason: str | tuple[str, str], fix: str, severity: str,
    code: str, params: dict[str, Any],
) -> Issue:  # fmt: skip
    if not code:
        assert isinstance(reason, str)
        return Issue(file, record, resource, field_name, reason, fix, severity)
    return Issue(
        file, record, resource, field_name, format_message(reason, params), format_message(fix, params), severity,
        code, params, reason, fix,
    )  # fmt: skip


class ConversionError(ValueError):
    """A value that cannot be brought to the canonical unit: an English message id and its parameters
    (`part()`: the piece a coded issue says in the reader's language)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.template, self.params = message, params
        super().__init__(format_message(message, params))

    def part(self) -> dict[str, Any]:
        return part(self.template, **self.params)
