"""The person at the command line as an actor: the OS user, audited like anyone (issue 17).

Commands that read patient data (`oncofed match`, `oncofed prescreen`) or spend feasibility budget
act as `cli:<OS user>` instead of the platform's internal system actor, and the audit log records the
command line as the request (`detail`), as it records "GET /api/..." for the web.
"""

from __future__ import annotations

import getpass

from oncofed.domain import Actor
from oncofed.store.audit import audit_context


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): still someone, named by uid
        import os

        return f"uid{os.getuid()}"


def operator(purpose: str, command: str, centre_ids: frozenset[str] | None = None) -> Actor:
    """The operator actor for this command; `command` (e.g. "match curie-000123") becomes the audit
    log's request, as "GET /api/..." does for the web."""
    audit_context.set(f"cli: oncofed {command}"[:300])
    return Actor.operator(os_user(), purpose, centre_ids)
