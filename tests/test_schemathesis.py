"""Property-based API tests from the OpenAPI schema (schemathesis), in process over ASGI, as several
roles, a bounded number of examples per operation: no request may produce a server error (issue 8)."""

from __future__ import annotations

import pytest
import schemathesis

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.web.app import create_app
from tests.conftest import copy_sqlite
from tests.fuzzing import server_errors

EXAMPLES = 5
# research staff and the DPO take the same code paths as the clinician and the trial manager here;
# tests/test_route_roles.py tries every role on every route
ROLES = {
    "public": Actor.public(),
    "clinician": Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care"),
    "trial_manager": Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility"),
}


@pytest.fixture(scope="module")
def api_db(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A copy of the demo network: generated requests may write (statuses, assessments)."""
    target = tmp_path_factory.mktemp("schemathesis") / "api.sqlite3"
    copy_sqlite(demo_db, target)
    return Database(f"sqlite:///{target}")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_generated_requests_never_cause_a_server_error(api_db: Database, role: str) -> None:
    app = create_app(api_db)
    actor = ROLES[role]
    app.state.actor_resolver = lambda request: actor
    operations, failures = server_errors(schemathesis.openapi.from_asgi("/api/openapi.json", app), EXAMPLES)
    assert operations >= 20
    assert not failures, failures[:5]


# The HTML pages and forms (left out of the public schema) generated the same way (issue 17): a test
# copy of the app puts every route in its schema, tagged "html", so form fields become generated
# application/x-www-form-urlencoded bodies. Requests carry no session cookie, so the CSRF check (for
# cookie sessions only) lets them through to the handlers.
HTML_ROLES = {
    **ROLES,
    "quality_manager": Actor("quinn", Role.QUALITY_MANAGER, frozenset({"curie"}), "quality"),
}
HTML_EXAMPLES = 3


def html_app(db: Database, actor: Actor):  # type: ignore[no-untyped-def]
    from fastapi.routing import APIRoute, iter_route_contexts

    app = create_app(db)
    app.state.actor_resolver = lambda request: actor
    for context in iter_route_contexts(app.routes):
        # the route as included by its router (FastAPI keeps one per inclusion): what get_openapi reads
        effective = getattr(context, "_route_context", None) or context.original_route
        if isinstance(context.original_route, APIRoute) and not effective.include_in_schema:
            effective.include_in_schema = True
            effective.tags = ["html"]
    app.openapi_schema = None
    return app


@pytest.mark.parametrize("role", sorted(HTML_ROLES))
def test_generated_requests_to_pages_and_forms_never_cause_a_server_error(
    api_db: Database, role: str
) -> None:
    """On bef02d6 the EPiHC form answered 500 to every post ("Stream consumed" for a cookie session,
    a body that is not UTF-8 otherwise), a login form with a non-ASCII csrf_token was a 500 (found by
    this test), and so was a page's redirect to /login for a path with a non-latin-1 character."""
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", html_app(api_db, HTML_ROLES[role]))
    schema = schema.include(tag="html")
    operations, failures = server_errors(schema, HTML_EXAMPLES, headers={"accept": "text/html"})
    assert operations >= 20, operations  # every page and form of the app
    assert not failures, failures[:5]
