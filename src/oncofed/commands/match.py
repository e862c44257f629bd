"""`oncofed match PATIENT_ID|FILE`: the open trials a patient could enter, explained."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("match")
    def match_cmd(
        target: str = typer.Argument(
            ..., help="A patient id from the store, or a profile (.json) or note file."
        ),
        as_json: bool = typer.Option(
            False, "--json", help="Print the full report (every criterion) as JSON."
        ),
        limit: int = typer.Option(20, min=1, max=500, help="How many trials to show."),
        day: str = typer.Option("", help="Evaluate as of this day (YYYY-MM-DD); default today."),
        details: bool = typer.Option(False, "--details", help="Also print each trial's criterion table."),
    ) -> None:
        """Rank the open trials for a patient, criterion by criterion, with the nearest recruiting site."""
        from oncofed.commands.common import console, open_database
        from oncofed.domain import Actor
        from oncofed.errors import InputError
        from oncofed.services.matching.match import (
            load_patient_file,
            match_profile,
            match_stored_patient,
            report_json,
        )

        try:
            on = date.fromisoformat(day) if day else None
        except ValueError:
            raise InputError(f"{day!r} is not a date", field="--day", fix="write YYYY-MM-DD") from None
        db = open_database()
        path = Path(target)
        if path.is_file():
            profile, text = load_patient_file(path)
            report = match_profile(db, profile, day=on, limit=limit, text=text)
        else:
            if any(ch in target for ch in "/\\") or path.suffix.lower() in (".json", ".txt", ".md"):
                raise InputError("no such file", file=target, fix="check the path, or give a patient id")
            report = match_stored_patient(db, Actor.system(purpose="care"), target, day=on, limit=limit)
        data = report_json(report)
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return
        _print_report(console, data, details)


def _print_report(console: object, data: dict[str, object], details: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    assert isinstance(console, Console)
    p = data["patient"]
    assert isinstance(p, dict)
    console.print(
        f"[bold]{p['id']}[/] · {p.get('primary_cancer') or 'cancer type unknown'} · age {p.get('age_years')} · "
        f"{data['open_trials']} open trials, {data['candidates']} candidates, evaluated on {data['day']}"
    )
    if not data["criteria_parser"]:
        console.print(
            "[yellow]criteria engine not installed: only registry fields (age, sex, condition) evaluated[/]"
        )
    table = Table("#", "trial", "eligibility", "met", "not met", "unknown", "nearest recruiting site", "km")
    matches = data["matches"]
    assert isinstance(matches, list)
    for m in matches:
        site = m["nearest_site"] or {}
        c = m["counts"]
        table.add_row(
            str(m["rank"]),
            f"{m['trial_id']} {m['title'][:60]}",
            m["eligibility"].replace("_", " "),
            str(c["met"]),
            str(c["not_met"]),
            str(c["unknown"]),
            f"{site.get('facility', '—')} {site.get('city', '')}".strip(),
            "" if site.get("distance_km") is None else f"{site['distance_km']:.0f}",
        )
    console.print(table)
    if details:
        for m in matches:
            t = Table("section", "verdict", "criterion", "evidence", title=f"{m['trial_id']} criteria")
            for cr in m["criteria"]:
                t.add_row(
                    cr["section"],
                    cr["verdict"],
                    cr["text"][:80],
                    "; ".join(e["explanation"] for e in cr["evidence"])[:120],
                )
            console.print(t)
    checks = data["checks"]
    assert isinstance(checks, list)
    if checks:
        ct = Table("what to check next", "trials", title="Unknowns that would most change eligibility")
        for item in checks:
            ct.add_row(item["check"], ", ".join(item["trials"][:6]))
        console.print(ct)
