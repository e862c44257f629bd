"""French dates as the French write them: the first day of a month is an ordinal, "1er mars 2026",
every other day a cardinal ("2 mars 2026"); English is Babel's ("1 Mar 2026"). One helper in the
presenters' date formatting (`presenters/i18n.py::_medium_date`) used by pages, documents, errors
and CSVs alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from oncofed.errors import N_, InputError
from oncofed.presenters.errors import said
from oncofed.presenters.i18n import translator


def test_the_first_of_every_month_is_an_ordinal_in_french() -> None:
    fr, en = translator("fr"), translator("en")
    day = date(2027, 1, 1)
    while day.year == 2027:
        french, english = fr.day(day), en.day(day)
        first = french.split()[0]
        assert first == ("1er" if day.day == 1 else str(day.day)), french
        assert english.split()[0] == str(day.day), english  # English has no ordinal here
        assert french.endswith("2027") and english.endswith("2027")
        day += timedelta(days=1)
    assert fr.day(date(2026, 3, 1)) == "1er mars 2026"
    assert fr.day(date(2026, 12, 1)) == "1er déc. 2026"
    assert fr.day(date(2026, 12, 11)) == "11 déc. 2026"  # "11", "21", "31" keep their number
    assert fr.day(date(2026, 12, 21)) == "21 déc. 2026"


def test_times_iso_text_and_months() -> None:
    fr = translator("fr")
    assert fr.day(datetime(2026, 12, 1, 14, 0), time=True) == "1er déc. 2026 14:00"
    assert fr.day("2026-04-01") == "1er avr. 2026"
    assert fr.day("2026-04") == "avr. 2026"  # a month alone has no day


def test_a_coded_error_says_the_first_as_an_ordinal() -> None:
    error = InputError(
        N_("the meeting on %(when)s is in the past"),
        code="boards.meeting_in_past",
        params={"when": datetime(2026, 5, 1, 9, 30)},
    )
    assert "1er mai 2026" in said(error, "fr")["message"]
    assert "2026-05-01" in error.message  # the English log line keeps ISO
