"""`oncofed criteria parse` (stdin, file, stored trial) and `oncofed eval criteria --brat`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run

TEXT = (
    "Inclusion Criteria:\n* ECOG 0-1\n* Bilirubin <= 1.5 x ULN\nExclusion Criteria:\n* Known HIV infection\n"
)


def test_parse_stdin_json_and_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "oncofed.cli", "criteria", "parse", "-", "--json"],
        input=TEXT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [c["section"] for c in data["criteria"]] == ["inclusion", "inclusion", "exclusion"]
    assert data["criteria"][0]["atoms"][0]["kind"] == "ecog"
    path = tmp_path / "criteria.txt"
    path.write_text(TEXT, encoding="utf-8")
    table = run(["criteria", "parse", str(path)])
    assert table.returncode == 0 and "ecog" in table.stdout and "hiv" in table.stdout


def test_parse_stored_trial(demo_db) -> None:  # type: ignore[no-untyped-def]
    from oncofed.store.models import TrialRow

    with demo_db.session() as session:
        trial_id = session.query(TrialRow.id).first()[0]
    out = run(["criteria", "parse", trial_id, "--json"], env={"DATABASE_URL": demo_db.url})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["criteria"]
    missing = run(["criteria", "parse", "NO-SUCH-TRIAL"], env={"DATABASE_URL": demo_db.url})
    assert missing.returncode == 2


def test_eval_brat_export_and_scores(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "NCT1_inc.txt").write_text("Known HIV infection\nECOG 0-1\n", encoding="utf-8")
    (src / "NCT1_inc.ann").write_text(
        "T1\tCondition 6 19\tHIV infection\nT2\tMeasurement 20 24\tECOG\n", encoding="utf-8"
    )
    out = run(["eval", "criteria", "--brat", str(src), "--out", str(tmp_path / "out"), "--json"])
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["files"] == 1
    assert data["scores"]["Condition"]["exact"]["recall"] == 1.0
    ann = (tmp_path / "out" / "NCT1_inc.ann").read_text(encoding="utf-8")
    assert "Condition 6 19\tHIV infection" in ann
