"""A feasibility question refused for the privacy budget or a lockout is said in the trial manager's language
(it was English on the French page and in the API's `detail`), and the lockout's audit entry in the DPO's."""

from __future__ import annotations

import pytest

from oncofed.ingest.feasibility_spec import parse_text
from oncofed.presenters.audit_words import sentence
from oncofed.presenters.errors import said
from oncofed.services.feasibility.counts import LockedOut, Question, run_feasibility
from oncofed.store import audit
from oncofed.store.db import Database
from tests.test_polish_feasibility import TM, net  # noqa: F401  (fixture: a small network)


def test_a_lockout_is_said_in_french(net: Database, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("ONCOFED_FEASIBILITY_DIFFERENCING_LIMIT", "1")

    def ask(age: int) -> object:
        return run_feasibility(
            net, TM, Question(*parse_text(f"inclusion:\n  - cancer_type: [MEL]\n  - age: '>= {age}'\n"))
        )

    ask(56)
    ask(57)
    with pytest.raises(LockedOut) as new:
        ask(58)
    with pytest.raises(LockedOut) as held:
        ask(30)
    for exc in (new.value, held.value):
        fr = said(exc, "fr")
        assert exc.code and "tess" in fr["message"] and "différenciation" in fr["message"], fr
        assert "locked out" not in fr["message"] and fr["fix"] and "lockout" not in fr["fix"], fr
    assert "is now locked out of feasibility questions until" in new.value.message  # English kept for logs
    (lockout,) = audit.search(net.engine, user=TM.user_id, action="security.feasibility_lockout")
    french = sentence(lockout, "fr")
    assert "différenciation" in french and "bloqué jusqu'au" in french and "MEL" in french, french
