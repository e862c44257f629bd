"""Security headers on every kind of response, and no inline script in any page (issue 8)."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from oncofed.domain import Actor, Role
from oncofed.store.db import Database

CLINICIAN = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def check_headers(response, path: str) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, path
    assert "default-src 'self'" in csp and "object-src 'none'" in csp or path == "/docs", path
    assert response.headers.get("x-content-type-options") == "nosniff", path
    assert response.headers.get("x-frame-options") == "DENY", path
    assert response.headers.get("referrer-policy") == "same-origin", path


@pytest.mark.parametrize("actor", [Actor.public(), CLINICIAN], ids=["public", "clinician"])
def test_every_page_has_security_headers_and_no_inline_script(
    demo_db: Database, client_as, actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(demo_db, actor)
    pages = sorted(
        {
            str(rc.path)
            for rc in iter_route_contexts(client.app.routes)
            if isinstance(rc.original_route, APIRoute)
            and "GET" in rc.original_route.methods
            and "{" not in str(rc.path)
        }
    )
    assert "/" in pages and "/login" in pages and "/api/health" in pages
    for path in [*pages, "/no-such-page", "/static/style.css", "/api/patients/nobody"]:
        response = client.get(path, headers={"accept": "text/html"}, follow_redirects=False)
        check_headers(response, path)
        if response.headers.get("content-type", "").startswith("text/html") and path != "/docs":
            assert not INLINE_SCRIPT.findall(response.text), f"inline <script> in {path}"
            assert "script-src 'self'" in response.headers["content-security-policy"]


def test_login_page_has_a_csrf_field_and_no_autocomplete_leak(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as(demo_db).get("/login")
    assert 'name="csrf_token"' in page.text and 'autocomplete="current-password"' in page.text
    cookie = page.headers.get("set-cookie", "")
    assert "oncofed_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_every_post_form_in_the_templates_sends_the_csrf_token() -> None:
    """The app-wide CSRF check refuses a logged-in POST without the token: every form must carry it."""
    from oncofed.web.templating import TEMPLATES_DIR

    missing = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(
            r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", text, re.IGNORECASE | re.DOTALL
        ):
            if "csrf_input()" not in form:
                missing.append(f"{path.name}: {form[:80]}")
    assert not missing, missing
