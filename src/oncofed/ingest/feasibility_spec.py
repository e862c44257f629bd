"""Feasibility criteria files (YAML or JSON, format in `oncofed.criteria.feasibility_spec`): read
through the guarded YAML loader, then handed to the criteria engine as parsed data."""

from __future__ import annotations

from pathlib import Path

from oncofed.criteria.feasibility_spec import SpecError, parse_spec
from oncofed.domain import Criterion
from oncofed.ingest import safe_yaml


def load_spec(path: Path) -> tuple[str, list[Criterion]]:
    """(name, criteria) of a criteria file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read: {exc.strerror}", file=str(path), fix="check the path") from exc
    except UnicodeDecodeError as exc:
        raise SpecError(f"not UTF-8 text (byte {exc.start})", file=str(path), fix="save as UTF-8") from exc
    return parse_text(text, str(path))


def parse_text(text: str, file: str = "<criteria>") -> tuple[str, list[Criterion]]:
    """(name, criteria) of a YAML/JSON criteria document given as text."""
    try:
        data = safe_yaml.load(text, source=file)
    except safe_yaml.YamlError as exc:
        raise SpecError(exc.reason, file=file, fix=exc.fix) from None
    return parse_spec(data, file)
