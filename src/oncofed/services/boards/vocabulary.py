"""The words of a board's record, from `resources/boards/vocabulary.yaml`, and their checks."""

from __future__ import annotations

import functools
from typing import Any

from oncofed.errors import N_, InputError
from oncofed.resources import load_yaml


@functools.cache
def vocabulary() -> dict[str, dict[str, dict[str, Any]]]:
    data: dict[str, dict[str, dict[str, Any]]] = load_yaml("boards/vocabulary.yaml")
    return data


def codes(group: str) -> list[str]:
    return list(vocabulary()[group])


def label(group: str, code: str, lang: str = "en") -> str:
    entry = vocabulary()[group].get(code) or {}
    return str(entry.get(lang) or entry.get("en") or code)


def check_code(group: str, code: str, field: str) -> str:
    """`code` when it is one of `group`'s codes, else an error naming the field and the choices."""
    if code not in vocabulary()[group]:
        raise InputError(
            N_("unknown %(field)s '%(code)s'"),
            field=field,
            fix=N_("use one of: %(choices)s"),
            code="boards.unknown_code",
            params={"field": field, "code": code, "choices": list(codes(group)), "vocabulary": group},
        )
    return code


def check_codes(group: str, values: list[str], field: str, *, required: bool) -> list[str]:
    """Distinct known codes in the given order; an empty list is refused when `required`."""
    out = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if required and not out:
        raise InputError(
            N_("the %(field)s list is empty"),
            field=field,
            fix=N_("give at least one of: %(choices)s"),
            code="boards.empty_list",
            params={"field": field.replace("_", " "), "choices": list(codes(group)), "vocabulary": group},
        )
    for v in out:
        check_code(group, v, field)
    return out


def site_for_cancer(oncotree_code: str | None) -> str:
    """The organ board a cancer usually goes to (`general` when no board site lists it)."""
    if oncotree_code:
        for site, entry in vocabulary()["board_sites"].items():
            if oncotree_code.upper() in (entry.get("oncotree") or []):
                return site
    return "general"


# what re-opens a case (reopen.detect_events) and the words its stored reason opens with, per case kind:
# one table for the service that writes the reason and for trail_params, which reads old rows back
PROGRESSION_STATUSES = frozenset(
    {"progression", "progressive", "progressive_disease", "refractory", "recurrent", "relapsed"}
)
REASON_OPENINGS = {
    "progression": "progression: ",
    "new_line": "new line of treatment: ",
    "new_biomarker": "new biomarker result: ",
}
