"""The `oncofed` command: readable help, one clear line on bad settings, non-zero exit codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ONCOFED = [sys.executable, "-m", "oncofed.cli"]


def run(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run(ONCOFED + args, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120)


def test_help_lists_the_main_commands() -> None:
    out = run(["--help"])
    assert out.returncode == 0
    for command in ("demo", "serve", "db"):
        assert command in out.stdout


def test_broken_database_url_is_one_clear_line(tmp_path: Path) -> None:
    out = run(["db", "status"], env={"DATABASE_URL": "nonsense://"}, cwd=tmp_path)
    assert out.returncode == 2
    assert "DATABASE_URL" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_unreachable_postgres_says_how_to_fix(tmp_path: Path) -> None:
    out = run(["db", "status"], env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, cwd=tmp_path)
    assert out.returncode == 2
    assert "cannot connect" in out.stderr and "check DATABASE_URL" in out.stderr
    assert "Traceback" not in out.stderr


def test_unwritable_var_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = run(["db", "upgrade"], env={"ONCOFED_VAR_DIR": str(blocker / "var")}, cwd=tmp_path)
    assert out.returncode == 2
    assert "database folder" in out.stderr and "Traceback" not in out.stderr


def test_port_in_use_is_reported(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = run(
            ["serve", "--port", str(port)], env={"ONCOFED_VAR_DIR": str(tmp_path / "var")}, cwd=tmp_path
        )
    assert out.returncode == 2
    assert f"port {port}" in out.stderr and "already in use" in out.stderr


def test_db_upgrade_then_status(tmp_path: Path) -> None:
    env = {"ONCOFED_VAR_DIR": str(tmp_path / "var")}
    assert run(["db", "upgrade"], env=env, cwd=tmp_path).returncode == 0
    status = run(["db", "status"], env=env, cwd=tmp_path)
    assert status.returncode == 0 and "up to date" in status.stdout
    assert (tmp_path / "var" / "oncofed.sqlite3").exists()


def test_demo_without_serving_builds_and_lists_centres(tmp_path: Path) -> None:
    env = {"ONCOFED_VAR_DIR": str(tmp_path / "var")}
    out = run(["demo", "--patients", "200", "--no-serve"], env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "demo network built" in out.stdout and "200 patients" in out.stdout
    again = run(["demo", "--patients", "200", "--no-serve"], env=env, cwd=tmp_path)
    assert "reused" in again.stdout
    centres = run(["centres", "--json"], env=env, cwd=tmp_path)
    assert '"id": "gustave-roussy"' in centres.stdout
