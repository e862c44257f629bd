"""Documents of a JSON or YAML text, in every layout MatchMiner's tools write: one value, a JSON
array, JSON lines, several JSON values back to back (optionally comma-separated), or YAML with
several `---` documents. Shared by the CTML trial importer and the CTML matcher's file reader, so
both read a CTML file the same way; YAML goes through the guarded loader (`ingest.safe_yaml`)."""

from __future__ import annotations

import json
from typing import Any

from oncofed.errors import N_, InputError
from oncofed.ingest import safe_yaml


def split_documents(text: str, source: str) -> list[Any]:
    """Every document of `text`: JSON when it starts with `{` or `[`, else YAML. Arrays are
    flattened (an array of trials is its trials), empty YAML documents dropped."""
    stripped = text.lstrip()
    if not stripped:
        return []
    values = json_values(text, source) if stripped[0] in "[{" else safe_yaml.load_all(text, source=source)
    return flatten(values)


def json_values(text: str, source: str) -> list[Any]:
    """One JSON value, JSON lines, or several JSON values back to back."""
    decoder = json.JSONDecoder()
    docs: list[Any] = []
    pos, end = 0, len(text)
    try:
        while True:
            while pos < end and text[pos] in " \t\r\n,\ufeff":
                pos += 1
            if pos >= end:
                return docs
            value, pos = decoder.raw_decode(text, pos)
            docs.append(value)
    except json.JSONDecodeError as exc:
        raise InputError(
            N_("not valid JSON (%(detail)s, line %(line)s column %(column)s)"),
            file=source,
            fix=N_("check the file is JSON, JSON lines or YAML"),
            code="import.document_json",
            params={"detail": exc.msg, "line": exc.lineno, "column": exc.colno},
        ) from None
    except RecursionError:
        raise InputError(
            N_("JSON nested too deeply"),
            file=source,
            fix=N_("flatten the document"),
            code="import.json_depth",
        ) from None


def flatten(docs: list[Any]) -> list[Any]:
    """Lists inside lists spread out, in order, None dropped (iterative: nesting depth is the user's)."""
    out: list[Any] = []
    stack = [iter(docs)]
    while stack:
        for doc in stack[-1]:
            if isinstance(doc, list):
                stack.append(iter(doc))
                break
            if doc is not None:
                out.append(doc)
        else:
            stack.pop()
    return out
