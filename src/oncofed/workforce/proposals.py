"""Negotiation proposals: read one, and the grid it would make (components changed from its date).

A proposal document (YAML or JSON):

    name: +1% on the point value
    effective: 2025-01-01
    employer_rate: 0.45            # optional: the grid's default otherwise
    months: 12                     # optional: the costing window (12 = annual cost)
    changes:
      - {kind: point_value, percent: 1}                 # or value: 4.95, or add: 0.05
      - {kind: coefficient, family: NUR, level: N2, add: 10}    # or value: 470
      - {kind: step, family: NUR, after_years: 25, points: 40}  # a new step (or new points)
      - {kind: move_step, family: NUR, after_years: 20, to_years: 18}
      - {kind: allowance, code: ONCO, family: NUR, allowance_kind: monthly, value: 50, en: ..., fr: ...}

Each change applies from `effective`: the component in force that day is ended the day before
and a new one starts (scheduled later components are left as they are).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from gettext import ngettext
from typing import Any

from oncofed.domain.workforce import (
    ALL_FAMILIES,
    Allowance,
    AllowanceKind,
    Change,
    ExperienceStep,
    Grid,
    LevelCoefficient,
    Period,
    PointValue,
    Proposal,
)
from oncofed.errors import InputError
from oncofed.workforce.grid import day_before

KINDS = ("point_value", "coefficient", "step", "move_step", "allowance")
CHANGE_FIELDS = {f.name for f in dataclasses.fields(Change)} | {"points"}
FIX = (
    "see the proposal layout in oncofed/workforce/proposals.py (resources/workforce/proposals/ has examples)"
)


def _num(value: Any, source: str, record: str, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise InputError(f"{value!r} is not a number", file=source, record=record, field=field, fix=FIX)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{value!r} is not a number", file=source, record=record, field=field, fix=FIX
        ) from exc
    if number != number:
        raise InputError("not a number", file=source, record=record, field=field, fix=FIX)
    return number


def parse_proposal(doc: Any, source: str = "proposal") -> Proposal:
    if not isinstance(doc, dict):
        raise InputError(
            "a proposal must be a mapping with name, effective and changes", file=source, fix=FIX
        )
    name = str(doc.get("name") or "").strip()
    if not name:
        raise InputError("missing", file=source, field="name", fix="give the proposal a name")
    try:
        effective = (
            doc["effective"]
            if isinstance(doc.get("effective"), date)
            else date.fromisoformat(str(doc.get("effective")))
        )
    except ValueError as exc:
        raise InputError(
            f"{doc.get('effective')!r} is not a date", file=source, field="effective", fix="use YYYY-MM-DD"
        ) from exc
    rate = _num(doc.get("employer_rate"), source, "", "employer_rate")
    if rate is not None and not 0 <= rate <= 2:
        raise InputError(
            f"{rate:g} is not a share of gross pay",
            file=source,
            field="employer_rate",
            fix="give e.g. 0.45 for 45%",
        )
    months = int(_num(doc.get("months", 12), source, "", "months") or 0)
    if not 1 <= months <= 60:
        raise InputError(
            f"{months} months", file=source, field="months", fix="cost over 1 to 60 months (12 = annual)"
        )
    raw = doc.get("changes")
    if not isinstance(raw, list) or not raw:
        raise InputError("no change listed", file=source, field="changes", fix=FIX)
    changes = []
    for i, item in enumerate(raw):
        record = f"changes[{i}]"
        if not isinstance(item, dict):
            raise InputError("must be a mapping", file=source, record=record, fix=FIX)
        unknown = sorted(set(item) - CHANGE_FIELDS)
        if unknown:
            raise InputError(
                ngettext("unknown field %(fields)s", "unknown fields %(fields)s", len(unknown))
                % {"fields": ", ".join(map(str, unknown))},
                file=source,
                record=record,
                fix=FIX,
            )
        kind = str(item.get("kind", ""))
        if kind not in KINDS:
            raise InputError(
                f"unknown kind {kind!r}",
                file=source,
                record=record,
                field="kind",
                fix=f"use one of {', '.join(KINDS)}",
            )
        value = _num(item.get("value", item.get("points")), source, record, "value")
        percent, add = (
            _num(item.get("percent"), source, record, "percent"),
            _num(item.get("add"), source, record, "add"),
        )
        if kind != "move_step" and sum(x is not None for x in (value, percent, add)) != 1:
            raise InputError(
                "give exactly one of value (points for a step), percent, add",
                file=source,
                record=record,
                fix=FIX,
            )
        if value is not None and value < 0:
            raise InputError(
                f"{value:g} is negative",
                file=source,
                record=record,
                field="value",
                fix="give a positive amount",
            )
        after = _num(item.get("after_years"), source, record, "after_years")
        to_years = _num(item.get("to_years"), source, record, "to_years")
        if kind in ("step", "move_step") and after is None:
            raise InputError(
                "missing",
                file=source,
                record=record,
                field="after_years",
                fix="give the step's years of experience",
            )
        if kind == "move_step" and to_years is None:
            raise InputError(
                "missing",
                file=source,
                record=record,
                field="to_years",
                fix="give the years the step moves to",
            )
        if kind in ("coefficient",) and not (item.get("family") and item.get("level")):
            raise InputError(
                "missing family or level",
                file=source,
                record=record,
                fix="name the level, e.g. family: NUR, level: N2",
            )
        if kind == "allowance" and not item.get("code"):
            raise InputError(
                "missing", file=source, record=record, field="code", fix="name the allowance, e.g. code: ONCO"
            )
        akind = None
        if item.get("allowance_kind") is not None:
            try:
                akind = AllowanceKind(str(item["allowance_kind"]))
            except ValueError as exc:
                raise InputError(
                    f"{item['allowance_kind']!r}",
                    file=source,
                    record=record,
                    field="allowance_kind",
                    fix=f"use one of {', '.join(k.value for k in AllowanceKind)}",
                ) from exc
        changes.append(
            Change(
                kind=kind,
                family=str(
                    item.get("family", ALL_FAMILIES if kind in ("step", "move_step", "allowance") else "")
                ),
                level=str(item.get("level", "")),
                code=str(item.get("code", "")),
                percent=percent,
                value=value,
                add=add,
                after_years=int(after) if after is not None else None,
                to_years=int(to_years) if to_years is not None else None,
                allowance_kind=akind,
                name_en=str(item.get("name_en", item.get("code", ""))),
                name_fr=str(item.get("name_fr", item.get("name_en", item.get("code", "")))),
            )
        )
    return Proposal(name, effective, tuple(changes), rate, months, str(doc.get("notes", "")), source)


def _new_value(old: float | None, change: Change, what: str, source: str, record: str) -> float:
    if change.value is not None:
        return change.value
    if old is None:
        raise InputError(
            f"{what} does not exist on the proposal's date, so it cannot be changed by percent or add",
            file=source,
            record=record,
            fix="give its value instead",
        )
    if change.percent is not None:
        return old * (1 + change.percent / 100.0)
    return old + float(change.add or 0.0)


def _split(items: list[Any], match: Any, day: date, make: Any) -> tuple[list[Any], Any | None]:
    """End the item matching `match` that is in force on `day` the day before; returns the new list
    and that item; `make(old_or_None, end)` builds the replacement from `day` (None: nothing)."""
    out, current = [], None
    for item in items:
        if match(item) and item.period.contains(day):
            current = item
            if item.period.start < day:
                out.append(dataclasses.replace(item, period=Period(item.period.start, day_before(day))))
        else:
            out.append(item)
    later = [i.period.start for i in items if match(i) and i.period.start > day]
    end = day_before(min(later)) if later else None
    if current is not None and current.period.end is not None:
        end = current.period.end
    new = make(current, Period(day, end))
    if new is not None:
        out.append(new)
    return out, current


def apply_proposal(grid: Grid, proposal: Proposal) -> Grid:
    """The grid as it would be with `proposal` signed (InputError when a change does not fit)."""
    state: dict[str, list[Any]] = {
        "point_values": list(grid.point_values),
        "levels": list(grid.levels),
        "steps": list(grid.steps),
        "allowances": list(grid.allowances),
    }
    codes = set(grid.family_codes())
    for i, change in enumerate(proposal.changes):
        _apply_change(state, change, f"changes[{i}]", proposal, codes)
    return dataclasses.replace(
        grid,
        name=f"{grid.name} + {proposal.name}",
        point_values=tuple(sorted(state["point_values"], key=lambda p: p.period.start)),
        levels=tuple(state["levels"]),
        steps=tuple(state["steps"]),
        allowances=tuple(state["allowances"]),
    )


def _apply_change(
    state: dict[str, list[Any]], ch: Change, record: str, proposal: Proposal, codes: set[str]
) -> None:
    day, src = proposal.effective, proposal.source or proposal.name
    if ch.family not in ("", ALL_FAMILIES) and ch.family not in codes:
        raise InputError(
            f"unknown family {ch.family!r}",
            file=src,
            record=record,
            field="family",
            fix=f"use one of {', '.join(sorted(codes))}",
        )

    def value(old: float | None, what: str) -> float:
        return _new_value(old, ch, what, src, record)

    if ch.kind == "point_value":
        state["point_values"], _ = _split(
            state["point_values"],
            lambda p: True,
            day,
            lambda old, per: PointValue(value(old.value if old else None, "the point value"), per),
        )
    elif ch.kind == "coefficient":
        state["levels"], _ = _split(
            state["levels"],
            lambda lv: (lv.family, lv.level) == (ch.family, ch.level),
            day,
            lambda old, per: LevelCoefficient(
                ch.family,
                ch.level,
                value(old.coefficient if old else None, f"level {ch.family}/{ch.level}"),
                per,
            ),
        )
    elif ch.kind == "step":
        state["steps"], _ = _split(
            state["steps"],
            lambda s: (s.family, s.after_years) == (ch.family, ch.after_years),
            day,
            lambda old, per: ExperienceStep(
                ch.family, int(ch.after_years or 0), value(old.points if old else None, "this step"), per
            ),
        )
    elif ch.kind == "move_step":
        state["steps"], cur = _split(
            state["steps"],
            lambda s: (s.family, s.after_years) == (ch.family, ch.after_years),
            day,
            lambda old, per: None,
        )
        if cur is None:
            raise InputError(
                f"no step after {ch.after_years} years for {ch.family} on {day}",
                file=src,
                record=record,
                field="after_years",
                fix="check the grid in force on the proposal's date",
            )
        if any(
            s.family == ch.family and s.after_years == ch.to_years and s.period.contains(day)
            for s in state["steps"]
        ):
            raise InputError(
                f"a step after {ch.to_years} years already exists for {ch.family}",
                file=src,
                record=record,
                field="to_years",
                fix="change that step's points instead",
            )
        state["steps"].append(
            ExperienceStep(ch.family, int(ch.to_years or 0), cur.points, Period(day, cur.period.end))
        )
    elif ch.kind == "allowance":

        def make(old: Allowance | None, per: Period) -> Allowance:
            kind = ch.allowance_kind or (old.kind if old else None)
            if kind is None:
                raise InputError(
                    "a new allowance needs its allowance_kind",
                    file=src,
                    record=record,
                    fix=f"use one of {', '.join(k.value for k in AllowanceKind)}",
                )
            amount = value(old.value if old else None, f"allowance {ch.code}")
            names = (old.name_en, old.name_fr) if old else (ch.name_en, ch.name_fr)
            return Allowance(ch.code, names[0], names[1], ch.family, kind, amount, per)

        state["allowances"], _ = _split(
            state["allowances"], lambda a: (a.code, a.family) == (ch.code, ch.family), day, make
        )
