"""JSON form of parsed criteria (API, CLI --json, parse cache), and back."""

from __future__ import annotations

from typing import Any

from oncofed.domain.criteria import Atom, Criterion, Section


def atom_json(a: Atom) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "code": a.code,
        "operator": a.operator,
        "value": a.value,
        "unit": a.unit,
        "span": list(a.span) if a.span else None,
        "text": a.text,
        "negated": a.negated,
        "historical": a.historical,
        "hypothetical": a.hypothetical,
        "window_days": a.window_days,
        "attributes": a.attributes,
        **({"condition": [atom_json(c) for c in a.condition]} if a.condition else {}),
    }


def criterion_json(c: Criterion) -> dict[str, Any]:
    return {
        "section": c.section.value,
        "index": c.index,
        "parent_index": c.parent_index,
        "text": c.text,
        "span": list(c.span) if c.span else None,
        "evaluable": c.evaluable,
        "atoms": [atom_json(a) for a in c.atoms],
        "condition": [atom_json(a) for a in c.condition],
        "cohort": c.cohort,
    }


def atom_from_json(d: dict[str, Any]) -> Atom:
    return Atom(
        kind=d["kind"],
        operator=d["operator"],
        value=d.get("value"),
        unit=d.get("unit"),
        code=d.get("code"),
        span=tuple(d["span"]) if d.get("span") else None,  # type: ignore[arg-type]
        text=d.get("text", ""),
        negated=bool(d.get("negated")),
        historical=bool(d.get("historical")),
        hypothetical=bool(d.get("hypothetical")),
        window_days=d.get("window_days"),
        attributes=d.get("attributes") or {},
        condition=tuple(atom_from_json(c) for c in d.get("condition") or ()),
    )


def criterion_from_json(d: dict[str, Any]) -> Criterion:
    return Criterion(
        section=Section(d["section"]),
        index=int(d["index"]),
        text=d["text"],
        span=tuple(d["span"]) if d.get("span") else None,  # type: ignore[arg-type]
        atoms=tuple(atom_from_json(a) for a in d.get("atoms", [])),
        parent_index=d.get("parent_index"),
        condition=tuple(atom_from_json(a) for a in d.get("condition") or ()),
        cohort=d.get("cohort"),
    )
