"""CTML values: the field names, maps and comparisons of MatchMiner's data model (see `engine` for the
semantics), and how birth and report dates are read off a clinical record."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from oncofed.errors import InputError

STRUCTURED_SV_FROM = datetime(2018, 12, 1)

LEVEL_KEYS = {
    "step": ("step_code", "step_internal_id"),
    "arm": ("arm_code", "arm_internal_id"),
    "dose_level": ("level_code", "level_internal_id"),
}
LEVEL_NAMES = {"step": "step", "arm": "arm", "dose_level": "dose"}

# trial key -> candidate sample fields, first present wins (MatchMiner V2, then CTIMS names)
GENOMIC_FIELDS: dict[str, tuple[str, ...]] = {
    "HUGO_SYMBOL": ("TRUE_HUGO_SYMBOL", "HARMONIZED_HUGO_SYMBOL", "HUGO_SYMBOL"),
    "PROTEIN_CHANGE": ("TRUE_PROTEIN_CHANGE", "HARMONIZED_PROTEIN_CHANGE", "PROTEIN_CHANGE"),
    "WILDCARD_PROTEIN_CHANGE": ("TRUE_PROTEIN_CHANGE", "HARMONIZED_PROTEIN_CHANGE", "PROTEIN_CHANGE"),
    "VARIANT_CLASSIFICATION": (
        "TRUE_VARIANT_CLASSIFICATION",
        "HARMONIZED_VARIANT_CLASSIFICATION",
        "VARIANT_CLASSIFICATION",
    ),
    "EXON": ("TRUE_TRANSCRIPT_EXON", "HARMONIZED_TRANSCRIPT_EXON", "EXON"),
    "VARIANT_CATEGORY": ("VARIANT_CATEGORY",),
    "CNV_CALL": ("CNV_CALL",),
    "WILDTYPE": ("WILDTYPE",),
    "MMR_STATUS": ("MMR_STATUS",),
    "MS_STATUS": ("MMR_STATUS",),
    "APOBEC_SIGNATURE": ("APOBEC_STATUS",),
    "POLE_SIGNATURE": ("POLE_STATUS",),
    "TOBACCO_SIGNATURE": ("TOBACCO_STATUS", "TABACCO_STATUS"),
    "TEMOZOLOMIDE_SIGNATURE": ("TEMOZOLOMIDE_STATUS",),
    "UVA_SIGNATURE": ("UVA_STATUS",),
    "FUSION_PARTNER_HUGO_SYMBOL": ("FUSION_PARTNER_HUGO_SYMBOL",),
    "LEFT_PARTNER_GENE": ("LEFT_PARTNER_GENE", "HARMONIZED_LEFT_PARTNER_GENE"),
    "RIGHT_PARTNER_GENE": ("RIGHT_PARTNER_GENE", "HARMONIZED_RIGHT_PARTNER_GENE"),
    "STRUCTURAL_VARIANT_COMMENT": ("STRUCTURAL_VARIANT_COMMENT",),
}
SIGNATURE_KEYS = {
    "APOBEC_SIGNATURE",
    "POLE_SIGNATURE",
    "TOBACCO_SIGNATURE",
    "TEMOZOLOMIDE_SIGNATURE",
    "UVA_SIGNATURE",
    "MMR_STATUS",
    "MS_STATUS",
}
IGNORED_CLINICAL = {"HER2_STATUS", "ER_STATUS", "PR_STATUS", "DISEASE_STATUS"}
IGNORED_GENOMIC = {"DISPLAY_NAME"}
CNV_MAP = {
    "High Amplification": "High level amplification",
    "Homozygous Deletion": "Homozygous deletion",
    "Low Amplification": "Gain",
    "Heterozygous Deletion": "Heterozygous deletion",
}
MMR_MAP = {
    "MMR-Proficient": "Proficient (MMR-P / MSS)",
    "MMR-Deficient": "Deficient (MMR-D / MSI-H)",
    "MSI-H": "Deficient (MMR-D / MSI-H)",
    "MSI-L": "Proficient (MMR-P / MSS)",
    "MSS": "Proficient (MMR-P / MSS)",
}
OPEN_STATUS = "open to accrual"


def is_negate(value: Any) -> tuple[Any, bool]:
    if isinstance(value, str) and value.startswith("!"):
        return value[1:], True
    return value, False


def first_field(doc: dict[str, Any], names: Iterable[str]) -> tuple[str | None, Any]:
    for name in names:
        if name in doc:
            return name, doc[name]
    return None, None


def equal(doc_value: Any, wanted: Any) -> bool:
    if isinstance(doc_value, list):
        return any(equal(v, wanted) for v in doc_value)
    if wanted is None:
        return doc_value is None
    if doc_value is None:
        return False
    if isinstance(wanted, bool) or isinstance(doc_value, bool):
        return str(doc_value).strip().lower() == str(wanted).strip().lower()
    if isinstance(wanted, int | float) or isinstance(doc_value, int | float):
        a, b = to_float(doc_value), to_float(wanted)
        return a is not None and a == b
    return doc_value == wanted


def eq_test(wanted: Any) -> Callable[[Any], bool]:
    return lambda v: equal(v, wanted)


def in_test(names: set[Any]) -> Callable[[Any], bool]:
    return lambda v: v in names


def regex_test(rx: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, str) and bool(rx.match(v))


def str_eq_test(wanted: Any) -> Callable[[Any], bool]:
    return lambda v: v is not None and str(v).strip() == str(wanted).strip()


def to_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def parse_op(text: str) -> tuple[str, str]:
    text = str(text).strip()
    op = "".join(c for c in text if not c.isdigit() and c != "." and not c.isspace())
    num = "".join(c for c in text if c.isdigit() or c == ".")
    if num.startswith("."):
        num = "0" + num
    if op not in ("==", "<=", ">=", ">", "<", "="):
        raise InputError(f"unreadable comparison {text!r}", fix="write e.g. >=18, <40, ==10")
    return ("==" if op == "=" else op), num


def subtract(day: date, years: int, months: int) -> date:
    total = day.year * 12 + (day.month - 1) - (years * 12 + months)
    y, m = divmod(total, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, d)
        except ValueError:
            continue
    return date(y, m, 28)


def birth_date_of(doc: dict[str, Any]) -> date | None:
    raw = doc.get("BIRTH_DATE_INT")
    if raw is not None:
        try:
            n = int(float(raw))
            return date(n // 10000, (n // 100) % 100, n % 100)
        except (ValueError, TypeError):
            pass
    raw = doc.get("BIRTH_DATE")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        parsed = parse_datetime(raw)
        return parsed.date() if parsed else None
    return None


def report_date_of(doc: dict[str, Any]) -> datetime | None:
    raw = doc.get("REPORT_DATE")
    if isinstance(raw, datetime):
        return raw.astimezone(UTC).replace(tzinfo=None) if raw.tzinfo else raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    if isinstance(raw, str):
        return parse_datetime(raw)
    return None


def parse_datetime(text: str) -> datetime | None:
    """A date or date-time written as ISO-8601, YYYYMMDD, MM/DD/YYYY, DD/MM/YYYY or "Month D, YYYY";
    naive, in UTC when the text has an offset; None when unreadable."""
    text = text.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in ("%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%B %d, %Y"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
