"""`oncofed patients list|search|show|correct|refer` and `oncofed trials open|setup` (issue 18):
the same service functions as the pages, as the person at the terminal (audited as cli:<OS user>).
Centres are accepted by id or by name ("Gustave Roussy", case and accents ignored)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import typer

from oncofed.commands.words import day, table, tr
from oncofed.errors import N_


def _group(app: typer.Typer, name: str, help_text: str) -> typer.Typer:
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


def _value(t: Any, value: Any) -> str:
    """A fact's value as the language writes a number ("1,77" in French); any other value as written."""
    if isinstance(value, bool) or value in (None, ""):
        return "" if value is None else str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(value) if str(value).strip().startswith(("+", "0x")) else t.number(number)


def _print_patients(data: dict[str, object], as_json: bool, as_csv: bool) -> None:

    from oncofed.commands.common import cells, console, escape
    from oncofed.presenters.csv import to_csv
    from oncofed.services.patients.search import SEARCH_COLUMNS

    rows = data["patients"]
    assert isinstance(rows, list)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if as_csv:
        sys.stdout.write(
            to_csv([{**r, "biomarkers": "; ".join(r["biomarkers"])} for r in rows], SEARCH_COLUMNS)
        )
        return
    from oncofed.commands.words import table, tr

    t = tr()
    shown = table(N_("id"), N_("original id"), N_("centre"), N_("sex"), N_("age"), N_("cancer"), N_("stage"), "ECOG",
                  N_("biomarkers"))  # fmt: skip
    for r in rows:
        age = "" if r["age_years"] is None else str(int(r["age_years"]))
        shown.add_row(*cells(r["id"], r["original_id"], r["centre_id"], t.label("wd_sex", r["sex"]), age,
                             r["primary_cancer"], r["stage"], r["ecog"], ", ".join(r["biomarkers"])))  # fmt: skip
    console.print(shown)
    pages = max(1, -(-int(data["total"]) // int(data["size"])))  # type: ignore[call-overload]
    said = t.gettext(
        "%(patients)s · page %(page)s of %(pages)s",
        patients=t.ngettext("%(num)s patient", "%(num)s patients", int(data["total"])),  # type: ignore[call-overload]
        page=data["page"],
        pages=pages,
    )
    console.print(escape(said))


def register(app: typer.Typer) -> None:
    patients = _group(app, "patients", "Patients of the store: list, search, show, correct a fact, refer.")
    trials = _group(app, "trials", "The trial registry.")

    def _query(q: str, cancer: str, stage: str, gene: str, variant: str, centre: str, page: int, size: int):  # type: ignore[no-untyped-def]
        from oncofed.commands.common import open_database
        from oncofed.commands.operator import operator
        from oncofed.services.network.names import resolve_centre_id
        from oncofed.services.patients.search import PatientQuery, search_patients

        db = open_database()
        centre_id = resolve_centre_id(db, centre) or ""
        actor = operator("care", f"patients search {q}".strip())
        query = PatientQuery(q, cancer, stage, gene, variant, centre_id, page, size)
        return search_patients(db, actor, query)

    @patients.command("list")
    def list_cmd(
        centre: str = typer.Option("", "--centre", "-c", help="Centre id or name."),
        page: int = typer.Option(1, min=1),
        size: int = typer.Option(50, min=1, max=500),
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
    ) -> None:
        """List patients (a page at a time), with their original ids."""
        _print_patients(_query("", "", "", "", "", centre, page, size), as_json, as_csv)

    @patients.command("search")
    def search_cmd(
        q: str = typer.Argument("", help="Id (the store's or the source record's) or name."),
        cancer: str = typer.Option("", help="OncoTree code or name (subtypes included), e.g. BRCA, NSCLC."),
        stage: str = typer.Option("", help="Stage group, e.g. IV (IVA, IVB too)."),
        gene: str = typer.Option("", help="Gene or marker, e.g. EGFR, ERBB2, HER2."),
        variant: str = typer.Option("", help="Variant or status, e.g. L858R, amplification, positive."),
        centre: str = typer.Option("", "--centre", "-c", help="Centre id or name."),
        page: int = typer.Option(1, min=1),
        size: int = typer.Option(50, min=1, max=500),
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
    ) -> None:
        """Search patients by id, name, cancer type, stage, gene and variant."""
        _print_patients(_query(q, cancer, stage, gene, variant, centre, page, size), as_json, as_csv)

    @patients.command("show")
    def show_cmd(
        patient: str = typer.Argument(..., help="Store id or the source record's id."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """One patient: every fact with its source (numbered: `patients correct --fact N`)."""

        from oncofed.commands.common import cells, console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.presenters.patients import profile_json
        from oncofed.services.patients.search import resolve_patient_id
        from oncofed.store.repositories import PatientRepository

        db = open_database()
        actor = operator("care", f"patients show {patient}")
        pid = resolve_patient_id(db, actor, patient)
        with db.session() as s:
            profile = PatientRepository(s, actor).get(pid)
            data = profile_json(profile)
        if as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        from oncofed.commands.words import table, tr
        from oncofed.domain.patient import whole_years

        t = tr()
        years = whole_years(profile.age_on(date.today()))
        said = t.gettext(
            "%(id)s · %(centre)s · %(sex)s · age %(age)s · %(cancer)s · stage %(stage)s · ECOG %(ecog)s",
            id=data["id"], centre=data["centre_id"], sex=t.label("wd_sex", data["sex"] or ""),
            age="?" if years is None else years, cancer=data["primary_cancer"] or "", stage=data["stage"] or "?",
            ecog="?" if data["ecog"] is None else data["ecog"],
        )  # fmt: skip
        console.print(f"[bold]{escape(said)}[/]")
        shown = table("#", N_("kind"), N_("code"), N_("value"), N_("source"))
        facts = data["facts"]
        assert isinstance(facts, list)
        for i, f in enumerate(facts):
            if f["kind"] == "note":
                continue
            value = f"{_value(t, f.get('value', ''))} {f.get('unit') or ''}".strip()
            if f.get("negated"):
                value = t.gettext("absent: %(value)s", value=value)
            shown.add_row(
                *cells(i, t.label("kind", f["kind"]), f.get("code"), value[:60], f.get("source", ""))
            )
        console.print(shown)

    @patients.command("correct")
    def correct_cmd(
        patient: str = typer.Argument(..., help="Store id or the source record's id."),
        kind: str = typer.Option(..., help="Fact kind: biomarker, stage, ecog, primary_cancer, lab, ..."),
        reason: str = typer.Option(..., help="Why (audited), e.g. 'pathology report of 12 March'."),
        fact: int = typer.Option(
            -1, "--fact", help="Number of the fact to replace (see `patients show`); default: add."
        ),
        code: str = typer.Option("", help="Code: gene, OncoTree code, analyte, site..."),
        value: str = typer.Option("", help="Value: 3+, L858R, IV, 1, ..."),
        unit: str = typer.Option("", help="Unit (labs)."),
        negated: bool = typer.Option(False, "--absent", help="The fact is explicitly absent."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Correct or add a fact (provenance 'corrected by', audited), then match the patient again."""
        from oncofed.commands.common import console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.presenters.matching import report_to_dict
        from oncofed.services.matching.match import match_stored_patient
        from oncofed.services.patients.corrections import FactInput, correct_fact
        from oncofed.services.patients.search import resolve_patient_id

        db = open_database()
        actor = operator("care", f"patients correct {patient}")
        pid = resolve_patient_id(db, actor, patient)
        done = correct_fact(db, actor, pid, FactInput(kind, code, value, unit, negated), reason,
                            index=None if fact < 0 else fact)  # fmt: skip
        matches = report_to_dict(match_stored_patient(db, actor, pid, limit=10))["matches"]
        if as_json:
            print(
                json.dumps(
                    {"correction": done, "matches": matches}, ensure_ascii=False, indent=2, default=str
                )
            )
            return
        from oncofed.commands.words import tr

        t = tr()
        said = t.gettext(
            "correction %(id)s saved (%(action)s %(kind)s); matched again:",
            id=done["id"],
            action=t.label("wd_correction", done["action"]),
            kind=t.label("kind", done["kind"]),
        )
        console.print(escape(said))
        for m in matches:
            console.print(
                escape(f"  {m['rank']:>2} {m['trial_id']} {m['verdict_label']}  {m['title'][:70]}"),
                highlight=False,
            )

    @patients.command("refer")
    def refer_cmd(
        patient: str = typer.Argument(..., help="Store id or the source record's id."),
        trial: str = typer.Argument(..., help="Trial id."),
        site: str = typer.Option(
            "",
            "--site",
            help="The recruiting network centre (id or name); default: the patient's own centre when it "
            "recruits, else the nearest recruiting centre.",
        ),
        note: str = typer.Option("", help="A note for the site's research team."),
    ) -> None:
        """Refer the patient to a trial at a site: its pre-screening list (same centre) and its research staff."""
        from oncofed.commands.common import cli_language, console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.presenters.referrals import site_reason
        from oncofed.services.network.names import resolve_centre
        from oncofed.services.network.referral_site import patient_referral_options
        from oncofed.services.patients.search import resolve_patient_id
        from oncofed.services.prescreen.referrals import refer_patient

        db = open_database()
        actor = operator("care", f"patients refer {patient} {trial}")
        patient_id = resolve_patient_id(db, actor, patient)
        if site:
            centre_id = resolve_centre(db, site, field="--site").id
        else:  # the site the referral form proposes, and why
            default = patient_referral_options(db, actor, patient_id, trial)["default"]
            centre_id = default["centre_id"]
            said = tr().gettext(
                "site: %(centre)s (%(why)s)", centre=centre_id, why=site_reason(default, cli_language())
            )
            console.print(escape(said), highlight=False)
        done = refer_patient(db, actor, patient_id, trial, centre_id, note)
        t = tr()
        said = t.gettext("%(patient)s referred to %(trial)s at %(site)s", patient=done["patient_id"], trial=trial,
                         site=done["site"])  # fmt: skip
        if done["screening_status"]:
            status = t.label("st", done["screening_status"])
            said += " " + t.gettext("(pre-screening status: %(status)s)", status=status)
        console.print(escape(said))

    @trials.command("open")
    def open_cmd(
        trial: str = typer.Argument(..., help="Trial id (an imported trial)."),
        centre: str = typer.Option(
            ..., "--centre", "-c", help="Network centre: id or name ('Gustave Roussy')."
        ),
        pi: str = typer.Option("", "--pi", help="Principal investigator at this centre."),
        contact_name: str = typer.Option(
            "", "--contact", help="Contact name (research nurse, trial office)."
        ),
        email: str = typer.Option("", "--email", help="Contact e-mail."),
        phone: str = typer.Option("", "--phone", help="Contact phone."),
        target: int = typer.Option(0, min=0, help="Patients to enrol at this centre (0 = none set)."),
        opening_date: str = typer.Option(
            "", "--opening-date", help="YYYY-MM-DD (default today when recruiting)."
        ),
        status: str = typer.Option(
            "RECRUITING", help="Local status: RECRUITING, NOT_YET_RECRUITING, SUSPENDED, ..."
        ),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Open (or update, close) an imported trial at a network centre."""
        from oncofed.commands.common import console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.errors import InputError
        from oncofed.services.trials.setup import SiteSetup, open_trial

        try:
            opening = date.fromisoformat(opening_date) if opening_date else None
        except ValueError:
            raise InputError(
                N_("%(value)s is not a date"), field="--opening-date", fix=N_("write YYYY-MM-DD"),
                code="input.not_date", params={"value": repr(opening_date)},
            ) from None  # fmt: skip
        db = open_database()
        actor = operator("trial set-up", f"trials open {trial} --centre {centre}")
        done = open_trial(
            db,
            actor,
            trial,
            SiteSetup(centre, status, pi, contact_name, email, phone, target or None, opening),
        )
        if as_json:
            print(json.dumps(done, ensure_ascii=False, indent=2))
            return
        t = tr()
        said = t.gettext(
            "%(trial)s at %(centre)s: %(status)s · PI %(pi)s · target %(target)s", trial=trial, centre=done["centre"],
            status=t.label("wd_status", done["local_status"]), pi=done["principal_investigator"] or "—",
            target=done["target"] or "—",
        )  # fmt: skip
        console.print(escape(said))

    @trials.command("setup")
    def setup_cmd(
        trial: str = typer.Argument("", help="One trial (default: every trial)."),
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
    ) -> None:
        """Trials' set-up at network centres, and the trials still to open."""

        from oncofed.commands.common import cells, console, escape, open_database
        from oncofed.presenters.csv import to_csv
        from oncofed.services.trials.setup import (
            SETUP_COLUMNS,
            list_setups,
            registry_overview,
            trials_to_set_up,
        )

        db = open_database()
        rows = list_setups(db, trial or None)
        if as_csv:
            sys.stdout.write(to_csv(rows, SETUP_COLUMNS))
            return
        if as_json:
            print(json.dumps({"setups": rows, "to_set_up": trials_to_set_up(db), "registry": registry_overview(db)},
                             ensure_ascii=False, indent=2))  # fmt: skip
            return
        t = tr()
        shown = table(
            N_("trial"), N_("centre"), N_("status"), N_("PI"), N_("contact"), N_("target"), N_("opened on")
        )
        for r in rows:
            contact = " · ".join(x for x in (r["contact_name"], r["contact_phone"], r["contact_email"]) if x)
            shown.add_row(*cells(r["trial_id"], r["centre"], t.label("wd_status", r["local_status"]),
                                 r["principal_investigator"], contact, r["target"], day(r["opening_date"])))  # fmt: skip
        console.print(shown)
        o = registry_overview(db)
        said = t.gettext(
            "%(trials)s, %(recruiting)s recruiting, %(network)s at a network centre",
            trials=t.ngettext("%(num)s trial", "%(num)s trials", o["trials"]),
            recruiting=o["recruiting"],
            network=o["recruiting_at_network_centre"],
        )
        console.print(escape(said))
