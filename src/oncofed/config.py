"""Settings read from the environment, with defaults that work on a fresh machine."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_VAR_DIR = Path("var")


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_sqlite_url(var_dir: Path) -> str:
    return f"sqlite:///{(var_dir / 'oncofed.sqlite3').as_posix()}"


def load_settings() -> Settings:
    """Read `ONCOFED_VAR_DIR` and `DATABASE_URL` (SQLite file under var/ by default)."""
    var_dir = Path(os.environ.get("ONCOFED_VAR_DIR", str(DEFAULT_VAR_DIR)))
    url = os.environ.get("DATABASE_URL") or default_sqlite_url(var_dir)
    return Settings(database_url=url, var_dir=var_dir)
