"""Structured access logs: one JSON line per request, with no patient data in them.

A request's raw path names patients (`/api/patients/curie-0042/matches`) and its query string can
carry anything a user typed, so neither is logged: the line holds the route's *template*
(`/api/patients/{patient_id}/matches`, from Starlette's matched route), the method, the status, the
duration, the response size, the caller's role (never their patient scope), the worker's pid and a
request id (the `X-Request-ID` a reverse proxy sent, when it looks like an id, else a new one; it is
echoed in the response so a proxy's log line and ours can be joined).

uvicorn's own access log (which prints raw paths and query strings) stays off.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = "oncofed.access"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, "fields", {}) or {"message": record.getMessage()}
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)


def configure(destination: str) -> logging.Logger:
    """Send access lines to `destination`: `-` (stderr) or a file path (appended)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for h in list(logger.handlers):
        logger.removeHandler(h)
    handler: logging.Handler = (
        logging.StreamHandler() if destination == "-" else logging.FileHandler(destination, encoding="utf-8")
    )
    handler.setFormatter(JsonLineFormatter())
    logger.addHandler(handler)
    return logger


def route_template(scope: Scope) -> str:
    """The matched route's path template (a mount's prefix for static files), never the raw path."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else "(unmatched)"


class AccessLog:
    """ASGI middleware writing one line per HTTP request to the `oncofed.access` logger."""

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(LOGGER)
        self.pid = os.getpid()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-request-id"), "")
        request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex[:16]
        status, size = 500, 0

        async def send_logged(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode("latin-1")))
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            actor = (scope.get("state") or {}).get("actor")
            role = getattr(getattr(actor, "role", None), "value", None)
            self.logger.info(
                "request",
                extra={
                    "fields": {
                        "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
                        "event": "http",
                        "method": scope.get("method"),
                        "route": route_template(scope),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "bytes": size,
                        "role": role or "anonymous",
                        "pid": self.pid,
                        "request_id": request_id,
                    }
                },
            )
