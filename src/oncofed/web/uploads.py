"""Uploads checked while they arrive, before anything is written (the import pages and APIs).

Who is sending comes first: before a byte of the body is read, the caller is resolved (session cookie
or bearer token) and refused unless their role may import there (401 nobody logged in, 403 another
role: `auth.role_refusal`, the same answer as the route's own `require_roles`). FastAPI reads a form
body before it runs the route's dependencies, so without this an anonymous caller's over-limit upload
was told its size (413) rather than that they may not send it.

Starlette spools an uploaded file to a temporary file as it parses the form, before the route runs,
so a limit checked in the route comes too late: a 2 GB upload would already be on disk. This ASGI
middleware sits in front: for a path with `UploadLimits`, a request whose `Content-Length` is above
the total limit is refused before a byte of its body is read, and the body is watched as it streams
(python-multipart's own streaming parser reads the part headers and counts each file's bytes): a file
of a type the importer does not read is refused at its header, a file that grows past the per-file
limit at the chunk that crosses it (nothing of that chunk is handed on). The refusal is an
`UploadRefused` (HTTP 413 or 415) with a code and the limit, said in the reader's language by the
app's error handler (a page for a browser, JSON with `code` and `params` for the API)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oncofed.domain import Role
from oncofed.errors import N_, NN_, InputError, OncofedError
from oncofed.web.auth import role_refusal
from oncofed.web.deps import get_actor
from oncofed.web.errors import Refused, error_body


@dataclass(frozen=True)
class UploadLimits:
    file_bytes: int  # one uploaded file
    total_bytes: int  # the whole request (every file and field)
    suffixes: frozenset[str]  # file name endings the importer reads (".json", ...)
    command: str  # the command line that takes larger or more files ("oncofed import trials FILE")
    roles: frozenset[Role]  # who may upload there (the route's own require_roles): checked first


# path -> limits; the import routes register theirs (web/routes/trial_import.py, patient_import.py)
LIMITS: dict[str, UploadLimits] = {}


class UploadRefused(Refused):
    """An upload refused while it streamed: an HTTP error (FastAPI lets it through its body parsing)
    carrying the coded error the page or the API says in the reader's language."""


def _mb(n: int) -> float | int:
    """Megabytes to three significant digits (268 for 256 MiB; a whole number stays an int)."""
    value = float(f"{n / 1e6:.3g}")
    return int(value) if value.is_integer() else value


def too_large(limits: UploadLimits, file: str = "") -> UploadRefused:
    if file:
        return UploadRefused(
            413,
            OncofedError(
                N_("the file %(file)s is larger than an uploaded file may be (%(limit)s MB)"),
                code="upload.file_too_large",
                params={"file": file, "limit": _mb(limits.file_bytes), "command": limits.command},
                fix=N_("import it from the command line: %(command)s"),
            ),
        )
    return UploadRefused(
        413,
        OncofedError(
            N_("the upload is larger than the %(limit)s MB an import may send at once"),
            code="upload.too_large",
            params={"limit": _mb(limits.total_bytes), "command": limits.command},
            fix=N_("send fewer files at a time, or import them from the command line: %(command)s"),
        ),
    )


def wrong_type(limits: UploadLimits, file: str) -> UploadRefused:
    suffix = PurePosixPath(file).suffix.lower() or "—"
    error = OncofedError(
        N_("the file %(file)s is of type %(suffix)s, which this import does not read"),
        code="upload.wrong_type",
        params={"file": file, "suffix": suffix, "accepted": sorted(limits.suffixes)},
        fix=N_("send files of these types: %(accepted)s"),
    )
    return UploadRefused(415, error)


