"""`oncofed match-index`: bring the stored match features up to date ahead of users.

The features the evaluator reads from each record (`patient_match_features`) are keyed by the record's
hash and by a hash of the matching code (`matching.features.FEATURE_VERSION`): a deploy that changes that
code marks every patient stale, and the first pre-screening or feasibility question after it would pay
for the whole recomputation (15 s for 50,000 patients on SQLite in docs/BENCHMARKS.md, more under load).
Run this right after `oncofed db upgrade`
(docs/OPERATIONS.md, "Deploy"): it recomputes only stale rows, per centre or all, so a second run does
nothing. `--check` only counts (exit code 1 when any row is stale), for a deploy script or a monitor.
"""

from __future__ import annotations

import json
import time
from typing import Any

import typer

from oncofed.commands.common import escape
from oncofed.domain import Actor


def register(app: typer.Typer) -> None:
    @app.command("match-index")
    def match_index_cmd(
        centre: list[str] = typer.Option(
            [], "--centre", "-c", help="Centre id or name (repeatable); default: every centre."
        ),
        check: bool = typer.Option(
            False, "--check", help="Only count stale records (nothing recomputed); exit code 1 if any."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Bring the match index up to date: what the evaluator reads from each patient record,
        recomputed for records that changed or were built by another version of the code (run it after
        every deploy or upgrade, and after a raw SQL load, so the next pre-screening does not pay for it;
        importers and the demo do it after writing). Idempotent: a second run recomputes nothing."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from oncofed.commands.common import console, err_console, open_database
        from oncofed.commands.words import tr as words
        from oncofed.services.matching.match_index import match_index_state, refresh_match_index
        from oncofed.services.network.names import resolve_centre

        db = open_database()
        centre_ids = [resolve_centre(db, c).id for c in centre] or None  # ids or names
        actor = Actor.system("cli match-index")  # an internal job: features, no record shown to anyone
        before = match_index_state(db, actor, centre_ids)
        stale_before = sum(c.stale for c in before)
        started = time.perf_counter()
        rebuilt = 0
        if not check and stale_before:
            with Progress(
                TextColumn("[bold]" + escape(words().gettext("match index"))),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
                disable=as_json and not err_console.is_terminal,
            ) as progress:
                task = progress.add_task(words().gettext("records"), total=stale_before)

                def on_chunk(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total)

                rebuilt = refresh_match_index(db, actor, centre_ids=centre_ids, progress=on_chunk)
        seconds = round(time.perf_counter() - started, 2)
        now = {
            c.centre_id: c.stale for c in (match_index_state(db, actor, centre_ids) if rebuilt else before)
        }
        rows: list[dict[str, Any]] = [
            {
                "centre_id": c.centre_id,
                "patients": c.patients,
                "stale_before": c.stale,
                "stale_now": now.get(c.centre_id, 0),
            }
            for c in before
        ]
        stale_now = sum(r["stale_now"] for r in rows)
        if as_json:
            print(
                json.dumps(
                    {
                        "checked_only": check,
                        "patients": sum(c.patients for c in before),
                        "stale_before": stale_before,
                        "recomputed": rebuilt,
                        "stale_now": stale_now,
                        "seconds": seconds,
                        "centres": rows,
                    }
                )
            )
        else:
            from oncofed.commands.words import num, table, tr
            from oncofed.errors import N_

            t = tr()
            shown = table(
                N_("centre"), N_("living patients"), N_("out of date before"), N_("out of date now")
            )
            for r in rows:
                if r["stale_before"] or len(rows) <= 25:  # a network of 19 centres: all of them
                    shown.add_row(
                        r["centre_id"], num(r["patients"]), num(r["stale_before"]), num(r["stale_now"])
                    )
            console.print(shown)
            if check:
                said = t.gettext(
                    "%(stale)s of %(records)s records are out of date (nothing recomputed)",
                    stale=num(stale_before),
                    records=num(sum(c.patients for c in before)),
                )
            else:
                said = t.gettext(
                    "%(records)s recomputed in %(seconds)s s (the others were up to date)",
                    records=t.ngettext("%(num)s record", "%(num)s records", rebuilt, num=num(rebuilt)),
                    seconds=num(seconds, 2),
                )
            console.print(escape(said))
        if check and stale_before:
            raise typer.Exit(1)
