"""Compiled Hyperscan databases kept in the user's cache folder (`$XDG_CACHE_HOME` or ~/.cache, `oncofed/`),
shared by the French rules' prefilter (`french._hs_database`) and the `Caseless` absence gates
(`hs_widen.absence_gate`): compiling takes up to seconds, reading one back well under a millisecond. A
file that cannot be read (absent, another machine's or another Hyperscan's database) is compiled again by
the caller; one that cannot be written (a read-only home) is simply not kept."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any


def path_for(prefix: str, key: bytes) -> Path | None:
    """The cache file of a database named by `key` (the digest of what it was compiled from), or None when
    the user has no home folder to keep it in."""
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "oncofed"
    except RuntimeError:  # no home folder
        return None
    return folder / f"{prefix}-{hashlib.sha256(key).hexdigest()[:24]}.db"


def load(path: Path | None) -> Any | None:
    """The block-mode database kept at `path`, or None."""
    if path is None:
        return None
    import hyperscan  # only called where Hyperscan is installed

    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except Exception:  # noqa: BLE001 - absent, unreadable, or built for another machine: compiled again
        return None


def save(path: Path | None, database: Any) -> None:
    """Keep `database` at `path` (atomically: another process reads the whole file or none)."""
    if path is None:
        return
    import hyperscan

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_bytes(hyperscan.dumpb(database))
        os.replace(temporary, path)
    except OSError:
        pass
