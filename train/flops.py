"""Model FLOPs per token, device peaks, and MFU: how much of the hardware a run uses.

FLOPs per token = 6N + 12·L·H·Q·T (PaLM, arXiv 2204.02311 App. B; nanoGPT's ``estimate_mfu``):
6N for the forward and backward matrix multiplies of N non-embedding parameters (the embedding
lookup multiplies nothing; the output projection does and is counted, as torchtitan counts it),
12·L·H·Q·T for attention scores and values over a context of T with L layers, H heads of width Q.
Document masking skips part of that attention work; the formula counts it all, as every
published MFU does, so figures compare. Recomputation (activation checkpointing) is not counted:
this is model FLOPs utilisation, not hardware FLOPs.
"""

from __future__ import annotations

from dataclasses import dataclass

from train.model import LlamaConfig

PEAK_BF16_TFLOPS: dict[str, float] = {
    # Dense bf16 tensor-core peaks without sparsity, as torchtitan's tools/utils.py lists them.
    "H200": 989.0,
    "H100 PCIe": 756.0,
    "H100": 989.0,  # SXM; after the PCIe name (matched in order)
    "A100": 312.0,
}
"""Matched in order as substrings of ``torch.cuda.get_device_name()``."""


def peak_tflops(device_name: str) -> float | None:
    """The bf16 dense peak of a GPU by its name, or None when the table does not know it."""
    for key, value in PEAK_BF16_TFLOPS.items():
        if key in device_name:
            return value
    return None


def non_embedding_params(cfg: LlamaConfig) -> int:
    """N of the formula, from the shape alone (no model needs to exist)."""
    d, f, q = cfg.dim, cfg.ffn_dim, cfg.head_dim
    attention = d * cfg.n_heads * q * 2 + d * cfg.n_kv_heads * q * 2  # wq, wo; wk, wv
    block = attention + 3 * d * f + 2 * d  # SwiGLU's three matrices, two RMSNorm weights
    return cfg.n_layers * block + d + d * cfg.vocab_size  # final norm, output projection


def embedding_params(cfg: LlamaConfig) -> int:
    return cfg.vocab_size * cfg.dim


def flops_per_token(cfg: LlamaConfig, seq_len: int) -> float:
    """Training FLOPs (forward + backward) per token at context ``seq_len``."""
    attention = 12 * cfg.n_layers * cfg.n_heads * cfg.head_dim * seq_len
    return 6 * non_embedding_params(cfg) + attention


@dataclass(frozen=True)
class Throughput:
    """One step's speed per device, and its MFU where the device's peak is known."""

    tokens_per_s_per_device: float
    tflops_per_device: float
    mfu: float | None


def throughput(tokens: int, seconds: float, devices: int, flops: float, peak: float | None) -> Throughput:
    """``tokens`` trained by ``devices`` in ``seconds``; ``peak`` in TFLOP/s per device."""
    per_device = tokens / seconds / devices
    achieved = per_device * flops / 1e12
    return Throughput(per_device, achieved, None if peak is None else achieved / peak)
