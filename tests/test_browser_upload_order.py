"""A nurse whose session ended while the import page was open, in headless Chromium: the upload (here
over the size limit) is answered "please sign in" with a way to sign in, never "too large" (who sends is
checked before a byte of the body is read); a role that may not import is told so, and a clinician signed
in is told the size. Both import pages, in French."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import shot


@pytest.mark.browser
def test_who_sends_is_told_before_how_large(
    page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncofed.domain import Actor, Role
    from oncofed.services.network.centres import load_centres
    from oncofed.store.db import Database
    from oncofed.web import uploads
    from oncofed.web.app import create_app
    from oncofed.web.routes import patient_import, trial_import
    from tests.conftest import serve

    db = Database(f"sqlite:///{tmp_path}/order.sqlite3")
    db.upgrade()
    load_centres(db)
    big = tmp_path / "lot-janvier.csv"
    big.write_text("patient_id,kind,code,value,unit,date\n" + "A1,sex,,F,,\n" * 20, encoding="utf-8")
    for module in (patient_import, trial_import):
        small = dataclasses.replace(module.UPLOAD, file_bytes=50)
        for path, limits in list(uploads.LIMITS.items()):
            if limits is module.UPLOAD:
                monkeypatch.setitem(uploads.LIMITS, path, small)
    clinician = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
    manager = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")
    caller = [clinician]
    app = create_app(db)
    app.state.actor_resolver = lambda request: caller[0]
    with serve(app) as server:
        for form, importer, other in (
            ("/patients/import", clinician, manager),
            ("/trials/import", manager, clinician),
        ):
            attempts = (
                (Actor.public(), "Veuillez vous connecter"),
                (other, "Page non accessible à votre rôle"),
            )
            for who, title in (*attempts, (importer, "Envoi trop volumineux")):
                caller[0] = importer  # the page is opened by someone who may import ...
                page.goto(server.url(f"{form}?lang=fr"))
                caller[0] = who  # ... and the upload is sent by whoever the server now sees
                page.set_input_files("input[name=files]", str(big))
                page.click("form.trial-import button[type=submit]")
                page.wait_for_load_state()
                assert page.locator("h1").inner_text() == title, (
                    form,
                    who.role,
                    page.locator("main").inner_text(),
                )
                if who.role is Role.PUBLIC:
                    assert page.locator("#error-login").count() == 1  # a way to sign in again
                    shot(page, "upload-signed-out-fr.png")
    db.dispose()
