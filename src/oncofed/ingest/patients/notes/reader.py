"""Note files: BEIR-style JSONL ({"_id", "text"}) or one note per .txt file -> parsed records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from oncofed.ingest import jsonl
from oncofed.ingest.errors import RecordError
from oncofed.ingest.patients.common import Collector, ParsedRecord
from oncofed.ingest.patients.notes.french import extract


def read_notes(path: Path) -> Iterator[tuple[str, str]]:
    """(note id, text) from BEIR-style JSONL ({"_id", "text"}) or one note per .txt file."""
    if path.suffix.lower() == ".txt":
        yield path.stem, path.read_text(encoding="utf-8", errors="replace")
        return
    for n, obj in jsonl.iter_objects(path):  # the one guarded JSONL reader (ingest/jsonl.py)
        if isinstance(obj, RecordError):
            yield f"line {n}", f"\x00{obj.reason}"
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
