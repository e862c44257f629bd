"""One reader per format: the extended-JSON decoder (property tests) and the guarded YAML loader
(the same alias bomb refused by every reader of a user's YAML file, and by the CLI)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.errors import InputError
from oncofed.ingest import extjson, safe_yaml
from oncofed.ingest.ctml_files import load_trials, read_documents
from oncofed.ingest.feasibility_spec import load_spec
from oncofed.ingest.trials.ctml import iter_records
from oncofed.ingest.trials.sites import load_alias_file

# --------------------------------------------------------------------------- extended JSON

EPOCH = datetime(1970, 1, 1)
keys = st.text(st.characters(blacklist_characters="$"), min_size=1, max_size=8)
plain_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@given(plain_json)
def test_plain_json_is_left_unchanged(value: object) -> None:
    assert extjson.decode(value) == value


@given(st.integers(-(2**63), 2**63 - 1))
def test_number_long_is_an_int_as_text_or_number(n: int) -> None:
    assert extjson.decode({"$numberLong": str(n)}) == n
    assert type(extjson.decode({"x": {"$numberLong": str(n)}})["x"]) is int
    assert extjson.decode({"$numberLong": n}) == n


@given(st.integers(-(2**31), 2**31 - 1))
def test_number_int(n: int) -> None:
    assert extjson.decode({"$numberInt": str(n)}) == n


@given(st.floats(allow_nan=False))
def test_number_double_round_trips(x: float) -> None:
    text = {math.inf: "Infinity", -math.inf: "-Infinity"}.get(x, repr(x))
    assert extjson.decode({"$numberDouble": text}) == x


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_every_date_form_gives_the_same_naive_utc_datetime(when: datetime) -> None:
    when = when.replace(microsecond=when.microsecond // 1000 * 1000)  # BSON dates are milliseconds
    millis = (when - EPOCH) // timedelta(milliseconds=1)
    forms = [
        {"$date": {"$numberLong": str(millis)}},  # canonical
        {"$date": millis},  # legacy
        {"$date": when.isoformat() + "Z"},  # relaxed
        {"$date": (when + timedelta(hours=2)).isoformat() + "+02:00"},
    ]
    for form in forms:
        got = extjson.decode({"d": form})["d"]
        assert got == when and got.tzinfo is None, form


@given(
    st.sampled_from(["$numberLong", "$numberInt", "$numberDouble", "$numberDecimal", "$oid", "$date"]),
    st.one_of(st.text(max_size=12), st.booleans(), st.lists(st.integers(), max_size=2), st.none()),
)
@settings(max_examples=300)
def test_malformed_wrappers_raise_an_error_naming_the_field(wrapper: str, inner: object) -> None:
    doc = {"rec": [{"FIELD": {wrapper: inner}}]}
    try:
        value = extjson.decode(doc)
    except extjson.ExtJsonError as exc:
        assert exc.field == f"rec[0].FIELD.{wrapper}" or exc.field.startswith(f"rec[0].FIELD.{wrapper}.")
        assert exc.reason and exc.fix
        return
    got = value["rec"][0]["FIELD"]  # accepted: then it is a real value of the wrapper's type
    expected = {"$oid": str, "$date": datetime, "$numberLong": int, "$numberInt": int}.get(wrapper, float)
    assert isinstance(got, expected)


def test_examples_of_errors_and_values() -> None:
    assert extjson.decode({"$oid": "5d2799126756630d8dd061b7"}) == "5d2799126756630d8dd061b7"
    assert extjson.decode({"$numberDecimal": "1.25"}) == 1.25
    assert math.isnan(extjson.decode({"$numberDouble": "NaN"}))
    with pytest.raises(extjson.ExtJsonError, match="cannot be combined"):
        extjson.decode({"$date": 0, "x": 1})
    with pytest.raises(extjson.ExtJsonError, match="does not fit in 32 bits"):
        extjson.decode({"$numberInt": str(2**31)})
    with pytest.raises(InputError) as err:
        extjson.decode_document({"BIRTH_DATE": {"$date": "yesterday"}}, file="c.json", record=3)
    assert str(err.value).startswith("c.json:3:BIRTH_DATE.$date: 'yesterday' is not an ISO-8601 date")


def test_matcher_files_decode_with_the_same_decoder(tmp_path: Path) -> None:
    f = tmp_path / "clinical.ejson"
    f.write_text(json.dumps([{"SAMPLE_ID": "S", "TMB": {"$numberLong": "12"}, "D": {"$date": 0}}]))
    (doc,) = read_documents(f)
    assert doc["TMB"] == 12 and type(doc["TMB"]) is int and doc["D"] == EPOCH
    f.write_text(json.dumps([{"SAMPLE_ID": "S", "TMB": {"$numberLong": "1.5"}}]))
    with pytest.raises(InputError, match=r"clinical.ejson:0:TMB.\$numberLong: '1.5' is not an integer"):
        read_documents(f)


# ------------------------------------------------------------------------------ alias bombs


def bomb(levels: int = 9, extra: str = "protocol_no: 12-345\n") -> str:
    """'Billion laughs': each level an anchored list of nine aliases of the level before."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return extra + "\n".join(lines) + "\n"


def test_the_loader_refuses_alias_bombs_recursion_and_size() -> None:
    with pytest.raises(safe_yaml.YamlError, match="aliases are expanded"):
        safe_yaml.load(bomb())
    with pytest.raises(safe_yaml.YamlError, match="recursive YAML alias"):
        safe_yaml.load("a: &a [1, *a]")
    with pytest.raises(safe_yaml.YamlError, match="characters"):
        safe_yaml.load("a: 1\n", max_chars=3)
    # ordinary anchors stay fine
    assert safe_yaml.load("base: &b {x: 1}\nother: *b\n") == {"base": {"x": 1}, "other": {"x": 1}}


def test_the_same_alias_bomb_is_refused_by_every_reader(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb())
    # CTML trial importer: the record is rejected with the reason
    (parsed,) = list(iter_records(path))
    assert parsed.trial is None and "aliases are expanded" in str(parsed.error)
    # the CTML matcher's file reader, feasibility criteria files, site alias files
    for read in (load_trials, read_documents, load_spec, load_alias_file):
        with pytest.raises(InputError, match="aliases are expanded") as err:
            read(path)
        assert "bomb.yaml" in str(err.value), read


def test_cli_refuses_the_alias_bomb_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb())
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    for args in (
        ["ctml", "match", "--trials", str(path), "--clinical", str(path)],
        ["feasibility", "--criteria", str(path)],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "oncofed.cli", *args], capture_output=True, text=True, timeout=300, env=env
        )
        assert out.returncode != 0, args
        assert "aliases are expanded" in out.stderr and "bomb.yaml" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
    out = subprocess.run(
        [sys.executable, "-m", "oncofed.cli", "import", "trials", str(path), "--strict"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert out.returncode != 0 and "aliases are expanded" in out.stdout + out.stderr
