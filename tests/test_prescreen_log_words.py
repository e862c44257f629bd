"""The screening log's CSV says each measure in the reader's words beside its code (`said`), as the log
page does: a French nurse's file reads "refusé : ..." and the CONSORT boxes' French names, not the
service's English keys ("not eligible by pre-screening (criteria)"); the code columns stay for programs."""

from __future__ import annotations

from oncofed.presenters.i18n import translator
from oncofed.presenters.prescreen import LOG_CSV_COLUMNS, log_csv_rows

LOG = {
    "counts": {"screened": 3, "enrolled": 1},
    "reasons_not_included": {"declined: travel_burden": 1, "not eligible by pre-screening (criteria)": 2},
    "events": [],
}


def test_each_measure_said_in_french_beside_its_code() -> None:
    fr = translator("fr")
    rows = {r["measure"]: r["said"] for r in log_csv_rows(LOG, "fr")}
    assert rows["screened"] == fr.label("cs", "screened") != "screened"
    declined = rows["declined: travel_burden"]
    assert declined.startswith(fr.label("st", "declined") + "\u00a0: "), declined
    assert "travel_burden" not in declined
    criteria = rows["not eligible by pre-screening (criteria)"]
    assert "criteria" not in criteria and "pre-screening" not in criteria, criteria
    assert LOG_CSV_COLUMNS[:4] == ["record", "measure", "said", "value"]
    english = {r["measure"]: r["said"] for r in log_csv_rows(LOG, "en")}
    assert (
        english["declined: travel_burden"].startswith("declined: ")
        or ": " in english["declined: travel_burden"]
    )
