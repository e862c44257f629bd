"""Note files: BEIR-style JSONL ({"_id", "text"}) or one note per .txt file -> parsed records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from oncofed.ingest.patients.common import Collector, ParsedRecord
from oncofed.ingest.patients.notes.french import extract


def read_notes(path: Path) -> Iterator[tuple[str, str]]:
    """(note id, text) from BEIR-style JSONL ({"_id", "text"}) or one note per .txt file."""
    if path.suffix.lower() == ".txt":
        yield path.stem, path.read_text(encoding="utf-8", errors="replace")
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line {n}", f"\x00invalid JSON: {exc.msg}"
                continue
            if not isinstance(obj, dict):
                yield f"line {n}", "\x00not a JSON object"
                continue
            yield str(obj.get("_id") or obj.get("id") or f"line {n}"), str(obj.get("text") or "")


def parse_file(path: Path) -> Iterator[ParsedRecord]:
    for note_id, text in read_notes(path):
        issues = Collector(path.name, note_id)
        if text.startswith("\x00") or not text.strip():
            issues.error(
                "note",
                "text",
                (text[1:].strip() if text.startswith("\x00") else "") or "empty note",
                "one JSON object per line with _id and text",
            )
            yield ParsedRecord(path.name, note_id, None, issues.issues, source="note")
            continue
        profile = extract(text, note_id, f"note:{path.name}")
        yield ParsedRecord(path.name, note_id, profile, issues.issues, source="note", local_id=note_id)
