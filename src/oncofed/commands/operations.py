"""`oncofed backup PATH`, `oncofed restore PATH`: a checksummed copy of the whole database and its
proven restore (see services/operations/backup.py and docs/OPERATIONS.md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup_cmd(
        path: Path = typer.Argument(..., help="File to write (its manifest goes to PATH.manifest.json)."),
        force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
        as_json: bool = typer.Option(False, "--json", help="Print the manifest as JSON."),
    ) -> None:
        """Back up the database while it serves (SQLite online backup API; pg_dump for PostgreSQL)."""
        from dataclasses import asdict

        from oncofed.commands.common import console, open_database
        from oncofed.services.operations.backup import backup, manifest_path

        db = open_database(upgrade=False)
        from oncofed.commands.common import escape
        from oncofed.commands.words import num, tr

        t = tr()
        with console.status(escape(t.gettext("backing up the %(backend)s database", backend=db.backend))):
            manifest = backup(db, path, overwrite=force)
        if as_json:
            print(json.dumps(asdict(manifest), indent=2))
            return
        rows = sum(int(x["rows"]) for x in manifest.tables.values())
        said = t.gettext(
            "backup written: %(path)s (%(bytes)s, %(format)s), %(tables)s, %(rows)s, audit head %(head)s",
            path=str(path),
            bytes=t.ngettext("%(num)s byte", "%(num)s bytes", manifest.bytes, num=num(manifest.bytes)),
            format=manifest.format,
            tables=t.ngettext("%(num)s table", "%(num)s tables", len(manifest.tables)),
            rows=t.ngettext("%(num)s row", "%(num)s rows", rows, num=num(rows)),
            head=manifest.audit_head or t.gettext("empty"),
        )
        console.print(f"[green]{escape(said)}[/]")
        said = t.gettext(
            "sha256 %(sum)s; manifest %(path)s", sum=manifest.sha256, path=str(manifest_path(path))
        )
        console.print(escape(said))

    @app.command("restore")
    def restore_cmd(
        path: Path = typer.Argument(..., help="A file written by `oncofed backup` (its manifest beside it)."),
        yes: bool = typer.Option(
            False, "--yes", help="Do not ask: replace the content of DATABASE_URL's database."
        ),
    ) -> None:
        """Replace the database with a backup: checksum checked first, then every table compared
        with the backup and the audit chain verified. Stop the servers first."""
        from oncofed.commands.common import console, err_console, open_database
        from oncofed.services.operations.backup import read_manifest, restore

        manifest = read_manifest(path)
        db = open_database(upgrade=False)
        if not yes:
            typer.confirm(
                f"Replace every table of this {db.backend} database with the backup of "
                f"{manifest.created_at} ({len(manifest.tables)} tables)?",
                abort=True,
            )
        from oncofed.commands.common import escape
        from oncofed.commands.words import num, tr

        t = tr()
        report = restore(db, path, progress=lambda msg: err_console.print(f"[dim]{escape(msg)}[/]"))
        said = t.gettext(
            "restored: %(tables)s, %(rows)s, identical to the backup; audit chain intact (%(audit)s); %(seconds)s s",
            tables=t.ngettext("%(num)s table", "%(num)s tables", report.tables),
            rows=t.ngettext("%(num)s row", "%(num)s rows", report.rows, num=num(report.rows)),
            audit=t.ngettext("%(num)s row", "%(num)s rows", report.audit_rows, num=num(report.audit_rows)),
            seconds=num(report.seconds, 1),
        )
        console.print(f"[green]{escape(said)}[/]")
