"""The cache of validated coded elements (fhir_validate) changes speed only: the same facts, the
same warnings (same resource, field, reason, fix) and the same rejections as validating every
element inside its resource, on the real mCODE bundles and on mutated copies of them."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.ingest.patients import fhir_validate
from oncofed.ingest.patients.common import ParsedRecord
from oncofed.ingest.patients.fhir import parse_bundle
from tests.conftest import shared_data

BAD_VALUES: list[Any] = [
    None,
    "",
    " x ",
    3,
    -1,
    1.5,
    True,
    [],
    {},
    [None],
    {"coding": "x"},
    {"coding": [{"code": " a b"}]},
    {"coding": [{"system": 5, "code": "c"}]},
    "2020-13-01",
    "2020-02",
    {"reference": 5},
    [{"bad": 1}],
    {"system": "urn:x", "code": "c"},
]


def _bundles() -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(shared_data("fhir", "mcode").glob("*.json"))]


def _summary(records: list[ParsedRecord]) -> list[tuple[Any, ...]]:
    out = []
    for r in records:
        facts = (
            [
                (f.kind, f.code, str(f.value), f.unit, str(f.when), f.negated, repr(f.attributes))
                for f in r.profile.facts
            ]
            if r.profile
            else None
        )
        issues = [(i.resource, i.field, i.reason, i.fix, i.severity) for i in r.issues]
        out.append((r.record, r.rejected, issues, facts, r.local_id, r.centre_hint))
    return out


def _both_ways(bundle: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = json.dumps(bundle)
    cached = _summary(parse_bundle(bundle, file="f.json"))
    cached_again = _summary(parse_bundle(bundle, file="f.json"))  # now every element is a cache hit
    assert json.dumps(bundle) == before, "the caller's data was modified"
    with monkeypatch.context() as m:
        m.setattr(fhir_validate, "ENABLED", False)
        plain = _summary(parse_bundle(bundle, file="f.json"))
    assert cached == plain == cached_again


def test_real_bundles_give_the_same_records_with_and_without_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for bundle in _bundles():
        _both_ways(bundle, monkeypatch)
    assert fhir_validate.stats["hits"] > 0


@st.composite
def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    bundles = _bundles()
    bundle = copy.deepcopy(bundles[draw(st.integers(0, len(bundles) - 1))])
    for _ in range(draw(st.integers(1, 4))):
        entries = bundle["entry"]
        node: Any = entries[draw(st.integers(0, len(entries) - 1))].get("resource")
        for depth in range(draw(st.integers(1, 4))):
            if not isinstance(node, (dict, list)):
                break
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            if depth == 3 or not isinstance(node[key], (dict, list)) or draw(st.booleans()):
                node[key] = copy.deepcopy(draw(st.sampled_from(BAD_VALUES)))
                break
            node = node[key]
    return bundle


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bundle=_mutated())
def test_mutated_bundles_give_the_same_records_with_and_without_the_cache(
    bundle: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _both_ways(bundle, monkeypatch)
