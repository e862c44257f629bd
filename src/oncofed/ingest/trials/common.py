"""What every trial parser shares: parsed items, record errors, ages, dates, text, hashing."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from oncofed.domain import Trial
from oncofed.errors import N_
from oncofed.ingest.errors import RecordError, json_kind

# Formats that cannot be streamed record by record (one XML/YAML/FHIR document) are refused above
# this size with a clear error instead of being loaded whole into memory.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
NCT_RE = re.compile(r"^NCT\d{8}$")


@dataclass(frozen=True)
class Rejection:
    file: str
    record: str
    field: str
    reason: str
    # the record's error, when it has a code: said in the reader's language (presenters/imports.py)
    error: RecordError | None = dataclasses.field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.record}:{self.field}: {self.reason}"


@dataclass
class Parsed:
    """One item a parser yields: a trial, or the reason its record was rejected."""

    record: str
    trial: Trial | None = None
    error: RecordError | None = None
    skipped: str = ""  # not a record at all (e.g. a repeated CSV header): reported, never silent
    warnings: list[str] = field(default_factory=list)


def file_error(record: str, field: str, reason: str) -> Parsed:
    return Parsed(record=record, error=RecordError(field, reason))


def rejection(file: str, record: str, error: RecordError) -> Rejection:
    """The rejection of `record` of `file` for `error` (its code and parameters kept for the reader)."""
    return Rejection(file, record, error.field, error.reason, error if error.code else None)


def check_size(path: Path, what: str) -> None:
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise RecordError(
            "(file)",
            N_("%(size)s MB is too large for one %(what)s document (limit %(limit)s MB)"),
            code="import.file_too_large",
            params={"size": round(size / 1e6), "what": what, "limit": round(MAX_DOCUMENT_BYTES / 1e6)},
            fix=N_("split it, or use ClinicalTrials.gov JSON / NDJSON which are streamed"),
        )


def read_text(path: Path, what: str) -> str:
    check_size(path, what)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(exc.start) from exc


_AGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)?\s*$")
_AGE_UNITS = {
    "year": 1.0,
    "years": 1.0,
    "yr": 1.0,
    "yrs": 1.0,
    "y": 1.0,
    "month": 1 / 12,
    "months": 1 / 12,
    "week": 7 / 365.25,
    "weeks": 7 / 365.25,
    "day": 1 / 365.25,
    "days": 1 / 365.25,
    "hour": 1 / 8766,
    "hours": 1 / 8766,
    "minute": 1 / 525960,
    "minutes": 1 / 525960,
}
_NO_LIMIT = {"", "N/A", "NA", "NONE", "NOT APPLICABLE", "NO LIMIT"}


def parse_age(value: Any, field: str) -> float | None:
    """ "18 Years" -> 18.0, "6 Months" -> 0.5, "N/A" or empty -> None (no limit); anything else is an error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise RecordError(
            field,
            N_("age %(value)s is not '<number> <unit>'"),
            code="import.age_format",
            params={"value": repr(value)},
            fix=N_("write it like '18 Years', '6 Months' or 'N/A'"),
        )
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if text.upper() in _NO_LIMIT:
        return None
    m = _AGE_RE.match(text)
    if not m:
        raise RecordError(
            field,
            N_("age %(value)s is not '<number> <unit>'"),
            code="import.age_format",
            params={"value": repr(text)},
            fix=N_("write it like '18 Years', '6 Months' or 'N/A'"),
        )
    unit = (m.group(2) or "years").lower()
    if unit not in _AGE_UNITS:
        raise RecordError(
            field,
            N_("age %(value)s has an unknown unit %(unit)s"),
            code="import.age_unit",
            params={"value": repr(text), "unit": repr(unit)},
            fix=N_("use years, months, weeks, days or hours"),
        )
    return round(float(m.group(1)) * _AGE_UNITS[unit], 4)


_ISO_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y", "%B %d, %Y", "%B %Y", "%b %d, %Y", "%b %Y", "%d %B %Y")


def parse_date(value: Any, field: str) -> date | None:
    """ISO dates ("2015-08", "2015-08-12", timestamps) and ClinicalTrials.gov legacy text ("August 2015")."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if "T" in text and text[:4].isdigit():
        text = text.split("T", 1)[0]
    if _ISO_RE.match(text):  # fast path for the API v2 forms; strptime cost ~0.1 ms a call
        try:
            month = int(text[5:7]) if len(text) >= 7 else 1
            return date(int(text[:4]), month, int(text[8:10]) if len(text) == 10 else 1)
        except ValueError:
            pass  # e.g. 2015-13-01: fall through to the formats below, which give the usual error
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RecordError(
        field,
        N_("date %(value)s is not a date"),
        code="import.date_format",
        params={"value": repr(text)},
        fix=N_("write it like 2015-08-12, 2015-08 or 'August 2015'"),
    )


def parse_int(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError as exc:
        raise not_number(field, value) from exc
    if number != number or number < 0 or number > 10**9:
        raise RecordError(
            field,
            N_("%(value)s is not a plausible count"),
            code="import.implausible_count",
            params={"value": repr(value)},
            fix=N_("give a whole number between 0 and 1,000,000,000"),
        )
    return int(number)


def as_list(value: Any) -> list[Any]:
    """A list from a list, a scalar, None, or a stringified Python list ("['a', 'b']", as in TrialGPT files)."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return [value]
        if isinstance(parsed, list | tuple):
            return list(parsed)
    return [value]


