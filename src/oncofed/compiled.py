"""The notes readers compiled ahead of time with mypyc, loaded only while they match their sources (issue 23).

`scripts/compile_readers.py` (`make compile`) compiles `MODULES` with mypyc into `build/compiled/` at the
repository's root, never into `src/` (Python imports an extension module before the `.py` of the same name:
a `.so` beside its source would silently shadow every later edit), and writes `manifest.json` there: the
size, modification time and SHA-256 of every `.py` file of the package when it was compiled. `install()`
(called by `oncofed/__init__.py`) puts a finder at the head of `sys.meta_path` that hands out the compiled
modules only if, at the first import of one of them, every file of the manifest is still what was compiled
(the same size and time, or else the same SHA-256); otherwise every module is read from its `.py`.

Why the whole package and all or nothing: mypyc binds the calls between the compiled modules when they are
loaded (one compiled module calls another's compiled function directly, never its edited `.py`) and bakes
the types, and `Final` constants, of the modules they import into the machine code. A reader module, or a
domain class it reads, edited after the build must therefore turn the whole group back to pure Python.

Hand-written because no library checks the freshness of extension modules: setuptools, mypyc and Cython
build them in place and Python then prefers them to their sources whatever their age.

`ONCOFED_PURE=1` in the environment: pure Python whatever is built (the outputs are the same; tests that
replace a function of a compiled module with `monkeypatch` need it, since compiled callers do not look the
name up again).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent
BUILD = PACKAGE.parents[1] / "build" / "compiled"
MANIFEST = "manifest.json"
# the notes path's own Python (cProfile of French notes -> facts): the notes readers, the French front-end,
# ConText, the vocabularies, the notes' language (`criteria.language`) and the rules' searchers and needs
# (`criteria.fast_regex`; both made their objects with `object.__new__`, which mypyc's native classes
# refuse: no longer since speed30)
MODULES = (
    *(
        f"oncofed.ingest.patients.notes.{m}"
        for m in (
            "age", "allergies", "biomarkers", "dates", "facts", "french", "history", "indications", "infections",
            "labs", "lowered", "mentions", "organ_first", "reader", "scopes", "signs", "sites", "subsite",
            "suspected", "text", "therapy", "triggers", "unread", "values", "weight", "negated_after",
        )
    ),
    "oncofed.ingest.patients.common",
    *(
        f"oncofed.criteria.{m}"
        for m in (
            "french", "context", "vocab", "caseless", "units", "vocab_pass", "frozen", "context_graph", "fast_regex",
            "language",
        )
    ),
)  # fmt: skip


def pure_forced() -> bool:
    return os.environ.get("ONCOFED_PURE", "").strip() not in ("", "0")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources(package: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def record(package: Path = PACKAGE) -> dict[str, tuple[int, int, str]]:
    """Every source of `package`: its size, modification time (ns) and SHA-256, by path within the package."""
    files = {}
    for path in sources(package):
        stat = path.stat()
        files[str(path.relative_to(package))] = (stat.st_size, stat.st_mtime_ns, digest(path))
    return files


def stale(manifest: dict[str, object], package: Path = PACKAGE) -> str | None:
    """Why the build described by `manifest` may not be loaded for the sources in `package`; None if it may."""
    if manifest.get("ext_suffix") != sysconfig.get_config_var("EXT_SUFFIX"):
        return f"built for another Python ({manifest.get('ext_suffix')})"
    files = manifest.get("files")
    if not isinstance(files, dict):
        return "the manifest lists no sources"
    for rel, (size, mtime_ns, sha) in files.items():
        path = package / rel
        try:
            stat = path.stat()
        except OSError:
            return f"{rel} was removed after the build"
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns) and digest(path) != sha:
            return f"{rel} was edited after the build"
    return None


class _Finder(importlib.abc.MetaPathFinder):
    """Hands out the compiled `MODULES` (and mypyc's shared library) while the build is fresh."""

    def __init__(self, build: Path, package: Path, modules: Sequence[str] = MODULES) -> None:
        self.build, self.package, self.modules = build, package, frozenset(modules)
        self.state: str | None = None  # "compiled", or why pure (decided at the first request)
        self.paths: dict[str, Path] = {}

    def decide(self) -> None:
        try:
            manifest = json.loads((self.build / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.state = "not built (make compile)"
            return
        why = stale(manifest, self.package)
        paths = {name: self.build / rel for name, rel in manifest.get("extensions", {}).items()}
        if why is None and not all(p.exists() for p in paths.values()):
            why = "a compiled file is missing"
        if why is not None:
            self.state = f"stale: {why}; run `make compile` again"
            return
        self.paths, self.state = paths, "compiled"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules and not fullname.endswith("__mypyc"):
            return None
        if self.state is None:
            self.decide()
        where = self.paths.get(fullname)
        if where is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(where))
        return importlib.util.spec_from_file_location(fullname, where, loader=loader)


_FINDER: _Finder | None = None


def install(build: Path = BUILD, package: Path = PACKAGE) -> None:
    """Put the finder in front of Python's own (once); nothing when `ONCOFED_PURE` is set."""
    global _FINDER
    if _FINDER is not None or pure_forced():
        return
    _FINDER = _Finder(build, package)
    sys.meta_path.insert(0, _FINDER)


def status() -> str:
    """What runs: "compiled (N modules)", or pure Python and why."""
    if pure_forced():
        return "pure Python (ONCOFED_PURE is set)"
    if _FINDER is None:
        return "pure Python (finder not installed)"
    if _FINDER.state is None:
        _FINDER.decide()
    loaded = [n for n in MODULES if (m := sys.modules.get(n)) and not (m.__file__ or "").endswith(".py")]
    if _FINDER.state == "compiled":
        return f"compiled ({len(_FINDER.paths) - 1} modules; {len(loaded)} loaded)"
    return f"pure Python ({_FINDER.state})"
