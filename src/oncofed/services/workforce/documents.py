"""Read a YAML or JSON document (grid, proposal) from a file or text, with a clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from oncofed.errors import N_, InputError, unreadable

MAX_BYTES = 2_000_000


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: a date stays text until the grid or proposal parser
    reads it, so "2026-02-30" is reported against its field instead of failing inside PyYAML."""


_Loader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_document(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc
    if len(raw) > MAX_BYTES:
        raise InputError(
            N_("%(size)s bytes is too large for a grid or proposal"),
            file=str(path),
            fix=N_("check the file"),
            code="grid.too_large",
            params={"size": len(raw)},
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            N_("not UTF-8 text"), file=str(path), fix=N_("save the file as UTF-8"), code="file.not_utf8"
        ) from exc
    return parse_document(text, str(path))


def parse_document(text: str, source: str) -> Any:
    """YAML (JSON is YAML too); dates stay ISO text, checked by the parsers with the field named."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        raise InputError(
            N_("not valid YAML or JSON (line %(line)s)")
            if where is not None
            else N_("not valid YAML or JSON"),
            file=source,
            fix=N_("check the indentation and quotes"),
            code="grid.syntax",
            params={"line": where.line + 1} if where is not None else {},
        ) from exc
