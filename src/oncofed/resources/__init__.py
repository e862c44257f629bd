"""Vocabularies and rules held as data files, each with its source written at the top."""

from __future__ import annotations

import csv
import functools
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml


def resource_path(name: str) -> Path:
    """Absolute path of a file shipped in `oncofed/resources/`."""
    return Path(str(importlib_resources.files("oncofed.resources").joinpath(name)))


@functools.cache
def load_yaml(name: str) -> Any:
    with resource_path(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.cache
def load_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV resource; lines starting with '#' are comments (source notes)."""
    with resource_path(name).open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#") and line.strip()]
    return tuple(csv.DictReader(lines, delimiter="\t"))