def text_list(value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for item in as_list(value):
        s = str(item).strip() if item is not None else ""
        if s and s not in out:
            out.append(s)
    return tuple(out)


def text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return value.strip()


def dedent_block(value: Any) -> str:
    """Legacy XML text blocks are indented by 6-10 spaces: strip the common indentation per line."""
    s = text(value)
    lines = [line.strip() for line in s.splitlines()]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()


def require_id(value: Any, field: str, *, nct: bool = False) -> str:
    s = text(value)
    if not s:
        raise RecordError(
            field,
            N_("no trial id (NCT number)") if nct else N_("no trial id"),
            code="import.no_trial_id",
            fix=N_("every record needs one"),
        )
    if nct and not NCT_RE.match(s.upper()):
        raise RecordError(
            field,
            N_("%(value)s is not an NCT number"),
            code="import.not_nct",
            params={"value": repr(s)},
            fix=N_("write NCT followed by 8 digits, like NCT01234567"),
        )
    if len(s) > 64:
        raise RecordError(
            field,
            N_("id %(value)s... is longer than 64 characters"),
            code="import.id_too_long",
            params={"value": repr(s[:20])},
            fix=N_("shorten the id to 64 characters or fewer"),
        )
    return s.upper() if nct else s


def jsonable(value: Any) -> Any:
    """A JSON-compatible copy (YAML gives dates; keep everything else exactly as the source had it)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


_TRIAL_FIELDS = tuple(f.name for f in fields(Trial))


def _json_default(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


def trial_content_hash(trial: Trial) -> str:
    """SHA-256 of the trial's canonical JSON (the "import" bookkeeping in `extra` left out).

    Same bytes as hashing `dataclasses.asdict(trial)`, without its deep copy: `asdict` recursed through
    every site and took ~3 ms per study, a third of the import time. Sites are shallow field dicts;
    a dataclass nested in `extra` is expanded by `_json_default` exactly as `asdict` would."""
    data = {name: getattr(trial, name) for name in _TRIAL_FIELDS}
    data["sites"] = [dict(vars(s)) for s in trial.sites]
    extra = dict(trial.extra or {})
    extra.pop("import", None)
    data["extra"] = extra
    blob = json.dumps(data, sort_keys=True, default=_json_default, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def load_json_document(path: Path, what: str) -> Any:
    """One whole JSON document (size-capped), or RecordError naming what is wrong."""
    body = read_text(path, what)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise RecordError(
            "(json)",
            N_("invalid JSON at line %(line)s column %(column)s: %(detail)s"),
            code="import.json_invalid",
            params={"line": exc.lineno, "column": exc.colno, "detail": exc.msg},
            fix=N_("correct the JSON (a JSON validator shows the place)"),
        ) from exc
    except RecursionError as exc:
        raise too_deep() from exc


def not_utf8(byte: int) -> RecordError:
    """The file's bytes are not UTF-8 from `byte` on."""
    return RecordError(
        "(encoding)",
        N_("not valid UTF-8 at byte %(byte)s"),
        code="import.not_utf8",
        params={"byte": byte},
        fix=N_("re-encode the file as UTF-8"),
    )


def too_deep() -> RecordError:
    return RecordError(
        "(json)", N_("JSON nested too deeply"), code="import.json_too_deep", fix=N_("flatten the document")
    )


def not_number(field: str, value: Any) -> RecordError:
    return RecordError(
        field,
        N_("%(value)s is not a number"),
        code="import.not_number",
        params={"value": repr(value)},
        fix=N_("write a number (digits, a dot for decimals)"),
    )


def not_on_earth(field: str, lat: float | None, lon: float | None) -> RecordError:
    return RecordError(
        field,
        N_("(%(lat)s, %(lon)s) is not a point on Earth"),
        code="import.not_on_earth",
        params={"lat": lat, "lon": lon},
        fix=N_("latitude between -90 and 90, longitude between -180 and 180 (or leave both empty)"),
    )


def not_object(field: str, found: Any) -> RecordError:
    """A JSON value of the wrong kind where an object was expected."""
    return RecordError(
        field,
        N_("expected a JSON object, got %(kind)s"),
        code="import.not_object",
        params={"kind": json_kind(found)},
        fix=N_("give one object per record"),
    )
