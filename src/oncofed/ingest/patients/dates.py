"""Dates of patient records: ISO text (a day, a month or a year), a birth date's bounds, and the
warning when a date without its day (or month) is read as the 1st (`warn_partial`). A value that cannot
be read raises `FieldError`: a ValueError whose English text is its reason, with the code and
parameters that say it in the reader's language."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from oncofed.errors import N_, format_message

if TYPE_CHECKING:
    from oncofed.ingest.patients.common import Collector

TODAY_LIMIT_YEARS = 130  # a birth date older than this is impossible


class FieldError(ValueError):
    """A value that cannot be read, with its code: `str(exc)` is the English reason; `template` and
    `params` say it in the reader's language (the issue built from it carries them)."""

    def __init__(self, template: str, code: str, **params: Any) -> None:
        super().__init__(format_message(template, params))
        self.template, self.code, self.params = template, code, params


@functools.lru_cache(maxsize=65_536)
def _iso_day(value: str) -> date:
    """The calendar date of ISO text (YYYY, YYYY-MM or YYYY-MM-DD...); cached, as the same dates
    repeat across a file (a ValueError is not cached and is raised again)."""
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise FieldError(
            N_("%(value)s is not a date (YYYY-MM-DD)"), "import.date_format", value=repr(value)
        ) from exc


def partial_date(value: Any) -> str:
    """ "day" or "month" when ISO text gives no day (YYYY-MM) or no month (YYYY): read as the 1st of
    the month or of January, an assumption the import reports; "" for a full date."""
    text = value.strip() if isinstance(value, str) else ""
    if re.fullmatch(r"\d{4}", text):
        return "month"
    return "day" if re.fullmatch(r"\d{4}-\d{2}", text) else ""


def warn_partial(issues: Collector, resource: str, field_name: str, value: Any, day: date) -> None:
    """A warning when `value` was a date without its day (or month): the day assumed is named."""
    missing = partial_date(value)
    if missing == "day":
        issues.warn(
            resource, field_name, N_("%(value)s has no day: read as %(day)s"),
            N_("give the full date (YYYY-MM-DD) when it is known"), "import.date_no_day", value=repr(value), day=day,
        )  # fmt: skip
    elif missing == "month":
        issues.warn(
            resource, field_name, N_("%(value)s has no month nor day: read as %(day)s"),
            N_("give the full date (YYYY-MM-DD) when it is known"), "import.date_no_month", value=repr(value), day=day,
        )  # fmt: skip


def parse_date(value: Any, *, today: date | None = None, birth: bool = False) -> date:
    """A calendar date from ISO text, a datetime or a date; raises ValueError when impossible."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str) and value.strip():
        day = _iso_day(value)
    else:
        raise FieldError(N_("%(value)s is not a date (YYYY-MM-DD)"), "import.date_format", value=repr(value))
    today = today or date.today()
    if day > today:
        raise FieldError(N_("%(day)s is in the future"), "import.date_future", day=day)
    if birth and day.year < today.year - TODAY_LIMIT_YEARS:
        raise FieldError(
            N_("birth date %(day)s is more than %(years)s years ago"), "import.birth_too_old", day=day,
            years=TODAY_LIMIT_YEARS,
        )  # fmt: skip
    return day
