"""The training loop: the short story that calls the other modules in order.

Join (or create) the process group; decide whether this run continues a checkpoint (refusing one
made under other settings); build the model and wrap it in DeepSpeed; open the loader in a private
scratch; restore the checkpoint's state when resuming. Then, each step: draw
``grad_accum_steps`` micro-batches, forward, backward, let DeepSpeed step (it applies the update
and the LR schedule at the accumulation boundary), record the metrics, and checkpoint on the
interval and at the end.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist

from common.errors import ConfigError, OutputConflict
from common.streaming import streaming_scratch
from train.checkpoint import Checkpointer, capture_rng, restore_rng
from train.config import TrainConfig
from train.data import DataSource, TokenLoader
from train.engine import World, build_engine, build_model, init_distributed, resolve_precision
from train.metrics import MetricsLogger, StepMetrics, finite_or_raise

log = logging.getLogger(__name__)

METRICS_FILE = "metrics.jsonl"


@dataclass
class TrainState:
    step: int = 0
    tokens_seen: int = 0


@dataclass(frozen=True)
class TrainResult:
    checkpoint: Path
    """The complete checkpoint of the last step trained."""
    step: int
    tokens_seen: int
    metrics: Path


def train(
    cfg: TrainConfig,
    source: DataSource,
    out_dir: str | Path | None = None,
    resume: bool = False,
    stop_at: int | None = None,
    overwrite: bool = False,
) -> TrainResult:
    """Train per ``cfg`` on ``source``; ``stop_at`` ends (with a checkpoint) after that step of
    the ``cfg.steps`` schedule, for job time limits: a later ``resume`` carries on from there.
    A fresh run refuses an output directory with checkpoints unless ``overwrite`` deletes them."""
    if resume and overwrite:
        raise ValueError("resume and overwrite exclude each other")
    out = Path(out_dir if out_dir is not None else cfg.out_dir)
    model_cfg = cfg.model.resolve(source.vocab_size, max_seq_len=source.seq_len - 1)
    identity = {"config": cfg.run_identity(), "data": source.fingerprint}
    end = cfg.steps if stop_at is None else min(stop_at, cfg.steps)

    world = init_distributed()
    checkpointer = Checkpointer(out / cfg.checkpoint.dir, cfg.checkpoint.keep, world)
    resume_from = _checkpoint_to_resume(checkpointer, resume, overwrite, identity)
    precision = resolve_precision(cfg.precision, world.device)
    model = build_model(model_cfg, cfg.seed)
    log.info(
        "model: %s, %.2fM parameters (%.2fM without embeddings), %s attention, %s, ZeRO-%d, %d rank(s)",
        cfg.model.preset,
        model.num_params(exclude_embeddings=False) / 1e6,
        model.num_params() / 1e6,
        model_cfg.attention,
        precision,
        cfg.zero_stage,
        world.size,
    )
    engine = build_engine(cfg, model, world, precision)

    with streaming_scratch():
        loader = TokenLoader(source, cfg.batch.micro_batch_size, cfg.data.num_workers)
        metrics = None
        try:
            state = _restore(checkpointer, engine, loader) if resume_from else _fresh(cfg)
            last_checkpoint = resume_from
            metrics = MetricsLogger(
                out / METRICS_FILE, end, state.step, cfg.log_interval, enabled=world.is_main
            )
            while state.step < end:
                metrics.log(_train_step(cfg, engine, loader, world, state))
                if state.step == end or (
                    cfg.checkpoint.interval and state.step % cfg.checkpoint.interval == 0
                ):
                    last_checkpoint = _save(checkpointer, engine, loader, state, identity)
        finally:
            if metrics is not None:
                metrics.close()
            loader.close()
    assert last_checkpoint is not None  # the last step is always saved, or was resumed from
    return TrainResult(last_checkpoint, state.step, state.tokens_seen, out / METRICS_FILE)


def _checkpoint_to_resume(
    checkpointer: Checkpointer, resume: bool, overwrite: bool, identity: dict[str, Any]
) -> Path | None:
    """The checkpoint this run continues, checked before any engine is built: None for a fresh
    run; an error for a fresh run over old checkpoints or a resume under changed settings."""
    latest = checkpointer.latest()
    if latest is None:
        if resume:
            log.warning("%s: no checkpoint yet, starting from step 0", checkpointer.root)
        return None
    if overwrite:
        log.warning("%s: deleting the checkpoints of an earlier run (overwrite)", checkpointer.root)
        checkpointer.clear()
        return None
    if not resume:
        raise OutputConflict(
            f"{checkpointer.root} already holds checkpoints: pass --resume to continue that run, "
            f"--overwrite to replace it, or choose another output directory"
        )
    changed = _differences(checkpointer.read_meta(latest)["identity"], identity)
    if changed:
        raise ConfigError(
            f"{latest}: cannot resume, the run's settings changed: {'; '.join(changed)} "
            f"(use a new output directory for a different run)"
        )
    return latest


def _fresh(cfg: TrainConfig) -> TrainState:
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    return TrainState()


def _restore(checkpointer: Checkpointer, engine: Any, loader: TokenLoader) -> TrainState:
    """Weights, optimizer, LR schedule (DeepSpeed), then loader position and RNGs (ours)."""
    path, saved = checkpointer.load(engine)
    loader.load_state_dict(saved["loader"])
    restore_rng(saved["rng"])
    state = TrainState(step=saved["step"], tokens_seen=saved["tokens_seen"])
    log.info("resumed from %s at step %d (%s tokens seen)", path, state.step, f"{state.tokens_seen:,}")
    return state


def _train_step(
    cfg: TrainConfig, engine: Any, loader: TokenLoader, world: World, state: TrainState
) -> StepMetrics:
    """One optimizer step over ``grad_accum_steps`` micro-batches."""
    start = time.perf_counter()
    lr = float(engine.get_lr()[0])  # the rate this step uses (DeepSpeed advances it after the step)
    losses, digests, tokens = [], [], 0
    for _ in range(cfg.batch.grad_accum_steps):
        batch = loader.next_batch()
        digests.append(batch.digest)
        tokens += batch.num_tokens
        batch = batch.to(world.device)
        _, loss = engine(batch.inputs, batch.segments, batch.labels)
        engine.backward(loss)
        engine.step()  # an update only at the accumulation boundary
        losses.append(loss.detach().float())
    loss = _mean_over_ranks(torch.stack(losses).mean(), world)
    norm = engine.get_global_grad_norm()  # None where DeepSpeed does not compute it (ZeRO-0, fp32)
    grad_norm = None if norm is None else float(norm)
    state.step += 1
    finite_or_raise(state.step, loss, grad_norm)
    tokens *= world.size
    state.tokens_seen += tokens
    elapsed = time.perf_counter() - start
    return StepMetrics(
        step=state.step,
        loss=loss,
        lr=lr,
        grad_norm=grad_norm,
        tokens=tokens,
        tokens_seen=state.tokens_seen,
        step_time_s=elapsed,
        tokens_per_s=tokens / elapsed,
        batch_digest="+".join(digests),
    )


def _mean_over_ranks(value: torch.Tensor, world: World) -> float:
    if world.size > 1:
        value = value.to(world.device)
        dist.all_reduce(value, op=dist.ReduceOp.SUM)
        value = value / world.size
    return float(value)


def _save(
    checkpointer: Checkpointer,
    engine: Any,
    loader: TokenLoader,
    state: TrainState,
    identity: dict[str, Any],
) -> Path:
    saved = {
        "step": state.step,
        "tokens_seen": state.tokens_seen,
        "loader": loader.state_dict(),
        "rng": capture_rng(),
        "identity": identity,
    }
    meta = {"tokens_seen": state.tokens_seen, "loader": saved["loader"], "identity": identity}
    return checkpointer.save(engine, state.step, saved, meta)


def _differences(saved: Any, current: Any, where: str = "") -> list[str]:
    """Dotted keys whose values differ between two nested dicts."""
    if isinstance(saved, dict) and isinstance(current, dict):
        keys = sorted(set(saved) | set(current))
        return [
            d for k in keys for d in _differences(saved.get(k), current.get(k), f"{where}.{k}".lstrip("."))
        ]
    return [] if saved == current else [f"{where} ({saved!r} -> {current!r})"]
