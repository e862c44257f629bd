"""`oncofed grid|staff|carbon ...` end to end on a fresh database (issue 21), in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.errors import InputError
from oncofed.resources import resource_path


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    from oncofed.cli import app
    from oncofed.commands.common import open_database
    from oncofed.services.network.centres import load_centres

    load_centres(open_database())
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_grid_staff_costing_and_compliance_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad_grid.yaml"
    bad.write_text(
        resource_path("workforce/demo_grid.yaml")
        .read_text(encoding="utf-8")
        .replace("to: 2023-12-31", "to: 2024-06-30")
    )
    out = cli("grid", "load", str(bad))
    assert isinstance(out.exception, InputError) and "overlap" in str(out.exception)
    assert cli("grid", "load", str(resource_path("workforce/demo_grid.yaml"))).exit_code == 0
    shown = json.loads(cli("grid", "show", "--on", "2024-03-01", "--json").stdout)
    assert shown["point_value"] == 4.6 and shown["fictional"]
    payroll = tmp_path / "curie.csv"
    payroll.write_text(
        "staff_id,family,level,hire_date,fte,gross_monthly\nE1,NUR,N2,2015-09-01,1,2400\nE2,ADM,D1,2022-03-14,0.8,1300\n"
    )
    out = cli("staff", "import", str(payroll), "--centre", "curie", "--as-of", "2025-12-01")
    assert out.exit_code == 0 and "2 staff records imported" in out.stdout
    flagged = json.loads(cli("staff", "compliance", "--centre", "curie", "--json").stdout)
    assert [f["staff_id"] for f in flagged["flagged"]] == ["E2"]  # 1300 < 365 x 4.66 x 0.8
    costing = json.loads(
        cli("grid", "cost", str(resource_path("workforce/proposals/point_plus_1pct.yaml")), "--json").stdout
    )
    assert costing["network"]["staff"] == 2 and costing["network"]["percent"] == pytest.approx(1.0, abs=0.05)
    assert (
        cli(
            "grid", "proposals", "--save", str(resource_path("workforce/proposals/nurses_new_step.yaml"))
        ).exit_code
        == 0
    )
    csv = cli(
        "grid", "compare", str(resource_path("workforce/proposals/point_plus_1pct.yaml")), "1", "--csv"
    ).stdout
    assert csv.startswith("centre_id,centre,staff,a_total,b_total,difference")


def test_carbon_factors_activity_footprint_and_beges(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("carbon", "factors", "load", str(resource_path("carbon/factors_example.csv"))).exit_code == 0
    activity = tmp_path / "activity.csv"
    activity.write_text(resource_path("carbon/activity_template.csv").read_text(encoding="utf-8"))
    assert cli("carbon", "import", str(activity)).exit_code == 0
    rows = json.loads(cli("carbon", "footprint", "--json").stdout)["rows"]
    assert rows[0]["centre_id"] == "curie" and rows[0]["beds"] == 380
    beges = cli("carbon", "beges", "curie").stdout.splitlines()
    assert len(beges) == 23 and beges[0].startswith("centre_id,centre,year,beges_category")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        "centre,year,category,item,quantity,unit\ncurie,2025,anaesthetic_gas,desflurane,12,kWh\n"
    )
    out = cli("carbon", "import", str(wrong))
    assert isinstance(out.exception, InputError) and "does not match the factor's unit 'kg'" in str(
        out.exception
    )
