"""Compile the notes readers (`oncofed.compiled.MODULES`) with mypyc into build/compiled/ (`make compile`).

    .venv/bin/python scripts/compile_readers.py [--force]

The package's sources are copied to a temporary folder and compiled there, so no extension module is ever
written beside a `.py` in src/ (it would shadow later edits); the extension modules go to build/compiled/
(git-ignored) with manifest.json, the size, time and SHA-256 of every `.py` of the package as compiled
(`oncofed.compiled` loads the build only while every file is unchanged). Without a C compiler, Python's
headers or mypyc, it says so and stops with success: the readers then run as pure Python, same outputs.
A build that is still fresh is kept (`--force` builds again).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ["ONCOFED_PURE"] = "1"  # this script's own import of oncofed must not load the build it replaces

from oncofed import compiled  # noqa: E402


def missing_tools() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "no Python.h (install python3-dev)"
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return "mypyc is not installed"
    return None


def build(out: Path) -> None:
    ext = sysconfig.get_config_var("EXT_SUFFIX")
    with tempfile.TemporaryDirectory(prefix="oncofed-compile-") as tmp:
        src = Path(tmp) / "src"
        files = compiled.record()  # before the copy: a file edited meanwhile reads as stale, never as fresh
        shutil.copytree(
            compiled.PACKAGE, src / "oncofed", ignore=shutil.ignore_patterns("__pycache__", "*.so")
        )
        copied = {
            str(p.relative_to(src / "oncofed")): compiled.digest(p) for p in compiled.sources(src / "oncofed")
        }
        if copied != {rel: sha for rel, (_, _, sha) in files.items()}:
            raise SystemExit("compile: a source changed while it was copied; run it again")
        modules = [m.replace(".", "/") + ".py" for m in compiled.MODULES]
        done = subprocess.run(
            [sys.executable, "-m", "mypyc", "--config-file", str(ROOT / "pyproject.toml"), *modules],
            cwd=src, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(
                f"mypyc failed (the readers stay pure Python):\n{(done.stdout + done.stderr)[-3000:]}"
            )
        extensions = {}
        staging = out.with_name(out.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        for name in compiled.MODULES:
            rel = Path(*name.split(".")).with_suffix("")
            built = src / f"{rel}{ext}"
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(built, staging / f"{rel}{ext}")
            extensions[name] = f"{rel}{ext}"
        for group in src.glob(f"*__mypyc{ext}"):
            shutil.copy(group, staging / group.name)
            extensions[group.name.removesuffix(ext)] = group.name
    manifest = {"ext_suffix": ext, "built": time.strftime("%Y-%m-%d %H:%M:%S"), "extensions": extensions,
                "files": files}  # fmt: skip
    (staging / compiled.MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="build again even if the build is fresh")
    args = parser.parse_args()
    out = compiled.BUILD
    if not args.force:
        try:
            manifest = json.loads((out / compiled.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if manifest is not None and compiled.stale(manifest) is None:
            print(f"compile: {out} is up to date ({len(compiled.MODULES)} modules)")
            return
    if why := missing_tools():
        print(f"compile: skipped, {why}: the notes readers run as pure Python (the same outputs)")
        return
    started = time.monotonic()
    print(
        f"compile: mypyc on {len(compiled.MODULES)} notes-reader modules (about 3 minutes on 2 cores) ...",
        flush=True,
    )
    build(out)
    print(f"compile: done in {time.monotonic() - started:.0f} s -> {out}")


if __name__ == "__main__":
    main()
