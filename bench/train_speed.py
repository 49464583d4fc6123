"""Training throughput: our trainer (DeepSpeed ZeRO) against a plain PyTorch loop, same run.

Both train the same model (same config, same initial weights) on the same batches (the same
streaming loader over the same token shards, same micro-batch and accumulation) with the same
optimizer settings; the plain loop is what one writes without DeepSpeed: forward, backward, clip,
AdamW, LR schedule. Printed: median tokens/s over the steps after a warm-up, and the ratio.
On one CPU process the ratio is the price of the ZeRO machinery (partitioned parameters gathered
per layer, hooks); on GPUs with several ranks it is what buys memory.

    python bench/train_speed.py                     # demo config, synthetic token shards
    python bench/train_speed.py --mix configs/mix.yaml --config configs/train.yaml --steps 30
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.cli import setup_logging
from common.config import load_config
from common.streaming import import_streaming
from tokenization.packing import write_domain
from train.config import TrainConfig
from train.data import DataSource, TokenLoader, source_from_mix, streaming_scratch
from train.engine import build_model, build_optimizer, init_distributed
from train.loop import train
from train.metrics import read_metrics
from train.schedule import build_scheduler

REPO = Path(__file__).resolve().parents[1]
SEQ_LEN, VOCAB = 257, 4096


def synthetic_source(root: Path, sequences: int, seed: int = 0) -> DataSource:
    """Random documents packed into Stage 2 token shards (the loader's real input format)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(50, 600, size=sequences * SEQ_LEN // 300)
    tokens = rng.integers(2, VOCAB, size=int(lengths.sum()), dtype=np.int32)
    write_domain(root / "web", [(tokens, lengths)], SEQ_LEN, eos_id=1, pad_id=0)
    streaming = import_streaming()
    return DataSource(
        make_streams=lambda: [streaming.Stream(local=str(root / "web"))],
        seq_len=SEQ_LEN,
        vocab_size=VOCAB,
        shuffle_seed=17,
        fingerprint="bench",
        description="synthetic",
    )


def plain_pytorch(cfg: TrainConfig, source: DataSource, steps: int) -> list[float]:
    """Tokens/s per step of a single-process loop with no DeepSpeed."""
    init_distributed()  # streaming consults the process group; the same one our trainer uses
    model_cfg = cfg.model.resolve(source.vocab_size, max_seq_len=source.seq_len - 1)
    model = build_model(model_cfg, cfg.seed)
    optimizer = build_optimizer(cfg, model)
    scheduler = build_scheduler(cfg)(optimizer)
    accum = cfg.batch.grad_accum_steps
    rates = []
    with streaming_scratch():
        loader = TokenLoader(source, cfg.batch.micro_batch_size, cfg.data.num_workers)
        try:
            for _ in range(steps):
                start, tokens = time.perf_counter(), 0
                for _ in range(accum):
                    batch = loader.next_batch()
                    _, loss = model(batch.inputs, batch.segments, batch.labels)
                    (loss / accum).backward()
                    tokens += batch.num_tokens
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.optimizer.grad_clip)
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                scheduler.step()
                loss.item()  # the trainer reads the loss every step too (a device sync on GPU)
                rates.append(tokens / (time.perf_counter() - start))
        finally:
            loader.close()
    return rates


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", type=Path, default=REPO / "configs" / "train.yaml")
    p.add_argument("--mix", type=Path, default=None, help="a mix plan; default: synthetic token shards")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5, help="first steps left out of the median")
    args = p.parse_args()
    setup_logging(logging.WARNING)
    cfg = load_config(
        args.config, TrainConfig, {"steps": args.steps, "schedule": {"warmup_steps": min(5, args.steps - 1)}}
    )
    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        needed = args.steps * cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps
        source = source_from_mix(args.mix) if args.mix else synthetic_source(Path(tmp) / "tokens", needed)
        start = time.perf_counter()
        result = train(cfg, source, out_dir=Path(tmp) / "run")
        ours_wall = time.perf_counter() - start
        ours = [r["tokens_per_s"] for r in read_metrics(result.metrics)]
        start = time.perf_counter()
        plain = plain_pytorch(cfg, source, args.steps)
        plain_wall = time.perf_counter() - start

    m = cfg.model.resolve(source.vocab_size, source.seq_len - 1)
    tokens_per_step = cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps * (source.seq_len - 1)
    print(
        f"model {cfg.model.preset} (dim {m.dim}, {m.n_layers} layers, {m.n_heads}/{m.n_kv_heads} heads), "
        f"{tokens_per_step:,} tokens/step, {args.steps} steps, median over steps {args.warmup + 1}.."
        f"{args.steps}, {torch.get_num_threads()} torch threads, {source.description}"
    )
    print(f"{'trainer':<34} {'tokens/s':>10} {'wall s':>8}")
    ours_rate = statistics.median(ours[args.warmup :])
    plain_rate = statistics.median(plain[args.warmup :])
    print(
        f"{'headwater (DeepSpeed ZeRO-' + str(cfg.zero_stage) + ')':<34} {ours_rate:>10,.0f} {ours_wall:>8.1f}"
    )
    print(f"{'plain PyTorch loop':<34} {plain_rate:>10,.0f} {plain_wall:>8.1f}")
    print(f"ratio headwater / plain: {ours_rate / plain_rate:.2f}")
    print("(wall s includes start-up: DeepSpeed engine, loader, checkpoint at the end for headwater)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
