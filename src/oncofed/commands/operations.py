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
        with console.status(f"backing up the {db.backend} database"):
            manifest = backup(db, path, overwrite=force)
        if as_json:
            print(json.dumps(asdict(manifest), indent=2))
            return
        from oncofed.presenters.i18n import translator

        rows = sum(int(t["rows"]) for t in manifest.tables.values())
        said = translator("en").ngettext("%(num)s row", "%(num)s rows", rows, num=f"{rows:,}")
        console.print(
            f"[green]backup written[/]: {path} ({manifest.bytes:,} bytes, {manifest.format}), "
            f"{len(manifest.tables)} tables, {said}, audit head {manifest.audit_head or 'empty'}\n"
            f"sha256 {manifest.sha256}; manifest {manifest_path(path)}"
        )

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
        from oncofed.presenters.i18n import translator

        en = translator("en")  # English plural forms
        report = restore(db, path, progress=lambda msg: err_console.print(f"[dim]{msg}[/]"))
        rows = en.ngettext("%(num)s row", "%(num)s rows", report.rows, num=f"{report.rows:,}")
        audit_rows = en.ngettext("%(num)s row", "%(num)s rows", report.audit_rows)
        console.print(
            f"[green]restored[/]: {report.tables} tables, {rows}, identical to the backup; "
            f"audit chain intact ({audit_rows}); {report.seconds:.1f} s"
        )
