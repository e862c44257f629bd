"""MongoDB extended JSON -> plain Python values: the one decoder of every reader (CTML trial files,
the CTML matcher's patient files, the MatchMiner patient importer).

Accepted (Extended JSON v2, canonical and relaxed, plus the legacy forms of `mongoexport`):

| wrapper | gives |
|---|---|
| `{"$oid": "<24 hex digits>"}` | the hex string |
| `{"$date": {"$numberLong": "<ms>"}}`, `{"$date": <ms>}`, `{"$date": "<ISO-8601>"}` | `datetime`, naive, in UTC (as pymongo returns them by default) |
| `{"$numberLong": "<int>"}`, `{"$numberInt": "<int>"}` | `int` |
| `{"$numberDouble": "<float>" / "Infinity" / "-Infinity" / "NaN"}` | `float` |
| `{"$numberDecimal": "<decimal>"}` | `float` (the matcher compares numbers as floats) |

Other `$` wrappers (`$binary`, `$timestamp`, `$regularExpression`, ...) are not used by MatchMiner's
data model and are kept as they are. A wrapper whose value is malformed (`{"$numberLong": "12a"}`,
`{"$oid": 5}`, a wrapper with extra keys) raises `ExtJsonError` naming the field's path
(`BIRTH_DATE.$date`, `arms[2].internal_id.$numberLong`); each reader turns it into its own error
(`InputError`, a rejected record), so a malformed value is never silently kept.

Hand-written rather than pymongo's `bson.json_util`: that would bring the MongoDB driver (and
dnspython) for six wrappers, returns `Int64`/`Decimal128`/`ObjectId` objects the readers would
convert again, and its errors do not name the field.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from oncofed.errors import N_, InputError, format_message, part

EPOCH = datetime(1970, 1, 1)
WRAPPERS = ("$oid", "$date", "$numberLong", "$numberInt", "$numberDouble", "$numberDecimal")
_OID = re.compile(r"[0-9a-fA-F]{24}")
_INT = re.compile(r"[+-]?[0-9]+")  # not \d: int() would take other scripts' digits
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
SPECIAL = {"Infinity": "inf", "-Infinity": "-inf", "NaN": "nan"}
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# datetime covers years 1..9999: about +-2.5e14 ms around 1970
_MIN_MS = (datetime(1, 1, 1) - EPOCH) // timedelta(milliseconds=1)
_MAX_MS = (datetime(9999, 12, 31, 23, 59, 59, 999000) - EPOCH) // timedelta(milliseconds=1)

# the fix of each wrapper: an example written as MongoDB exports it (code: the same in every language)
EXAMPLES = {
    "$oid": '{"$oid": "5d2799126756630d8dd061b7"}',
    "$date": '{"$date": "2020-01-31T00:00:00Z"}, {"$date": {"$numberLong": "1580428800000"}}',
    "$numberLong": '{"$numberLong": "1234567890123"}',
    "$numberInt": '{"$numberInt": "42"}',
    "$numberDouble": '{"$numberDouble": "1.5"}, {"$numberDouble": "Infinity"}, {"$numberDouble": "NaN"}',
    "$numberDecimal": '{"$numberDecimal": "1.25"}',
}
FIXES = {
    "$oid": N_("write it as %(example)s (24 hexadecimal digits)"),
    "$date": N_("write it as %(example)s (milliseconds since 1970)"),
    "$numberLong": N_("write it as %(example)s (a whole number as text)"),
    "$numberInt": N_("write it as %(example)s (a 32-bit whole number as text)"),
    "$numberDouble": N_("write it as %(example)s (a number as text)"),
    "$numberDecimal": N_("write it as %(example)s (a decimal number as text)"),
}


class ExtJsonError(ValueError):
    """A malformed extended-JSON wrapper: the field's path, what is wrong, and the fix. `template`,
    `fix_template` and `params` are the message ids said in the reader's language (code
    `import.extjson`); `reason` and `fix` their English."""

    code = "import.extjson"

    def __init__(self, field: str, reason: str, wrapper: str, **params: Any) -> None:
        self.template, self.fix_template = reason, FIXES[wrapper]
        self.params = {"wrapper": wrapper, "example": EXAMPLES[wrapper]} | params
        self.reason = format_message(reason, self.params)
        self.fix = format_message(self.fix_template, self.params)
        super().__init__(f"{field}: {self.reason} — {self.fix}")
        self.field = field

    def as_input_error(self, *, file: str | None = None, record: str | int | None = None) -> InputError:
        return InputError(
            self.template,
            file=file,
            record=record,
            field=self.field,
            fix=self.fix_template,
            code=self.code,
            params=self.params,
        )


def decode(value: Any, field: str = "") -> Any:
    """`value` with every extended-JSON wrapper replaced by its plain value, recursively.

    `field` is the path of `value` in its document, used in errors."""
    if isinstance(value, dict):
        wrapper = next((k for k in WRAPPERS if k in value), None)
        if wrapper is not None:
            return _unwrap(wrapper, value, field)
        return {k: decode(v, _join(field, str(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return value


def decode_document(
    doc: dict[str, Any], *, file: str | None = None, record: str | int | None = None
) -> dict[str, Any]:
    """A whole document decoded; a malformed wrapper raises `InputError` naming file, record, field."""
    try:
        out: dict[str, Any] = decode(doc)
    except ExtJsonError as exc:
        raise exc.as_input_error(file=file, record=record) from None
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _unwrap(wrapper: str, value: dict[str, Any], field: str) -> Any:
    where = _join(field, wrapper)
    if len(value) != 1:
        others = sorted(str(k) for k in value if k != wrapper)
        raise ExtJsonError(
            where, N_("%(wrapper)s cannot be combined with other keys (%(others)s)"), wrapper, others=others
        )
    inner = value[wrapper]
    if wrapper == "$oid":
        if not isinstance(inner, str) or not _OID.fullmatch(inner):
            raise ExtJsonError(
                where,
                N_("%(value)s is not an ObjectId (24 hexadecimal digits)"),
                wrapper,
                value=_short(inner),
            )
        return inner
    if wrapper == "$date":
        return _date(inner, where)
    if wrapper in ("$numberLong", "$numberInt"):
        return _integer(inner, where, wrapper)
    if wrapper == "$numberDouble":
        return _double(inner, where)
    return _decimal(inner, where)


def _integer(inner: Any, where: str, wrapper: str) -> int:
    # the canonical form is a string; a bare JSON integer is accepted too (older exporters)
    if isinstance(inner, int) and not isinstance(inner, bool):
        number = inner
    elif isinstance(inner, str) and len(inner) <= 24 and _INT.fullmatch(inner):
        number = int(inner)
    elif isinstance(inner, str) and _INT.fullmatch(inner):
        number = INT64[1] + 1  # too many digits to be a 64-bit integer (and int() limits them)
    else:
        raise ExtJsonError(where, N_("%(value)s is not an integer"), wrapper, value=_short(inner))
    low, high = INT32 if wrapper == "$numberInt" else INT64
    if not low <= number <= high:
        bits = 32 if wrapper == "$numberInt" else 64
        raise ExtJsonError(
            where, N_("%(value)s does not fit in %(bits)s bits"), wrapper, value=_short(inner), bits=bits
        )
    return number


def _short(value: Any) -> str | dict[str, Any]:
    """repr of a bad value, cut short (an error message must stay one readable line); a value too
    large to show is said in words (`errors.part`, in the reader's language)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**40:
        return part(N_("a number of more than 40 digits"))
    try:
        text = repr(value)
    except ValueError:  # an int past Python's digit limit inside a list
        return part(N_("a value too large to show"))
    return text if len(text) <= 60 else text[:57] + "..."


def _double(inner: Any, where: str) -> float:
    if isinstance(inner, str) and (inner in SPECIAL or _NUMBER.fullmatch(inner)):
        return float(SPECIAL.get(inner, inner))
    raise ExtJsonError(where, N_("%(value)s is not a number"), "$numberDouble", value=_short(inner))


def _decimal(inner: Any, where: str) -> float:
    if isinstance(inner, str) and (inner in SPECIAL or _NUMBER.fullmatch(inner)):
        return float(Decimal(SPECIAL.get(inner, inner)))
    raise ExtJsonError(where, N_("%(value)s is not a decimal number"), "$numberDecimal", value=_short(inner))


def _date(inner: Any, where: str) -> datetime:
    if isinstance(inner, dict) and set(inner) == {"$numberLong"}:
        millis: float = _integer(inner["$numberLong"], _join(where, "$numberLong"), "$numberLong")
    elif isinstance(inner, int | float) and not isinstance(inner, bool):
        millis = inner
    elif isinstance(inner, str):
        return _iso_datetime(inner, where)
    else:
        raise ExtJsonError(where, N_("%(value)s is not a date"), "$date", value=_short(inner))
    if not math.isfinite(millis) or not _MIN_MS <= millis <= _MAX_MS:
        raise ExtJsonError(
            where, N_("%(value)s ms is outside the years 1-9999"), "$date", value=_short(millis)
        )
    return EPOCH + timedelta(milliseconds=millis)


def _iso_datetime(text: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.strip())
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ExtJsonError(
            where, N_("%(value)s is not an ISO-8601 date"), "$date", value=_short(text)
        ) from None
    return parsed
