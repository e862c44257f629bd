"""JSON and CSV shapes of the workforce area (grid, headcount, compliance, costing), shared by
the web pages, the JSON API and `oncofed grid|staff ...`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from oncofed.domain.workforce import CostLine, Proposal

HEADCOUNT_COLUMNS = ["centre_id", "centre", "family", "level", "staff", "fte"]
COMPLIANCE_COLUMNS = ["centre_id", "centre", "on", "staff", "below_minimum", "shortfall_monthly"]
FLAGGED_COLUMNS = [
    "centre_id",
    "staff_id",
    "family",
    "level",
    "hire_date",
    "fte",
    "gross_monthly",
    "minimum_monthly",
    "gap_monthly",
]
COSTING_COLUMNS = [
    "centre_id",
    "centre",
    "family",
    "family_en",
    "family_fr",
    "staff",
    "fte",
    "baseline_gross",
    "gross_delta",
    "employer_delta",
    "total",
    "percent",
]
COMPARE_COLUMNS = [
    "centre_id",
    "centre",
    "staff",
    "a_total",
    "b_total",
    "difference",
    "a_percent",
    "b_percent",
]
GRID_LEVEL_COLUMNS = [
    "family",
    "family_en",
    "family_fr",
    "level",
    "coefficient",
    "point_value",
    "base_monthly",
]


def _money(x: float) -> float:
    return round(x, 2)


def _pct(delta: float, base: float) -> float | None:
    return round(100.0 * delta / base, 3) if base else None


def _line(line: CostLine, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "centre_id": line.centre_id,
        "centre": names.get(line.centre_id, line.centre_id),
        "family": line.family,
        "staff": line.staff,
        "fte": round(line.fte, 2),
        "baseline_gross": _money(line.baseline_gross),
        "gross_delta": _money(line.gross_delta),
        "employer_delta": _money(line.employer_delta),
        "total": _money(line.total),
        "percent": _pct(line.gross_delta, line.baseline_gross),
    }


def _sum(lines: list[CostLine], key: str, value: str, names: Mapping[str, str]) -> list[dict[str, Any]]:
    acc: dict[str, CostLine] = {}
    for ln in lines:
        k = getattr(ln, key)
        a = acc.setdefault(
            k, CostLine(ln.centre_id if key == "centre_id" else "*", ln.family if key == "family" else "*")
        )
        a.staff += ln.staff
        a.fte += ln.fte
        a.baseline_gross += ln.baseline_gross
        a.gross_delta += ln.gross_delta
        a.employer_delta += ln.employer_delta
    out = [_line(a, names) for a in acc.values()]
    return sorted(out, key=lambda r: r[value])


def proposal_json(p: Proposal) -> dict[str, Any]:
    return {
        "name": p.name,
        "effective": p.effective.isoformat(),
        "months": p.months,
        "employer_rate": p.employer_rate,
        "notes": p.notes,
        "changes": [{k: v for k, v in asdict(c).items() if v not in (None, "")} for c in p.changes],
    }


def costing_json(costing: Any, names: Mapping[str, str]) -> dict[str, Any]:
    r = costing.result
    families = getattr(costing, "family_names", {})

    def named(row: dict[str, Any]) -> dict[str, Any]:
        en, fr = families.get(row["family"], (row["family"], row["family"]))
        return {**row, "family_en": en, "family_fr": fr}

    total = CostLine("*", "*")
    for ln in r.lines:
        total.staff += ln.staff
        total.fte += ln.fte
        total.baseline_gross += ln.baseline_gross
        total.gross_delta += ln.gross_delta
        total.employer_delta += ln.employer_delta
    return {
        "proposal": proposal_json(r.proposal),
        "grid": costing.grid_name,
        "fictional_grid": costing.grid_fictional,
        "employer_rate": r.employer_rate,
        "window": {
            "from": r.window_start.isoformat(),
            "until": r.window_end.isoformat(),
            "months": r.proposal.months,
        },
        "staff_counted": r.staff_counted,
        "network": _line(total, names),
        "centres": _sum(r.lines, "centre_id", "centre", names),
        "families": [named(f) for f in _sum(r.lines, "family", "family", names)],
        "lines": sorted(
            (named(_line(ln, names)) for ln in r.lines), key=lambda x: (x["centre"], x["family"])
        ),
    }


def compare_json(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two costings side by side, per centre and for the network (B minus A)."""
    by_b = {c["centre_id"]: c for c in b["centres"]}
    rows = []
    for c in a["centres"]:
        other = by_b.get(c["centre_id"], {"total": 0.0, "percent": None})
        rows.append(
            {
                "centre_id": c["centre_id"],
                "centre": c["centre"],
                "staff": c["staff"],
                "a_total": c["total"],
                "b_total": other["total"],
                "difference": _money(other["total"] - c["total"]),
                "a_percent": c["percent"],
                "b_percent": other["percent"],
            }
        )
    net = {
        "a_total": a["network"]["total"],
        "b_total": b["network"]["total"],
        "difference": _money(b["network"]["total"] - a["network"]["total"]),
        "a_percent": a["network"]["percent"],
        "b_percent": b["network"]["percent"],
        "staff": a["network"]["staff"],
    }
    return {
        "a": a["proposal"],
        "b": b["proposal"],
        "employer_rate": [a["employer_rate"], b["employer_rate"]],
        "fictional_grid": a["fictional_grid"],
        "network": net,
        "centres": rows,
    }


def with_names(rows: list[dict[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{**r, "centre": names.get(r["centre_id"], r["centre_id"])} for r in rows]