class _Watcher:
    """Feeds the body to python-multipart's streaming parser: checks each file part's name and size."""

    def __init__(self, limits: UploadLimits, boundary: bytes) -> None:
        self.limits = limits
        self.header = b""
        self.headers: dict[bytes, bytes] = {}
        self.field = b""
        self.file = ""
        self.size = 0
        callbacks: Any = {
            "on_part_begin": self._begin,
            "on_header_field": self._field,
            "on_header_value": self._value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
        }
        self.parser = MultipartParser(boundary, callbacks)

    def _begin(self) -> None:
        self.headers, self.file, self.size = {}, "", 0

    def _field(self, data: bytes, start: int, end: int) -> None:
        self.field += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self.header += data[start:end]

    def _header_end(self) -> None:
        self.headers[self.field.lower()] = self.header
        self.field, self.header = b"", b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"filename")
        if name is None:
            return  # a text field (the CSRF token, a tick box): counted in the total only
        self.file = PurePosixPath(name.decode("utf-8", "replace").replace("\\", "/")).name
        if self.file and PurePosixPath(self.file).suffix.lower() not in self.limits.suffixes:
            raise wrong_type(self.limits, self.file)

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.file:
            self.size += end - start
            if self.size > self.limits.file_bytes:
                raise too_large(self.limits, self.file)

    def feed(self, chunk: bytes) -> None:
        self.parser.write(chunk)


class UploadGuard:
    """ASGI middleware: the checks above on POST requests to a path of `LIMITS`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limits = LIMITS.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limits is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        kind, options = parse_options_header(headers.get("content-type", ""))
        watcher = (
            _Watcher(limits, options[b"boundary"])
            if kind == b"multipart/form-data" and b"boundary" in options
            else None
        )
        total = 0
        authorised = False

        async def watched() -> Message:
            nonlocal total, watcher, authorised
            if not authorised:  # who is sending, before anything about what is sent
                request = Request(scope)
                refusal = role_refusal(request, await run_in_threadpool(get_actor, request), limits.roles)
                if refusal is not None:
                    raise refusal
                authorised = True
            if length.isdigit() and int(length) > limits.total_bytes:
                raise too_large(limits)  # refused before the body is read
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                total += len(chunk)
                if total > limits.total_bytes:
                    raise too_large(limits)
                if watcher is not None:
                    try:
                        watcher.feed(chunk)
                    except UploadRefused:
                        raise
                    except Exception:  # a body its own parser cannot read: Starlette's says so (400)
                        watcher = None
            return message

        await self.app(scope, watched, send)


def save_uploads(sent: list[Any], folder: Path, limits: UploadLimits, max_files: int) -> list[Path]:
    """The uploads (already checked as they streamed) under their own names in `folder` (a name given
    twice gets a number). A form sent with no file chosen has an empty text part instead."""
    uploads = [u for u in sent if not isinstance(u, str)]
    if not uploads or all(not (u.filename or "").strip() for u in uploads):
        raise InputError(
            N_("no file chosen"), code="import.no_file", fix=N_("choose one or more files to import")
        )
    if len(uploads) > max_files:
        raise InputError(
            N_("%(files)s files at once is more than %(limit)s"),
            code="import.too_many_files",
            params={"files": len(uploads), "limit": max_files, "command": limits.command},
            fix=N_("import them in several goes, or from the command line: %(command)s"),
        )
    paths: list[Path] = []
    for i, upload in enumerate(uploads):
        name = Path(upload.filename or f"file-{i + 1}").name.strip() or f"file-{i + 1}"
        path = folder / name
        if path.exists():
            path = folder / f"{path.stem}-{i + 1}{path.suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        paths.append(path)
    return paths


__all__ = ["LIMITS", "UploadGuard", "UploadLimits", "UploadRefused", "save_uploads"]


def rejected_json(request: Request, rejected: int, report: dict[str, Any]) -> JSONResponse:
    """422 for an import that rejected records (trials or patients): the coded refusal in the request's
    language (`detail`, `fix`, `code`, `params`) with the import's report fields beside it."""
    error = InputError(
        NN_("%(num)s record was rejected", "%(num)s records were rejected"),
        code="import.rejected",
        params={"num": rejected},
        fix=N_("correct each record as its line says and import the file again (or keep the valid records)"),
    )
    return JSONResponse(error_body(request, error) | report, status_code=422)
