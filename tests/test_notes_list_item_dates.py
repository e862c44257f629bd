"""An event's date is its own list item's: "hypertension, DVT 09/2026" and "BCC excised 06/2023; hypertension" do
not date the hypertension (verdicts35, found by `benchmarks.audit_note_variants2 --rewrite heading_bullets`: the
same history read as bullets dated differently). A date opening its item still dates what follows ("In 2019, MI").
Unknown rather than a neighbour's date: a window ("within 6 months") must not be decided on another event's day."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.ingest.patients.notes import extract

HEAD = "Cardio-oncology clinic 02/11/2026. 66 y/o F, breast cancer.\n"


def _when(line: str, code: str) -> date | None:
    facts = [f for f in extract(HEAD + line, "n", "note").facts if f.code == code and not f.negated]
    assert facts, line
    return facts[0].when


@pytest.mark.parametrize(
    "line",
    [
        "PMH: myocardial infarction, DVT 09/2026 on apixaban.",
        "PMH: DVT 09/2026; myocardial infarction (stent).",
        "History - appendicectomy 10/2026, myocardial infarction, hypothyroidism.",
        "Past history: basal cell carcinoma excised 09/2026; myocardial infarction; cholecystectomy 2010.",
        "Comorbidities: myocardial infarction, appendicectomy 08/2026.",
    ],
)
def test_a_neighbours_date_does_not_date_the_event(line: str) -> None:
    assert _when(line, "myocardial_infarction") is None


@pytest.mark.parametrize(
    ("line", "year"),
    [
        ("In 2019, myocardial infarction treated with a stent.", 2019),  # the date opens its item
        ("PMH: myocardial infarction 2019 (stent), DVT 09/2026.", 2019),  # its own date, in its item
        ("PMH: 2018, myocardial infarction.", 2018),
        ("Myocardial infarction in 03/2017; on aspirin since.", 2017),
        # commas between the event's own attributes: the date with no event of its own stays the event's
        ("PMH: myocardial infarction (inferior), NSTEMI, PCI to the RCA 04/2016.", 2016),
    ],
)
def test_near_misses_keep_their_own_date(line: str, year: int) -> None:
    when = _when(line, "myocardial_infarction")
    assert when is not None and when.year == year
