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
    # addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; empty (the
    # default): the socket's peer is the client, whatever the headers say
    trusted_proxies: tuple[str, ...] = ()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_sqlite_url(var_dir: Path) -> str:
    return f"sqlite:///{(var_dir / 'oncofed.sqlite3').as_posix()}"


def load_settings() -> Settings:
    """Read `ONCOFED_VAR_DIR`, `DATABASE_URL` (SQLite file under var/ by default) and
    `ONCOFED_TRUSTED_PROXIES` (comma-separated addresses or networks of reverse proxies; none by default)."""
    var_dir = Path(os.environ.get("ONCOFED_VAR_DIR", str(DEFAULT_VAR_DIR)))
    url = os.environ.get("DATABASE_URL") or default_sqlite_url(var_dir)
    proxies = tuple(p.strip() for p in os.environ.get("ONCOFED_TRUSTED_PROXIES", "").split(",") if p.strip())
    return Settings(database_url=url, var_dir=var_dir, trusted_proxies=proxies)


def proxy_options(settings: Settings) -> dict[str, object]:
    """uvicorn's options for forwarded headers. uvicorn believes X-Forwarded-For from 127.0.0.1 unless
    told otherwise, so anyone on the machine (or a proxy passing the header through) could pick the
    client address the login limiter counts; oncofed turns that off unless proxies are configured."""
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}
