"""`oncofed serve` as a real process on a free loopback port, for crash and load tests (issue 22)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]


class ServerProcess:
    """Start with `start()`; `kill()` sends SIGKILL to the whole process group (workers included)."""

    def __init__(self, database_url: str, workers: int = 1, log: Path | None = None) -> None:
        self.database_url = database_url
        self.workers = workers
        self.log = log
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        # a file, not a pipe: a chatty server never blocks on it (closed with the object)
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> ServerProcess:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": self.database_url}
        cmd = [sys.executable, "-m", "oncofed.cli", "serve", "--port", str(self.port)]
        cmd += ["--workers", str(self.workers), "--access-log", str(self.log) if self.log else "off"]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.stderr, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stderr.seek(0)
                err = self.stderr.read().decode(errors="replace")
                raise RuntimeError(f"oncofed serve exited with {self.proc.returncode}: {err[-2000:]}")
            try:
                if httpx.get(self.base_url + "/api/health/ready", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("oncofed serve was not ready in time")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=60)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
