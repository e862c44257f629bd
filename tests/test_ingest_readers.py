"""The shared readers of `ingest/`: one guarded JSONL reader (`ingest.jsonl`) and one tabular
validate-and-reject reader (`ingest.tabular`), each error naming the file, the line and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.errors import InputError
from oncofed.ingest import jsonl, tabular
from oncofed.ingest.errors import RecordError

SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
OBJECTS = st.dictionaries(st.text(min_size=1, max_size=8), SCALARS, max_size=4)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(OBJECTS, st.integers(0, 2)), max_size=12))
def test_jsonl_objects_come_with_the_line_they_stand_on(tmp_path: Path, items: list) -> None:
    path = tmp_path / "x.jsonl"
    lines: list[str] = []
    expected = []
    for obj, blanks in items:
        lines.extend([""] * blanks)
        lines.append(json.dumps(obj))
        expected.append((len(lines), obj))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(jsonl.iter_objects(path)) == expected


def test_jsonl_errors_name_the_line_and_the_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"_id": "a"}\n'  # a byte-order mark on the first line is dropped
        b"not json\n"
        b"[1, 2]\n"
        b'{"_id": "\xff"}\n'
        b"\n"
        b'{"_id": "b"}\n'
    )
    got = list(jsonl.iter_objects(path))
    assert [n for n, _ in got] == [1, 2, 3, 4, 6]
    assert got[0][1] == {"_id": "a"} and got[4][1] == {"_id": "b"}
    errors = {n: v for n, v in got if isinstance(v, RecordError)}
    assert errors[2].field == "(json)" and "invalid JSON" in errors[2].reason
    assert errors[3].field == "(record)" and "not a JSON object" in errors[3].reason
    assert errors[4].field == "(encoding)" and "UTF-8" in errors[4].reason


def test_jsonl_over_long_line_is_skipped_without_reading_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 64)
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n{"b": "' + "x" * 500 + '"}\n{"c": 3}\n', encoding="utf-8")
    got = list(jsonl.iter_values(path))
    assert got[0] == (1, {"a": 1}) and got[2] == (3, {"c": 3})
    assert isinstance(got[1][1], RecordError) and got[1][1].field == "(line)"


def test_read_objects_stops_at_the_first_bad_line_naming_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"_id": "1", "text": "a"}\n{"_id": "2"}\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        jsonl.read_objects(path, what="BEIR queries", need=("_id", "text"))
    assert exc.value.file == str(path) and exc.value.record == "line 2" and exc.value.field == "text"

    def no_twos(row: dict) -> None:
        if row["_id"] == "2":
            raise RecordError("_id", "two is refused")

    path.write_text('{"_id": "1"}\n\n{"_id": "2"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="two is refused") as exc:
        jsonl.read_objects(path, what="x", check=no_twos)
    assert exc.value.record == "line 3" and exc.value.field == "_id"
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty x file"):
        jsonl.read_objects(path, what="x")
    assert jsonl.read_objects(path, what="x", empty_ok=True) == []
    with pytest.raises(InputError, match="not found"):
        jsonl.read_objects(tmp_path / "missing.jsonl", what="x")


def test_parse_document_names_the_line() -> None:
    assert jsonl.parse_document('\ufeff{"a": 1}', "p.json") == {"a": 1}
    with pytest.raises(InputError, match="invalid JSON") as exc:
        jsonl.parse_document('{\n  "a": 1,\n}', "p.json")
    assert exc.value.file == "p.json" and exc.value.record == "line 3"


def test_checked_rows_report_every_problem_of_every_row_by_line() -> None:
    text = "# a comment line\nid;amount;when\nA1;2 450,50;2024\nA2;x;2024\nA3;1;2;3\n\nA4;;2024\n"
    rejects: list[tabular.Reject] = []
    kept = {}
    for row in tabular.checked_rows(text, "pay.csv", ("id", "amount"), ("when",)):
        if not row.ok:
            rejects.extend(row.problems)
            continue
        row.record = row["id"]
        amount = row.number("amount")
        if row.get("id") == "A4":
            row.reject("id", "refused", "use another id")
        if row.ok:
            kept[row["id"]] = amount
        rejects.extend(row.problems)
    assert kept == {"A1": 2450.5}
    assert [(r.line, r.field, r.record) for r in rejects] == [
        (4, "amount", "A2"),
        (5, "*", ""),
        (7, "amount", "A4"),
        (7, "id", "A4"),
    ]
    assert "'x' is not a number" in str(rejects[0]) and "values: 4 for 3 columns" in rejects[1].reason
    said = tabular.summary(rejects, 2)  # pieces of a sentence, said in the reader's language with it
    assert len(said) == 3 and said[-1] == {"msgid": "and %(num)s more", "params": {"num": 2}}


def test_checked_rows_refuse_a_file_without_the_required_columns() -> None:
    with pytest.raises(InputError, match="missing column") as exc:
        list(tabular.checked_rows("id,when\nA,1\n", "x.csv", ("id", "amount")))
    assert exc.value.file == "x.csv" and exc.value.record == "line 1"
