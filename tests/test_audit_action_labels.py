"""Every audit action the code writes has a label (the /audit page and its CSV say it in the reader's
language: a code without one showed as 'landing.new_matches' on a French page)."""

from __future__ import annotations

import re
from pathlib import Path

from oncofed.presenters.labels import LABELS

SRC = Path(__file__).resolve().parents[1] / "src" / "oncofed"
# a literal action passed to an audit call: `.audit("x.y", ...)`, possibly on the next line
AUDIT_CALL = re.compile(r"""\.audit\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def test_every_audit_action_written_has_a_label() -> None:
    written = {m.group(1) for path in SRC.rglob("*.py") for m in AUDIT_CALL.finditer(path.read_text("utf-8"))}
    assert {"prescreen.list", "landing.new_matches"} <= written  # the scan finds calls split over lines
    missing = sorted(written - set(LABELS["audit_action"]))
    assert not missing, f"audit actions without a label in presenters/labels.py 'audit_action': {missing}"
