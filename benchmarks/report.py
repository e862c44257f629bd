"""Write one benchmark's section into docs/BENCHMARKS.md, replacing only that section.

Each benchmark owns a section delimited by `<!-- BEGIN name -->` and `<!-- END name -->`, so
benchmarks can be re-run independently and the file keeps every other section as it was.
"""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_MD = ROOT / "docs" / "BENCHMARKS.md"
HEADER = """# Benchmarks

Figures measured on the project's reference machine (2 cores, 24 GB, noisy). Each section says the
exact command that produced it; re-run it to refresh that section only. Performance targets are
checked here, never as wall-clock limits in unit tests. Ratios are measured side by side in one run.
"""


def machine_line() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = "?"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"_{when}, commit {commit or '?'}, Python {platform.python_version()}, {os.cpu_count()} CPUs_"


def write_section(name: str, title: str, command: str, body: str) -> None:
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else HEADER
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    section = f"{begin}\n## {title}\n\nCommand: `{command}`\n\n{machine_line()}\n\n{body.strip()}\n{end}"
    if begin in text and end in text:
        before = text.split(begin)[0]
        after = text.split(end, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    BENCHMARKS_MD.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS_MD.write_text(text, encoding="utf-8")
