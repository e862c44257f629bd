"""The compiled notes readers run only while they match their sources (oncofed.compiled, `make compile`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from oncofed import compiled

TEXT = "oncofed.ingest.patients.notes.text"


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n", encoding="utf-8")
    (package / "sub" / "b.py").write_text("B = 2\n", encoding="utf-8")
    return package


def _manifest(package: Path) -> dict[str, object]:
    return {
        "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "extensions": {},
        "files": compiled.record(package),
    }


def test_a_build_is_fresh_until_a_source_changes(tmp_path: Path) -> None:
    package = _package(tmp_path)
    manifest = _manifest(package)
    assert compiled.stale(manifest, package) is None
    b = package / "sub" / "b.py"
    os.utime(b, ns=(b.stat().st_atime_ns, b.stat().st_mtime_ns + 10**9))  # touched, same bytes
    assert compiled.stale(manifest, package) is None
    b.write_text("B = 3\n", encoding="utf-8")  # same size, other bytes
    assert compiled.stale(manifest, package) == "sub/b.py was edited after the build"
    b.write_text("B = 2\n", encoding="utf-8")
    assert compiled.stale(manifest, package) is None
    (package / "a.py").unlink()
    assert compiled.stale(manifest, package) == "a.py was removed after the build"


def test_a_build_for_another_python_is_not_loaded(tmp_path: Path) -> None:
    package = _package(tmp_path)
    manifest = {**_manifest(package), "ext_suffix": ".cpython-39-x86_64-linux-gnu.so"}
    assert "another Python" in (compiled.stale(manifest, package) or "")


def test_without_a_build_the_finder_hands_out_nothing(tmp_path: Path) -> None:
    finder = compiled._Finder(tmp_path / "no-build", _package(tmp_path), modules=("pkg.a",))
    assert finder.find_spec("pkg.a", None) is None
    assert finder.state == "not built (make compile)"
    assert finder.find_spec("json", None) is None  # a module it does not compile is never its business


def _import_file(src: Path, *, pure: bool = False) -> tuple[str, str]:
    env = {**os.environ, "PYTHONPATH": str(src), "LOGURU_LEVEL": "WARNING"}
    env.pop("ONCOFED_PURE", None)
    if pure:
        env["ONCOFED_PURE"] = "1"
    code = f"import {TEXT} as m; from oncofed import compiled; print(m.__file__); print(compiled.status())"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    where, status = done.stdout.strip().splitlines()[-2:]
    return where, status


def test_an_edited_reader_runs_from_its_source(tmp_path: Path) -> None:
    """A copy of the repository's sources and build: compiled as built; the edited copy runs its `.py`."""
    root = Path(compiled.__file__).resolve().parents[2]
    build = root / "build" / "compiled"
    manifest_path = build / compiled.MANIFEST
    if not manifest_path.exists():
        pytest.skip("no compiled build (make compile; skipped without a C compiler)")
    if compiled.stale(json.loads(manifest_path.read_text(encoding="utf-8"))):
        pytest.skip("the build is stale for the working tree (make compile)")
    shutil.copytree(root / "src" / "oncofed", tmp_path / "src" / "oncofed", copy_function=shutil.copy2)
    shutil.copytree(build, tmp_path / "build" / "compiled")
    where, status = _import_file(tmp_path / "src")
    assert where.endswith(sysconfig.get_config_var("EXT_SUFFIX")), where
    assert status.startswith("compiled"), status
    where, status = _import_file(tmp_path / "src", pure=True)
    assert where.endswith(".py") and "ONCOFED_PURE" in status, (where, status)
    # an edit of a module that is not compiled itself still turns the whole group back to Python
    domain = tmp_path / "src" / "oncofed" / "domain" / "patient.py"
    domain.write_text(domain.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    where, status = _import_file(tmp_path / "src")
    assert where == str(tmp_path / "src" / "oncofed" / "ingest" / "patients" / "notes" / "text.py"), where
    assert "domain/patient.py was edited after the build" in status, status


def test_every_notes_reader_module_is_compiled() -> None:
    """A reader module added later is compiled too (else the compiled readers call it as slow pure Python)."""
    from oncofed import compiled

    notes = compiled.PACKAGE / "ingest" / "patients" / "notes"
    names = {f"oncofed.ingest.patients.notes.{p.stem}" for p in notes.glob("*.py") if p.stem != "__init__"}
    assert names - set(compiled.MODULES) == set()
