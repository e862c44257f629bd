"""JSON answers that are already plain JSON types (dicts, lists, strings, numbers, None), written
without FastAPI's `jsonable_encoder` pass: the bytes are the same (Starlette's JSONResponse, the
renderer FastAPI uses), but the encoder walks every value of a large payload first, 3-25 ms of CPU
on a patient's match report (issue 22). A payload holding anything else (a date, an enum) still goes
through the encoder."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse


def plain_json(data: Any) -> JSONResponse:
    try:
        return JSONResponse(data)
    except TypeError:  # not plain JSON types: the encoder turns them into some
        return JSONResponse(jsonable_encoder(data))
