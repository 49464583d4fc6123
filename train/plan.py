"""``python -m train plan``: what a run costs before a GPU is spent.

Parameters, FLOPs per token (`train.flops`), the mix plan's token budget, and for each GPU count
the global batch, the steps that draw the plan once, and the hours it takes at a given MFU on a
given GPU's bf16 peak -- the planning table of the seeds (torchtitan, llm-foundry and OLMo-core
report 33-55% MFU on H100s; ../shared/notes/train-anchors.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from train.config import TrainConfig
from train.data import DataSource
from train.flops import PEAK_BF16_TFLOPS, embedding_params, flops_per_token, non_embedding_params
from train.model import LlamaConfig


@dataclass(frozen=True)
class PlanRow:
    gpus: int
    global_batch: int
    steps: int
    tokens: int
    hours: dict[float, float]
    """MFU -> wall-clock hours."""


def model_shape(cfg: TrainConfig, source: DataSource) -> LlamaConfig:
    vocab = max(cfg.model.vocab_size or 0, source.vocab_size)
    return LlamaConfig(vocab_size=vocab, max_seq_len=source.seq_len - 1, **cfg.model.shape())


def plan_rows(
    cfg: TrainConfig, source: DataSource, gpus: list[int], mfus: list[float], peak_tflops: float
) -> list[PlanRow]:
    from train.loop import plan_steps  # the loop's own rule for steps, so the table cannot drift

    shape = model_shape(cfg, source)
    flops = flops_per_token(shape, source.seq_len - 1)
    rows = []
    for g in gpus:
        steps = plan_steps(cfg, source, g)
        batch = cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps * g
        tokens = steps * batch * (source.seq_len - 1)
        hours = {m: tokens * flops / (g * peak_tflops * 1e12 * m) / 3600 for m in mfus}
        rows.append(PlanRow(g, batch, steps, tokens, hours))
    return rows


def render(cfg: TrainConfig, source: DataSource, gpus: list[int], mfus: list[float], gpu_name: str) -> str:
    peak = PEAK_BF16_TFLOPS[gpu_name]
    shape = model_shape(cfg, source)
    n, emb = non_embedding_params(shape), embedding_params(shape)
    attention = 12 * shape.n_layers * shape.n_heads * shape.head_dim * (source.seq_len - 1)
    lines = [
        f"model {cfg.model.preset}: {(n + emb) / 1e6:,.1f}M parameters ({n / 1e6:,.1f}M without embeddings), "
        f"{shape.n_layers} layers, dim {shape.dim}, {shape.n_heads}/{shape.n_kv_heads} heads, "
        f"vocabulary {shape.vocab_size:,}, context {source.seq_len - 1}",
        f"FLOPs per token: 6N {6 * n / 1e9:.3f} G + attention {attention / 1e9:.3f} G = "
        f"{(6 * n + attention) / 1e9:.3f} GFLOP (forward and backward)",
        f"data: {source.description}",
        f"GPU: {gpu_name}, {peak:g} TFLOP/s bf16 dense peak; micro-batch {cfg.batch.micro_batch_size} x "
        f"accumulation {cfg.batch.grad_accum_steps} per GPU",
        "",
    ]
    header = f"{'GPUs':>5} {'global batch':>13} {'steps':>8} {'tokens':>16}" + "".join(
        f" {'h @ ' + format(m, '.0%') + ' MFU':>15}" for m in mfus
    )
    lines.append(header)
    for row in plan_rows(cfg, source, gpus, mfus, peak):
        lines.append(
            f"{row.gpus:>5} {row.global_batch:>13,} {row.steps:>8,} {row.tokens:>16,}"
            + "".join(f" {_hours(row.hours[m]):>15}" for m in mfus)
        )
    return "\n".join(lines)


def _hours(h: float) -> str:
    if h < 1 / 60:
        return f"{h * 3600:.1f} s"
    return f"{h * 60:.1f} min" if h < 1 else f"{h:,.1f} h"
