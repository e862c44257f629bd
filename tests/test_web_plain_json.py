"""JSON answers without FastAPI's encoder pass (issue 22): the same bytes, and a payload holding
something else than plain JSON types still encoded."""

from __future__ import annotations

from datetime import date

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from oncofed.web.plain_json import plain_json


def test_plain_json_writes_what_fastapi_writes_and_encodes_the_rest() -> None:
    data = {"a": [1, 2.5, None, "é", True], "b": {"c": [], "d": {}}}
    assert plain_json(data).body == JSONResponse(jsonable_encoder(data)).body
    assert plain_json({"when": date(2026, 1, 2)}).body == b'{"when":"2026-01-02"}'
    assert plain_json(data).media_type == "application/json"
