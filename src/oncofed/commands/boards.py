"""`oncofed boards ...`: tumour boards (RCP) from the command line, through the same services and
presenters as /boards. The person at the terminal is an operator, audited like anyone."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import typer

from oncofed.commands.common import cells, centre_option, escape
from oncofed.commands.words import tr
from oncofed.domain import Actor


def _actor(centre: str | None) -> Actor:
    """The person at the terminal (commands/operator.py): audited, the command line as the request."""
    from oncofed.commands.operator import operator

    return operator("care", " ".join(sys.argv[1:]) or "boards", frozenset({centre}) if centre else None)


def _emit(payload: Any, as_json: bool) -> bool:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    return as_json


def _language(lang: str | None) -> str:
    """A command's own `--lang`, else the command line's (`oncofed --lang`, ONCOFED_LANG)."""
    from oncofed.commands.common import cli_language

    return lang if lang in ("en", "fr") else cli_language()


def _fail(exc: Exception, lang: str | None = None) -> None:
    from oncofed.commands.common import cli_language, err_console, error_words
    from oncofed.presenters.i18n import translator

    message, fix = error_words(exc, lang)
    tr = translator(lang or cli_language())
    refused, how = tr.gettext("refused") + tr.colon(), tr.gettext("fix") + tr.colon()
    err_console.print(
        f"[red]{refused}[/]{escape(message)}" + (f"\n[bold]{how}[/]{escape(fix)}" if fix else "")
    )
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:  # noqa: C901 - one command group
    boards = typer.Typer(
        help="Tumour boards (RCP): meetings, case cards, decisions, records.", no_args_is_help=True
    )
    app.add_typer(boards, name="boards")
    centre_opt = typer.Option(
        None, "--centre", "-c", help="Act for this centre only (id or name).", callback=centre_option
    )

    @boards.command("list")
    def list_cmd(
        centre: str | None = centre_opt,
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
    ) -> None:
        """Boards of the network with their next meeting."""
        from oncofed.commands.common import console, open_database
        from oncofed.presenters.boards import BOARD_COLUMNS
        from oncofed.presenters.csv import to_csv
        from oncofed.services.boards.boards import list_boards

        rows = list_boards(open_database(), _actor(centre), centre_id=centre)
        if _emit(rows, as_json):
            return
        if as_csv:
            sys.stdout.write(to_csv(rows, BOARD_COLUMNS))
            return
        from oncofed.commands.words import day, table, tr
        from oncofed.errors import N_
        from oncofed.services.boards.vocabulary import label

        t = tr()
        shown = table(
            N_("id"), N_("board"), N_("centre"), N_("cancer site"), N_("next meeting"), N_("waiting")
        )
        for r in rows:
            shown.add_row(
                *cells(
                    str(r["id"]),
                    r["name"] + (" " + t.gettext("(recourse)") if r["accepts_recourse"] else ""),
                    r["centre_id"],
                    label("board_sites", r["site"], t.lang),
                    day(r["next_meeting"], time=True) if r["next_meeting"] else "",
                    str(r["waiting"] or ""),
                )
            )
        console.print(shown)

    @boards.command("create")
    def create_cmd(
        centre: str = typer.Option(
            ..., "--centre", "-c", help="The board's centre (id or name).", callback=centre_option
        ),
        site: str = typer.Option(
            ..., help="Cancer site: breast, thoracic, digestive, ... (resources/boards/vocabulary.yaml)."
        ),
        name: str = typer.Option(...),
        coordinator: str = typer.Option(..., help="Username of the coordinator who signs the records."),
        recourse: bool = typer.Option(False, "--recourse", help="Takes recourse cases from other centres."),
        member: list[str] = typer.Option([], help="'Name:specialty' (repeat)."),
    ) -> None:
        """Create a board."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.services.boards.boards import Member, create_board

        try:
            members = [Member(*m.rsplit(":", 1)) for m in member]
        except TypeError:
            _fail(ValueError("--member must be 'Name:specialty'"))
        try:
            bid = create_board(
                open_database(),
                _actor(centre),
                centre,
                site,
                name,
                coordinator,
                accepts_recourse=recourse,
                members=members,
            )
        except OncofedError as exc:
            _fail(exc)
        console.print(escape(tr().gettext("board %(id)s created", id=bid)))

    @boards.command("meeting")
    def meeting_cmd(
        board_id: int,
        when: str = typer.Option(..., help="YYYY-MM-DDTHH:MM (never in the past)."),
        centre: str | None = centre_opt,
    ) -> None:
        """Plan a meeting of a board."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.services.boards.boards import create_meeting

        try:
            mid = create_meeting(open_database(), _actor(centre), board_id, datetime.fromisoformat(when))
        except ValueError:
            _fail(ValueError(f"{when!r} is not a date and time: write YYYY-MM-DDTHH:MM"))
        except OncofedError as exc:
            _fail(exc)
        console.print(escape(tr().gettext("meeting %(id)s planned", id=mid)))

    @boards.command("add")
    def add_cmd(
        board_id: int,
        patient: str,
        kind: str = typer.Option(
            "new_case", help="new_case, progression, new_line, new_biomarker, recourse."
        ),
        question: str = typer.Option(""),
        meeting: int | None = typer.Option(None, help="Meeting id (else the case waits)."),
        centre: str | None = centre_opt,
    ) -> None:
        """Put a patient on a board's agenda (another centre's board: --kind recourse)."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.services.boards.cases import add_case

        try:
            cid = add_case(
                open_database(), _actor(centre), board_id, patient, kind, question, meeting_id=meeting
            )
        except OncofedError as exc:
            _fail(exc)
        console.print(escape(tr().gettext("case %(id)s added", id=cid)))

    @boards.command("agenda")
    def agenda_cmd(
        meeting_id: int,
        centre: str | None = centre_opt,
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
    ) -> None:
        """A meeting's agenda."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.presenters.boards import CASE_COLUMNS
        from oncofed.presenters.csv import to_csv
        from oncofed.services.boards.boards import meeting_detail

        try:
            data = meeting_detail(open_database(), _actor(centre), meeting_id)
        except OncofedError as exc:
            _fail(exc)
        if _emit(data, as_json):
            return
        if as_csv:
            sys.stdout.write(to_csv(data["cases"], CASE_COLUMNS))
            return
        from oncofed.commands.words import day, table
        from oncofed.errors import N_
        from oncofed.services.boards.vocabulary import label

        t = tr()
        when = day(data["meeting"]["scheduled_for"], time=True)
        status = t.label("b_status", data["meeting"]["status"])
        console.print(f"[bold]{escape(data['board']['name'])}[/] {escape(when)} ({escape(status)})")
        shown = table(N_("case"), N_("patient"), N_("kind"), N_("status"), N_("candidates"), N_("question"))
        for c in data["cases"]:
            recourse = t.gettext("recourse from %(centre)s", centre=c["patient_centre"])
            shown.add_row(
                *cells(
                    str(c["case_id"]),
                    c["patient_id"] or recourse,
                    label("case_kinds", c["kind"], t.lang),
                    t.label("b_status", c["status"]),
                    str(c["n_candidates"]),
                    c["question"],
                )
            )
        console.print(shown)

    @boards.command("freeze")
    def freeze_cmd(meeting_id: int, centre: str | None = centre_opt) -> None:
        """Freeze a meeting's agenda: re-match every case and build the case cards."""
        from oncofed.commands.common import console, err_console, open_database
        from oncofed.errors import OncofedError
        from oncofed.services.boards.cards import freeze_meeting

        try:
            with err_console.status(
                escape(tr().gettext("re-matching the cases of meeting %(id)s...", id=meeting_id))
            ):
                r = freeze_meeting(open_database(), _actor(centre), meeting_id)
        except OncofedError as exc:
            _fail(exc)
        from oncofed.commands.words import num

        t = tr()
        said = t.gettext(
            "%(cases)s in %(seconds)s s (matching %(matching)s s): %(candidates)s %(new)s new",
            cases=t.ngettext("%(num)s case re-matched", "%(num)s cases re-matched", r.cases),
            seconds=num(r.seconds, 2),
            matching=num(r.match_seconds, 2),
            candidates=t.ngettext("%(num)s candidate trial,", "%(num)s candidate trials,", r.candidates),
            new=r.new_trials,
        )
        console.print(escape(said))

    @boards.command("case")
    def case_cmd(
        case_id: int,
        centre: str | None = centre_opt,
        as_json: bool = typer.Option(False, "--json"),
        as_csv: bool = typer.Option(False, "--csv"),
        table: str = typer.Option(
            "candidates", help="With --csv: candidates, facts (the patient summary) or events (the trail)."
        ),
        lang: str | None = typer.Option(
            None, help="en or fr: the language of the trail's words ('said'; default: oncofed --lang)."
        ),
    ) -> None:
        """A case card: the patient summary, the candidate trials (criteria to check), the decision, the trail."""
        from oncofed.commands.common import console, open_database
        from oncofed.errors import OncofedError
        from oncofed.presenters.board_trail import TRAIL_COLUMNS, trail_csv_rows, trail_rows
        from oncofed.presenters.boards import CANDIDATE_COLUMNS, FACT_COLUMNS, candidate_rows
        from oncofed.presenters.csv import to_csv
        from oncofed.services.boards.cases import case_detail

        lang = _language(lang)
        if table not in ("candidates", "facts", "events"):
            _fail(ValueError(f"--table: no table {table!r}; use candidates, facts or events"), lang)
        try:
            data = case_detail(open_database(), _actor(centre), case_id)
        except OncofedError as exc:
            _fail(exc, lang)
        data["events"] = trail_rows(data.get("events") or [], lang)
        if _emit(data, as_json):
            return
        if as_csv:
            if table == "facts":
                sys.stdout.write(to_csv(data["summary"], FACT_COLUMNS))
            elif table == "events":
                sys.stdout.write(to_csv(trail_csv_rows(data["events"], lang), TRAIL_COLUMNS))
            else:
                sys.stdout.write(to_csv(candidate_rows(data), CANDIDATE_COLUMNS))
            return
        from oncofed.commands.words import day
        from oncofed.presenters.i18n import translator
        from oncofed.services.boards.vocabulary import label

        t = translator(lang)
        said = t.gettext(
            "case %(case)s · %(patient)s · %(kind)s · %(status)s",
            case=case_id,
            patient=data["patient_id"] or t.gettext("recourse"),
            kind=label("case_kinds", data["kind"], lang),
            status=t.label("b_status", data["status"]),
        )
        console.print(f"[bold]{escape(said)}[/]")
        for c in data["candidates"]:
            d = c.get("decision") or {}
            proposed = d.get("proposed")
            decision = (
                "—"
                if proposed is None
                else (t.gettext("proposed") if proposed else t.gettext("not proposed"))
            )
            reason = f"({label('not_proposed_reasons', d['reason'], lang)})" if d.get("reason") else ""
            line = t.gettext(
                "- %(trial)s%(new)s %(verdict)s: %(checks)s; decision: %(decision)s %(reason)s",
                trial=c["trial_id"],
                new=" (" + t.gettext("new") + ")" if c["new"] else "",
                verdict=t.label("b_verdict", "unlikely" if c.get("probably_not") else c["verdict"]),
                checks=t.ngettext("%(num)s to check", "%(num)s to check", len(c["to_check"])),
                decision=decision,
                reason=reason,
            )
            console.print(escape(line.rstrip()))
        if data["decided_at"]:
            said = t.gettext(
                "proposal: %(proposal)s (%(settings)s); %(specialties)s",
                proposal=data["proposal"],
                settings=", ".join(label("settings", x, lang) for x in data["settings"]),
                specialties=t.ngettext("%(num)s specialty", "%(num)s specialties", len(data["specialties"])),
            )
            console.print(escape(said))
        for e in data["events"]:  # the trail, as the page says it
            console.print(
                escape(f"  {day(e['at'], time=True)} {t.label('b_event', e['action'])}{t.colon()}{e['said']}")
            )

    from oncofed.commands.boards_records import add_record_commands

    add_record_commands(boards, centre_opt)
