"""`oncofed boards decide|sign|record|scan|screen-failures`: a case's decision, its signed record,
and what follows it (cases re-opened by an event in the record, why boards did not propose trials).
Added to the `boards` group by `commands/boards.py` (meetings, agendas and case cards are there)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from oncofed.commands.boards import _actor, _emit, _fail, _language
from oncofed.commands.common import cells, escape
from oncofed.errors import N_


def add_record_commands(boards: typer.Typer, centre_opt: Any) -> None:  # noqa: C901 - one command group
    @boards.command("decide")
    def decide_cmd(
        case_id: int,
        file: Path = typer.Option(
            ...,
            "--file",
            help="JSON: {proposal, settings, specialties, trials: [{trial_id, proposed, reason, criterion, note}]}",
        ),
        centre: str | None = centre_opt,
    ) -> None:
        """Record a decision from a JSON file (the API's body)."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import InputError, OncofedError
        from oncofed.services.boards.decisions import TrialChoice, record_decision

        try:
            try:
                body = json.loads(file.read_text(encoding="utf-8"))
                trials = [
                    TrialChoice(
                        str(t["trial_id"]),
                        bool(t["proposed"]),
                        str(t.get("reason", "")),
                        str(t.get("criterion", "")),
                        str(t.get("note", "")),
                    )
                    for t in body.get("trials") or []
                ]
                proposal, settings, specialties = (
                    str(body.get("proposal", "")),
                    list(body.get("settings") or []),
                    list(body.get("specialties") or []),
                )
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                raise InputError(
                    N_("cannot read the decision (%(detail)s)"),
                    file=str(file),
                    fix=N_("write %(shape)s as JSON"),
                    code="boards.decision_unreadable",
                    params={"detail": str(exc), "shape": "{proposal, settings, specialties, trials}"},
                ) from exc
            out = record_decision(
                open_database(),
                _actor(centre),
                case_id,
                proposal=proposal,
                settings=settings,
                specialties=specialties,
                trials=trials,
            )
        except OncofedError as exc:
            _fail(exc)
        console.print(
            f"case {case_id} decided; pre-screening: "
            + (", ".join(f"{k}: {v['status']}" for k, v in out["screening"].items()) or "no trial proposed")
        )

    @boards.command("sign")
    def sign_cmd(
        case_id: int,
        as_user: str = typer.Option(..., "--as", help="The board coordinator's username."),
        centre: str | None = centre_opt,
    ) -> None:
        """Sign a decided record as the board's coordinator."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.services.boards.signing import sign_record

        try:
            digest = sign_record(open_database(), _actor(centre), case_id, signer=as_user)
        except OncofedError as exc:
            _fail(exc)
        from oncofed.commands.words import tr

        said = tr().gettext(
            "case %(case)s signed by %(user)s; record SHA-256 %(digest)s",
            case=case_id,
            user=as_user,
            digest=digest,
        )
        console.print(escape(said))

    @boards.command("record")
    def record_cmd(
        case_id: int,
        pdf: Path | None = typer.Option(None, "--pdf", help="Write the record as PDF here."),
        html: Path | None = typer.Option(None, "--html", help="Write the record as HTML here."),
        lang: str | None = typer.Option(None, help="en or fr (default: oncofed --lang)."),
        centre: str | None = centre_opt,
    ) -> None:
        """The RCP record of a case (the same document as the page and its PDF)."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.presenters.boards import record_document, record_pdf
        from oncofed.presenters.i18n import translator

        lang = _language(lang)
        try:
            doc = record_document(open_database(), _actor(centre), case_id, lang)
        except OncofedError as exc:
            _fail(exc, lang)
        if html:
            html.write_text(doc, encoding="utf-8")
            console.print(escape(translator(lang).gettext("written: %(path)s", path=str(html))))
        if pdf:
            pdf.write_bytes(record_pdf(doc))
            console.print(escape(translator(lang).gettext("written: %(path)s", path=str(pdf))))
        if not (html or pdf):
            sys.stdout.write(doc)

    @boards.command("scan")
    def scan_cmd(centre: str | None = centre_opt) -> None:
        """Re-open cases after progression, a new line or a new biomarker in the record."""
        from oncofed.commands.common import console, open_database
        from oncofed.services.boards.reopen import scan_events

        events = scan_events(open_database(), _actor(centre))
        for e in events:
            console.print(
                escape(
                    f"case {e.case_id} ({e.kind}) for {e.patient_id}: {e.reason}; new trials: {', '.join(e.new_trials) or 'none'}"
                )
            )
        from oncofed.presenters.i18n import translator

        console.print(
            translator("en").ngettext(
                "%(num)s case re-opened by an event in the record.",
                "%(num)s cases re-opened by an event in the record.",
                len(events),
            )
        )

    @boards.command("screen-failures")
    def failures_cmd(
        trial: str | None = typer.Option(None),
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
    ) -> None:
        """Why boards did not propose trials (counts per trial, centre, reason, criterion)."""
        from oncofed.commands.common import console, open_database
        from oncofed.commands.words import table, tr
        from oncofed.presenters.csv import to_csv
        from oncofed.services.boards.screen_failures import SCREEN_FAILURE_COLUMNS, screen_failures

        data = screen_failures(open_database(), trial_id=trial, lang=tr().lang)
        if _emit(data, as_json):
            return
        if as_csv:
            sys.stdout.write(to_csv(data["failures"], SCREEN_FAILURE_COLUMNS))
            return
        shown = table(N_("trial"), N_("centre"), N_("reason"), N_("criterion"), N_("cases"))
        for r in data["failures"][:60]:
            shown.add_row(
                *cells(
                    r["trial_id"],
                    r["board_centre_id"],
                    r["reason_label"],
                    r["criterion"][:70],
                    str(r["cases"]),
                )
            )
        console.print(shown)
