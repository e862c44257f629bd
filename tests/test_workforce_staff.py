"""Staff records (issue 21): payroll import with rejects, centre isolation and audit in the store
layer, grid-minimum flags for the centre's own HR, costing through the service, on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.errors import InputError, NotFound
from oncofed.services.network.centres import load_centres
from oncofed.services.workforce.costing import cost, proposal_from_text
from oncofed.services.workforce.grids import current_grid, load_grid
from oncofed.services.workforce.staff import compliance, headcount, import_payroll
from oncofed.store.db import Database
from oncofed.store.models_trust import AuditRow
from oncofed.store.models_workforce import StaffRecordRow
from oncofed.store.workforce_repository import StaffRepository
from tests.test_workforce_costing import GRID

FED = Actor("fiona", Role.FEDERATION_HR, purpose="human resources")
CURIE_HR = Actor("henri", Role.CENTRE_HR, frozenset({"curie"}), "human resources")
SYSTEM = Actor.system("test")
AS_OF = date(2025, 1, 1)
CURIE = "staff_id,family,level,hire_date,fte,gross_monthly\nS1,NUR,N1,2020-06-15,1.0,1990.00\nS2,NUR,N2,2010-01-01,0.5,1300\n"
ROUSSY = "staff_id;family;level;hire_date;fte;gross_monthly\nS3;NUR;N1;2024-01-01;0,8;1600,00\n"


@pytest.fixture
def hr(db: Database) -> Database:
    load_centres(db)
    load_grid(db, GRID, "hand grid", "test")
    import_payroll(db, SYSTEM, CURIE.encode(), "curie.csv", "curie", AS_OF)
    import_payroll(db, SYSTEM, ROUSSY.encode(), "roussy.csv", "gustave-roussy", AS_OF)
    return db


def audit_rows(db: Database) -> list[AuditRow]:
    with db.session() as s:
        return list(s.scalars(select(AuditRow).order_by(AuditRow.seq)))


def test_import_reads_both_csv_dialects_and_replaces_the_centre(hr: Database) -> None:
    with hr.session() as s:
        rows = {r.staff_id: r for r in s.scalars(select(StaffRecordRow))}
    assert set(rows) == {"S1", "S2", "S3"} and rows["S3"].fte == 0.8 and rows["S3"].gross_monthly == 1600.0
    import_payroll(
        hr,
        SYSTEM,
        b"staff_id,family,level,hire_date,fte,gross_monthly\nS9,NUR,N2,2019-01-01,1,2600\n",
        "new.csv",
        "curie",
        AS_OF,
    )
    with hr.session() as s:
        assert sorted(s.scalars(select(StaffRecordRow.staff_id))) == ["S3", "S9"]


def test_bad_rows_are_all_named_and_nothing_is_written(hr: Database) -> None:
    bad = (
        "staff_id,family,level,hire_date,fte,gross_monthly\nS1,NUR,N9,2020-01-01,1,2000\nS2,NUR,N1,2020-01-01,1,-5\n"
        "S2,XXX,N1,01/02/2020,1,2000\nJean Dupont,NUR,N1,2020-01-01,2,2000\n"
    )
    with pytest.raises(InputError) as err:
        import_payroll(hr, SYSTEM, bad.encode(), "bad.csv", "curie", AS_OF)
    message = str(err.value)
    for expected in (
        "bad.csv",
        "line 2",
        "unknown level 'N9'",
        "line 3",
        "-5 is not a positive amount",
        "duplicate of line 3",
        "unknown family 'XXX'",
        "not a date",
        "not a pseudonymised id",
        "outside 0-1.2",
        "--partial",
    ):
        assert expected in message, expected
    with hr.session() as s:
        assert sorted(
            s.scalars(select(StaffRecordRow.staff_id).where(StaffRecordRow.centre_id == "curie"))
        ) == ["S1", "S2"]


def test_partial_import_keeps_the_valid_rows_and_records_the_rejects(hr: Database) -> None:
    text = "staff_id,family,level,hire_date,fte,gross_monthly\nS1,NUR,N1,2020-01-01,1,2100\nS2,NUR,N9,2020-01-01,1,2000\n"
    report = import_payroll(hr, SYSTEM, text.encode(), "p.csv", "curie", AS_OF, partial=True)
    assert report.imported == 1 and [r.field for r in report.rejects] == ["level"]
    from oncofed.services.workforce.staff import imports

    assert imports(hr, FED)[0]["rejected"] == 1


def test_missing_column_and_non_utf8_are_refused(hr: Database) -> None:
    with pytest.raises(InputError, match="missing column.*gross_monthly"):
        import_payroll(
            hr,
            SYSTEM,
            b"staff_id,family,level,hire_date,fte\nS1,NUR,N1,2020-01-01,1\n",
            "x.csv",
            "curie",
            AS_OF,
        )
    with pytest.raises(InputError, match="not UTF-8"):
        import_payroll(
            hr, SYSTEM, "staff_id;famille\nS1;Infirmière\n".encode("cp1252"), "x.csv", "curie", AS_OF
        )


def test_centre_hr_sees_its_own_centre_only_in_the_store_layer(hr: Database) -> None:
    with hr.session() as s:
        assert {r.centre_id for r in StaffRepository(s, CURIE_HR).records()} == {"curie"}
        assert StaffRepository(s, CURIE_HR).records(centre_id="gustave-roussy") == []
        with pytest.raises(NotFound):
            StaffRepository(s, CURIE_HR).check_centre("gustave-roussy")
        assert {r.centre_id for r in StaffRepository(s, FED).records()} == {"curie", "gustave-roussy"}
        for role in (Role.CLINICIAN, Role.TRIAL_MANAGER, Role.DPO, Role.ADMIN, Role.PUBLIC):
            assert StaffRepository(s, Actor("x", role, frozenset({"curie"}))).records() == []
    with pytest.raises(NotFound):
        import_payroll(hr, CURIE_HR, CURIE.encode(), "x.csv", "gustave-roussy", AS_OF)


def test_reads_are_audited_with_ids_for_records_and_counts_for_aggregates(hr: Database) -> None:
    before = len(audit_rows(hr))
    data = compliance(hr, CURIE_HR)
    assert [f["staff_id"] for f in data["flagged"]] == ["S1"]  # paid 1990, minimum 400 x 5.00
    assert data["flagged"][0]["gap_monthly"] == pytest.approx(10.0)
    rows = audit_rows(hr)[before:]
    assert {r.action for r in rows} == {"staff.aggregate", "staff.read"}
    read = next(r for r in rows if r.action == "staff.read")
    assert (
        read.user_id == "henri"
        and set(read.patient_ids.split()) == {"S1", "S2"}
        and read.centre_ids == "curie"
    )
    aggregate = next(r for r in rows if r.action == "staff.aggregate")
    assert aggregate.patient_ids == "" and aggregate.n_records == 2


def test_federation_sees_counts_not_the_list(hr: Database) -> None:
    data = compliance(hr, FED)
    assert {c["centre_id"]: c["below_minimum"] for c in data["centres"]} == {"curie": 1, "gustave-roussy": 0}
    assert data["flagged"] == []
    counts = sorted((r["centre_id"], r["level"], r["staff"], r["fte"]) for r in headcount(hr, FED))
    assert counts == [("curie", "N1", 1, 1.0), ("curie", "N2", 1, 0.5), ("gustave-roussy", "N1", 1, 0.8)]


def test_costing_through_the_service_matches_the_hand_figures_and_the_scope(hr: Database) -> None:
    proposal = proposal_from_text(
        "name: '+1%'\neffective: 2025-01-01\nchanges:\n  - {kind: point_value, percent: 1}\n"
    )
    network = cost(hr, FED, proposal).result
    assert sum(ln.gross_delta for ln in network.lines) == pytest.approx(402 + 192)
    own = cost(hr, CURIE_HR, proposal).result
    assert {ln.centre_id for ln in own.lines} == {"curie"} and sum(
        ln.total for ln in own.lines
    ) == pytest.approx(402 * 1.4)
    with pytest.raises(NotFound):
        cost(hr, Actor("t", Role.TRIAL_MANAGER), proposal)
    assert current_grid(hr).grid.name == "hand grid"
