"""`oncofed match PATIENT_ID|FILE`: the open trials a patient could enter, explained."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from oncofed.commands.words import num, tr
from oncofed.commands.words import table as words_table
from oncofed.errors import N_


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
        from oncofed.commands.common import console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.errors import InputError
        from oncofed.presenters.matching import report_to_dict
        from oncofed.services.matching.match import (
            load_patient_file,
            match_profile,
            match_stored_patient,
        )

        try:
            on = date.fromisoformat(day) if day else None
        except ValueError:
            raise InputError(
                N_("%(value)s is not a date"), field="--day", fix=N_("write YYYY-MM-DD"), code="input.not_date",
                params={"value": repr(day)},
            ) from None  # fmt: skip
        db = open_database()
        path = Path(target)
        if path.is_file():
            profile, text = load_patient_file(path)
            report = match_profile(db, profile, day=on, limit=limit, text=text)
        else:
            if any(ch in target for ch in "/\\") or path.suffix.lower() in (".json", ".txt", ".md"):
                raise InputError(
                    N_("no such file"), file=target, fix=N_("check the path, or give a patient id"),
                    code="file.missing",
                )  # fmt: skip
            # the person at the terminal, audited as cli:<OS user> (every centre: the CLI runs where the
            # database is)
            from oncofed.services.patients.search import resolve_patient_id

            actor = operator("care", f"match {target}")
            # the source record's id works too (the store prefixes it with the centre, issue 18)
            report = match_stored_patient(
                db, actor, resolve_patient_id(db, actor, target), day=on, limit=limit
            )
        data = report_to_dict(report)
        if not path.is_file():  # a stored patient: where the referral would go (one answer: referral_site.py)
            from oncofed.presenters.referrals import attach_referral_sites
            from oncofed.services.network.referral_site import referral_options

            ids = [m["trial_id"] for m in data["matches"]]
            with db.session() as s:
                options = referral_options(s, ids, report.patient.centre_id, report.patient.home)
            attach_referral_sites(data, options, tr().lang)
        if not data["open_trials"]:  # say why nothing can match (issue 18)
            from oncofed.commands.common import err_console
            from oncofed.services.trials.setup import explain_no_open_trial, registry_overview

            overview = registry_overview(db)
            key, params = explain_no_open_trial(overview)
            data["why_no_open_trial"] = tr().label("wd_why", key, **params) if key else None
            if key:
                err_console.print(
                    f"[yellow]{escape(str(data['why_no_open_trial']))}[/] (`oncofed trials open TRIAL --centre ...`)"
                )
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return
        _print_report(console, data, details)


def _site_cells(m: dict[str, Any], site: dict[str, Any]) -> tuple[str, str]:
    """The referral's proposed site and its reason for a stored patient (services/network/referral_site.py),
    else (a profile file) the nearest recruiting site of the registry."""
    if "referral_site" in m:
        r = m["referral_site"]
        if r is None:
            return tr().gettext("recruits at no network centre"), ""
        return r["name"], "" if r["km"] is None else num(r["km"], 0)  # its reason: --json, the page
    km = site.get("distance_km")
    return f"{site.get('facility', '—')} {site.get('city', '')}".strip(), "" if km is None else num(km, 0)


def _print_report(console: object, data: dict[str, object], details: bool) -> None:
    from rich.console import Console

    from oncofed.commands.common import cells, escape
    from oncofed.presenters.engine_text import say

    t = tr()
    assert isinstance(console, Console)
    p = data["patient"]
    assert isinstance(p, dict)
    age = (
        t.gettext("age unknown")
        if p.get("age_years") is None
        else t.gettext("age %(age)s", age=p["age_years"])
    )
    said = t.gettext(
        "%(patient)s · %(cancer)s · %(age)s · %(open)s %(candidates)s evaluated on %(day)s",
        patient=p["id"],
        cancer=p.get("primary_cancer") or t.gettext("cancer type unknown"),
        age=age,
        open=t.ngettext("%(num)s open trial,", "%(num)s open trials,", int(str(data["open_trials"]))),
        candidates=t.ngettext("%(num)s candidate,", "%(num)s candidates,", int(str(data["candidates"]))),
        day=t.day(data["day"]),
    )
    console.print(f"[bold]{escape(said)}[/]")
    matches = data["matches"]
    assert isinstance(matches, list)
    referral = bool(matches) and "referral_site" in matches[0]  # a stored patient: the referral's site
    site_header = N_("referral site") if referral else N_("nearest recruiting site")
    table = words_table(
        "#",
        N_("trial"),
        N_("verdict"),
        N_("met"),
        N_("against"),
        N_("unknown"),
        N_("not applicable"),
        site_header,
        "km",
    )
    style = {"eligible": "green", "excluded": "red", "unknown": "yellow", "not_evaluated": "dim"}
    for m in matches:
        site = m["nearest_site"] or {}
        c = m["counts"]
        verdict = t.label("match_verdict", "unlikely" if m.get("probably_not") else m["verdict"])
        verdict += f" ({m['cohort']})" if m["cohort"] else ""
        row = cells(
            m["rank"],
            f"{m['trial_id']} {m['title'][:60]}",
            verdict,
            c["satisfied"],
            c["violated"],
            c["unknown"],
            c["not_applicable"],
            *_site_cells(m, site),
        )
        row[2] = f"[{style[m['verdict']]}]{row[2]}[/]"
        table.add_row(*row)
    console.print(table)
    if details:
        for m in matches:
            title = f"{m['trial_id']}{t.colon()}{t.label('match_verdict', m['verdict'])}"
            if m["cohort"]:
                title += ", " + t.gettext("assessed in cohort: %(cohort)s", cohort=m["cohort"])
            criteria = words_table(
                N_("section"),
                N_("outcome"),
                N_("criterion"),
                N_("evidence (source)"),
                said_title=escape(title),
            )
            for cr in m["criteria"]:
                source = f" [{'; '.join(cr['sources'])}]" if cr["sources"] else ""
                outcome = t.label("match_o", cr["label_key"]) if cr.get("label_key") else cr["label"]
                evidence = say(t.lang, cr["evidence"]) + source
                criteria.add_row(
                    *cells(t.label("match_sec", cr["section"]), outcome, cr["text"][:90], evidence[:200])
                )
            console.print(criteria)
    checks = data["checks"]
    assert isinstance(checks, list)
    if checks:
        ct = words_table(
            N_("what to check next"),
            N_("trials"),
            title=N_("Unknowns that would most change the verdicts, most decisive first"),
        )
        for item in checks:
            ct.add_row(*cells(say(t.lang, item["check"]), ", ".join(item["trials"][:6])))
        console.print(ct)
