"""Training throughput: our trainer (DeepSpeed ZeRO) against a plain PyTorch loop, same run.

Both train the same model (same config, same initial weights) on the same batches (the same
streaming loader over the same token shards, same micro-batch and accumulation) with the same
optimizer settings; the plain loop is what one writes without DeepSpeed, at its best as PyTorch's
own guidance has it: forward, backward, ``clip_grad_norm_(foreach=True)``, ``torch.optim.AdamW``
with ``fused=True`` (its fastest implementation, on CPU too since torch 2.4; ``--plain-adamw
foreach`` for the multi-tensor one), LR schedule, bf16 autocast and torch.compile on a GPU
(nanoGPT's recipe), fp32 eager on CPU; model and batches on the same device as ours (asserted).
The two alternate, ``--runs`` times each, the order swapped every run (ours first, then the plain
loop first, ...); printed: per trainer the median over runs of each run's median tokens/s per
device (steps after a warm-up), the spread (min-max over runs), CPU seconds per run, MFU where the
device's peak is known (GPUs), and the ratio (``--results`` stores bench/results/train_speed.json). On one CPU process the ratio is the price of the ZeRO machinery (partitioned
parameters gathered per layer, hooks); on GPUs with several ranks it is what buys memory.

    python bench/train_speed.py                     # demo config, synthetic token shards
    python bench/train_speed.py --config configs/train.yaml --steps 30 --runs 3
    python bench/train_speed.py --config my-1b.yaml --steps 20 --runs 3   # on a GPU: MFU too
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ratio_summary, spread, summary, timed, write_result

from common.cli import setup_logging
from common.config import load_config
from common.streaming import streaming_scratch
from devkit.token_source import synthetic_source
from train.config import TrainConfig
from train.data import DataSource, TokenLoader
from train.engine import build_model, compile_enabled, init_distributed, param_groups, resolve_precision
from train.flops import flops_per_token, peak_tflops
from train.loop import train
from train.metrics import read_metrics
from train.schedule import build_scheduler

REPO = Path(__file__).resolve().parents[1]
VOCAB = 4096


def plain_pytorch(cfg: TrainConfig, source: DataSource, steps: int, adamw: str) -> list[float]:
    """Tokens/s per step of a single-process loop with no DeepSpeed."""
    world = init_distributed()  # streaming consults the process group; the same one our trainer uses
    precision = resolve_precision(cfg.precision, world.device)
    model_cfg = cfg.model.resolve(source.vocab_size, source.seq_len - 1, precision)
    model = build_model(model_cfg, cfg.seed).to(world.device)
    opt = cfg.optimizer
    optimizer = torch.optim.AdamW(
        param_groups(model, opt.weight_decay),
        lr=opt.lr,
        betas=(opt.beta1, opt.beta2),
        eps=opt.eps,
        **({"fused": True} if adamw == "fused" else {"foreach": True}),
    )
    scheduler = build_scheduler(cfg)(optimizer)
    forward = torch.compile(model) if compile_enabled(cfg, world.device) else model
    autocast = (
        torch.autocast(world.device.type, dtype=torch.bfloat16)
        if precision == "bf16"
        else contextlib.nullcontext()
    )
    accum = cfg.batch.grad_accum_steps
    rates = []
    with streaming_scratch():
        loader = TokenLoader(source, cfg.batch.micro_batch_size, cfg.data.num_workers)
        try:
            for _ in range(steps):
                start, tokens = time.perf_counter(), 0
                for _ in range(accum):
                    batch = loader.next_batch().to(world.device)
                    assert (
                        batch.inputs.device.type == next(model.parameters()).device.type == world.device.type
                    )
                    with autocast:
                        _, loss = forward(batch.inputs, batch.segments, batch.labels)
                    (loss / accum).backward()
                    tokens += batch.num_tokens
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.optimizer.grad_clip, foreach=True)
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                scheduler.step()
                loss.item()  # the trainer reads the loss every step too (a device sync on GPU)
                rates.append(tokens / (time.perf_counter() - start))
        finally:
            loader.close()
    return rates


def ours(cfg: TrainConfig, source: DataSource, out: Path) -> list[float]:
    result = train(cfg, source, out_dir=out)
    return [r["tokens_per_s_per_device"] for r in read_metrics(result.metrics)]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", type=Path, default=REPO / "configs" / "train.yaml")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5, help="first steps of each run left out of its median")
    p.add_argument("--runs", type=int, default=3, help="alternating runs of each trainer")
    p.add_argument("--seq-len", type=int, default=257, help="sequence length of the synthetic shards")
    p.add_argument("--plain-adamw", choices=("fused", "foreach"), default="fused")
    p.add_argument("--results", action="store_true", help="store bench/results/train_speed.json")
    args = p.parse_args()
    setup_logging(logging.WARNING)
    cfg = load_config(
        args.config,
        TrainConfig,
        {
            "steps": args.steps,
            "schedule": {"warmup_steps": min(5, args.steps - 1)},
            "metrics": {"tensorboard": False},
        },
    )
    world = init_distributed()
    results: dict[str, list[float]] = {"headwater": [], "plain": []}
    cpu: dict[str, list[float]] = {"headwater": [], "plain": []}
    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        needed = args.steps * cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps
        source = synthetic_source(Path(tmp) / "tokens", needed, args.seq_len, VOCAB, doc_tokens=(50, 600))
        runners = {
            "headwater": lambda run: ours(cfg, source, Path(tmp) / f"run{run}"),
            "plain": lambda run: plain_pytorch(cfg, source, args.steps, args.plain_adamw),
        }
        for run in range(args.runs):
            for key in ("headwater", "plain") if run % 2 == 0 else ("plain", "headwater"):
                _, seconds, rates = timed(lambda key=key, run=run: runners[key](run))
                results[key].append(statistics.median(rates[args.warmup :]))
                cpu[key].append(seconds)

    precision = resolve_precision(cfg.precision, world.device)
    m = cfg.model.resolve(source.vocab_size, source.seq_len - 1, precision)
    flops = flops_per_token(m, source.seq_len - 1)
    peak = cfg.metrics.peak_tflops or (
        peak_tflops(torch.cuda.get_device_name()) if world.device.type == "cuda" else None
    )
    device = (
        torch.cuda.get_device_name()
        if world.device.type == "cuda"
        else f"CPU, {torch.get_num_threads()} threads"
    )
    tokens_per_step = cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps * (source.seq_len - 1)
    print(
        f"model {cfg.model.preset} (dim {m.dim}, {m.n_layers} layers, {m.n_heads}/{m.n_kv_heads} heads, "
        f"{m.attention} attention, {precision}), {tokens_per_step:,} tokens/step, {args.steps} steps, "
        f"median over steps {args.warmup + 1}..{args.steps}, {args.runs} alternating runs, {device}, "
        f"{source.description}"
    )
    names = {
        "headwater": f"headwater (DeepSpeed ZeRO-{cfg.zero_stage})",
        "plain": f"plain PyTorch loop ({args.plain_adamw} AdamW, foreach clipping)",
    }
    cols = ["trainer", "tokens/s/device, median (min-max)", "CPU s per run, median", "MFU"]
    rows = []
    for key, name in names.items():
        rate = summary(results[key])
        mfu = "n/a" if peak is None else f"{rate['median'] * flops / (peak * 1e12):.1%}"
        rows.append([name, spread(rate, ",.0f"), f"{statistics.median(cpu[key]):.1f}", mfu])
    ratio = ratio_summary(results["plain"], results["headwater"])  # rates: ours / plain per run
    rows.append(["ratio headwater / plain, per run", spread(ratio), "", ""])
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(row))
    if args.results:
        write_result(
            "train_speed",
            [
                {
                    "id": "train-speed",
                    "columns": cols,
                    "rows": rows,
                    "note": (
                        f"model {cfg.model.preset} (dim {m.dim}, {m.n_layers} layers), {precision}, "
                        f"{tokens_per_step:,} tokens/step, {args.steps} steps (median over steps "
                        f"{args.warmup + 1}..{args.steps}), {args.runs} alternating runs, {device}."
                    ),
                }
            ],
            {"tokens_per_s": results, "cpu_s": cpu},
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
