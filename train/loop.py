"""The training loop: the short story that calls the other modules in order.

Join (or create) the process group; size the run (the mix plan's token budget over the global
batch, unless the config gives steps); decide on rank 0 whether this run continues a checkpoint
(refusing one made under other settings or by another number of ranks) and tell every rank;
build the model and wrap it in DeepSpeed; open the loader in the node's shared streaming
scratch; restore the checkpoint's state when resuming. Then, each step: draw up to
``grad_accum_steps`` micro-batches (the plan's last step may hold fewer), forward and backward
each, reduce the loss and the batch's accounting over ranks, and let DeepSpeed step -- whose
optimizer applies the update only if the spike guard lets it. Record the metrics; roll back to
the last checkpoint after too many skips; checkpoint on the interval and at the end.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
import xxhash

from common.errors import ConfigError, OutputConflict
from common.streaming import streaming_scratch
from train.checkpoint import Checkpointer, capture_rng, restore_rng, tag_for
from train.config import TrainConfig, check_warmup
from train.data import DataSource, TokenLoader
from train.engine import World, build_engine, build_model, init_distributed, resolve_precision
from train.evaluate import HeldoutEvaluator, heldout_dir_for
from train.flops import flops_per_token, peak_tflops, throughput
from train.metrics import MetricsLogger, StepMetrics
from train.model import LlamaConfig
from train.stability import SpikeGuard, StepGate

log = logging.getLogger(__name__)

METRICS_FILE = "metrics.jsonl"
ROLLBACKS_FILE = "rollbacks.jsonl"
TENSORBOARD_DIR = "tensorboard"


class TrainingDiverged(RuntimeError):
    """Too many skipped steps and no checkpoint to roll back to."""


@dataclass
class TrainState:
    step: int = 0
    tokens_seen: int = 0
    """Tokens drawn from the data (every rank, padding included), skipped steps included."""
    domain_sequences: list[int] = field(default_factory=list)
    domain_tokens: list[int] = field(default_factory=list)
    """Sequences and document tokens drawn from each domain so far (every rank)."""


@dataclass(frozen=True)
class TrainResult:
    checkpoint: Path
    """The complete checkpoint of the last step trained."""
    step: int
    tokens_seen: int
    metrics: Path
    domain_sequences: dict[str, int]
    domain_tokens: dict[str, int]


@dataclass(frozen=True)
class RunShape:
    """What the loop needs to know about sizes, fixed before the first step."""

    steps: int
    global_batch: int
    flops_per_token: float
    peak_tflops: float | None


def plan_steps(cfg: TrainConfig, source: DataSource, world_size: int) -> int:
    """The run's optimizer steps: the config's, or the steps that draw the mix plan once. More
    steps than the plan holds would repeat its data beyond the epochs the mixer checked, so they
    are refused here rather than looped over."""
    global_batch = cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps * world_size
    planned = source.plan_steps(global_batch)
    if cfg.steps is None:
        if planned is None:
            raise ConfigError("steps: not set, and the data has no mix plan to take them from")
        steps = planned
    else:
        steps = cfg.steps
        if planned is not None and steps > planned:
            assert source.plan is not None
            raise ConfigError(
                f"steps: {steps} steps of {global_batch} sequences need {steps * global_batch:,} sequences, "
                f"but the mix plan draws {source.plan.total_sequences:,} ({source.plan.config.total_tokens:,} "
                f"tokens): the run would repeat data past the plan's epochs. Train at most {planned} steps, "
                f"or raise total_tokens in the mix (the mixer checks max_epochs)"
            )
    return steps


def train(
    cfg: TrainConfig,
    source: DataSource,
    out_dir: str | Path | None = None,
    resume: bool = False,
    stop_at: int | None = None,
    overwrite: bool = False,
) -> TrainResult:
    """Train per ``cfg`` on ``source``; ``stop_at`` ends (with a checkpoint) after that step of
    the run, for job time limits: a later ``resume`` carries on from there. A fresh run refuses
    an output directory with checkpoints unless ``overwrite`` deletes them."""
    if resume and overwrite:
        raise ValueError("resume and overwrite exclude each other")
    out = Path(out_dir if out_dir is not None else cfg.out_dir)
    world = init_distributed()
    if not world.is_main:
        logging.getLogger("train").setLevel(logging.WARNING)  # one rank tells the story
    precision = resolve_precision(cfg.precision, world.device)
    model_cfg = cfg.model.resolve(source.vocab_size, max_seq_len=source.seq_len - 1, precision=precision)
    model_cfg = _with_speed_switches(model_cfg, cfg)
    steps = plan_steps(cfg, source, world.size)
    check_warmup(cfg.schedule.warmup_steps, steps)
    cfg = cfg.model_copy(update={"steps": steps})  # the LR schedule spans the resolved steps
    shape = RunShape(
        steps=steps,
        global_batch=cfg.batch.micro_batch_size * cfg.batch.grad_accum_steps * world.size,
        flops_per_token=flops_per_token(model_cfg, source.seq_len - 1),
        peak_tflops=cfg.metrics.peak_tflops or _device_peak(world.device),
    )
    identity = {"config": cfg.run_identity(), "data": source.fingerprint}
    end = steps if stop_at is None else min(stop_at, steps)

    checkpointer = Checkpointer(out / cfg.checkpoint.dir, cfg.checkpoint.keep, world)
    resume_from = _checkpoint_to_resume(checkpointer, resume, overwrite, identity, world)
    if world.device.type == "cuda":
        if cfg.speed.deterministic:
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # cuBLAS's condition for it
        # warn_only: an op without a deterministic kernel warns (naming itself) rather than stops
        torch.use_deterministic_algorithms(cfg.speed.deterministic, warn_only=True)
    model = build_model(model_cfg, cfg.seed)
    log.info(
        "model: %s, %.2fM parameters (%.2fM without embeddings), %s attention, %s, ZeRO-%d, %d rank(s); "
        "%d steps of %d sequences (%s tokens), %.3g GFLOP per token",
        cfg.model.preset,
        model.num_params(exclude_embeddings=False) / 1e6,
        model.num_params() / 1e6,
        model_cfg.attention,
        precision,
        cfg.zero_stage,
        world.size,
        steps,
        shape.global_batch,
        f"{steps * shape.global_batch * (source.seq_len - 1):,}",
        shape.flops_per_token / 1e9,
    )
    if cfg.stability.rollback_skips and not cfg.checkpoint.interval and steps > 1:
        log.warning(
            "checkpoint.interval is 0: until the final checkpoint there is none to roll back to, so "
            "%d skipped steps within %d would stop the run",
            cfg.stability.rollback_skips,
            cfg.stability.window,
        )
    guard = SpikeGuard(cfg.stability)
    gate = StepGate(guard)
    engine = build_engine(cfg, model, world, precision, gate)

    with streaming_scratch():
        loader = TokenLoader(source, cfg.batch.micro_batch_size, cfg.data.num_workers)
        evaluator = _evaluator(cfg, source)
        metrics = None
        try:
            if resume_from is not None:
                state = _restore(checkpointer, resume_from, engine, loader, guard, world)
            else:
                state = _fresh(cfg, source)
            last_checkpoint = resume_from
            metrics = MetricsLogger(
                out / METRICS_FILE,
                end,
                state.step,
                cfg.log_interval,
                enabled=world.is_main,
                tensorboard_dir=out / TENSORBOARD_DIR if cfg.metrics.tensorboard else None,
            )
            while state.step < end:
                m = _train_step(cfg, engine, loader, world, state, gate, shape, source.domains)
                if m is None:
                    log.warning(
                        "the mix plan's data is used up at step %d of %d (rollbacks passed over batches); "
                        "stopping here",
                        state.step,
                        end,
                    )
                    break
                if evaluator is not None and (state.step % cfg.eval.interval == 0 or state.step == end):
                    m = replace(m, heldout=evaluator(engine, world.device))
                metrics.log(m)
                guard.record(m.step, m.loss, m.grad_norm, skipped=m.skipped is not None)
                if guard.should_roll_back():
                    last_checkpoint = _roll_back(
                        cfg, checkpointer, last_checkpoint, engine, loader, guard, state, world, metrics, out
                    )
                    continue
                if state.step == end or (
                    cfg.checkpoint.interval and state.step % cfg.checkpoint.interval == 0
                ):
                    last_checkpoint = _save(
                        checkpointer, engine, loader, guard, state, identity, world, source
                    )
            if last_checkpoint is None or last_checkpoint.name != tag_for(state.step):
                last_checkpoint = _save(checkpointer, engine, loader, guard, state, identity, world, source)
        finally:
            if metrics is not None:
                metrics.close()
            loader.close()
    if state.step == steps == source.plan_steps(shape.global_batch):  # the whole plan was drawn
        _report_plan_match(source, state, shape.global_batch)
    return TrainResult(
        last_checkpoint,
        state.step,
        state.tokens_seen,
        out / METRICS_FILE,
        dict(zip(source.domains, state.domain_sequences, strict=True)),
        dict(zip(source.domains, state.domain_tokens, strict=True)),
    )


def _evaluator(cfg: TrainConfig, source: DataSource) -> HeldoutEvaluator | None:
    """Held-out perplexity every ``eval.interval`` steps, or None when off. Without an
    ``eval.heldout`` path, the split's ``heldout`` side beside the training tokens is used when
    there is one; tokens that are not a split's train side train without it (a warning)."""
    if not cfg.eval.interval:
        return None
    heldout = cfg.eval.heldout
    if heldout is None and source.plan is not None:
        found = heldout_dir_for(source.plan.tokens_dir)
        heldout = None if found is None else str(found)
    if heldout is None:
        log.warning(
            "eval.interval is %d but the tokens are not the train side of python -m mixer split and "
            "eval.heldout is not set: no held-out perplexity in this run",
            cfg.eval.interval,
        )
        return None
    return HeldoutEvaluator(
        Path(heldout), cfg.eval.micro_batch_size or cfg.batch.micro_batch_size, cfg.eval.max_sequences
    )


def _with_speed_switches(model_cfg: LlamaConfig, cfg: TrainConfig) -> LlamaConfig:
    return replace(
        model_cfg,
        checkpoint_activations=cfg.speed.activation_checkpointing,
        deterministic=cfg.speed.deterministic,
    )


def _device_peak(device: torch.device) -> float | None:
    return peak_tflops(torch.cuda.get_device_name(device)) if device.type == "cuda" else None


def _checkpoint_to_resume(
    checkpointer: Checkpointer, resume: bool, overwrite: bool, identity: dict[str, Any], world: World
) -> Path | None:
    """The checkpoint this run continues, decided by rank 0 before any engine is built and told
    to every rank, so ranks that see the folder differently (another node, a folder rank 0 is
    already clearing) act alike: None for a fresh run; an error for a fresh run over old
    checkpoints, or a resume under changed settings or with another number of ranks."""
    decision: list[Any] = [None]
    if world.is_main:
        try:
            decision[0] = _decide(checkpointer, resume, overwrite, identity, world.size)
        except Exception as err:  # every rank raises it: the others must not wait for a decision
            decision[0] = ("error", err)
    if world.size > 1:
        dist.broadcast_object_list(decision, src=0)
    kind, value = decision[0]
    if kind == "error":
        raise value
    if kind == "clear":
        checkpointer.clear()  # every rank: it ends in a barrier
        return None
    return value


def _decide(
    checkpointer: Checkpointer, resume: bool, overwrite: bool, identity: dict[str, Any], world_size: int
) -> tuple[str, Any]:
    latest = checkpointer.latest()
    if latest is None:
        if resume:
            log.warning("%s: no checkpoint yet, starting from step 0", checkpointer.root)
        return ("fresh", None)
    if overwrite:
        log.warning("%s: deleting the checkpoints of an earlier run (overwrite)", checkpointer.root)
        return ("clear", None)
    if not resume:
        raise OutputConflict(
            f"{checkpointer.root} already holds checkpoints: pass --resume to continue that run, "
            f"--overwrite to replace it, or choose another output directory"
        )
    meta = checkpointer.read_meta(latest)
    saved_size = meta.get("world_size", 1)
    if saved_size != world_size:
        raise ConfigError(
            f"{latest}: written by {saved_size} rank(s), this run has {world_size}: the global batch and "
            f"each rank's share of the data would change, so the run would not continue as it was. "
            f"Resume with {saved_size} rank(s), or start a new run in another output directory"
        )
    changed = _differences(meta["identity"], identity)
    if changed:
        raise ConfigError(
            f"{latest}: cannot resume, the run's settings changed: {'; '.join(changed)} "
            f"(use a new output directory for a different run)"
        )
    return ("resume", latest)


def _fresh(cfg: TrainConfig, source: DataSource) -> TrainState:
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    n = len(source.domains)
    return TrainState(domain_sequences=[0] * n, domain_tokens=[0] * n)


def _restore(
    checkpointer: Checkpointer,
    path: Path,
    engine: Any,
    loader: TokenLoader,
    guard: SpikeGuard,
    world: World,
) -> TrainState:
    """Weights, optimizer, LR schedule (DeepSpeed), then loader position, RNGs and the guard's
    history (ours)."""
    saved = checkpointer.load(engine, path)
    loader.load_state_dict(saved["loader"])
    restore_rng(saved["rng"][world.rank])
    guard.load_state_dict(saved["guard"])
    state = TrainState(
        step=saved["step"],
        tokens_seen=saved["tokens_seen"],
        domain_sequences=list(saved["domain_sequences"]),
        domain_tokens=list(saved["domain_tokens"]),
    )
    log.info("resumed from %s at step %d (%s tokens seen)", path, state.step, f"{state.tokens_seen:,}")
    return state


def _train_step(
    cfg: TrainConfig,
    engine: Any,
    loader: TokenLoader,
    world: World,
    state: TrainState,
    gate: StepGate,
    shape: RunShape,
    domains: tuple[str, ...],
) -> StepMetrics | None:
    """One optimizer step over up to ``grad_accum_steps`` micro-batches; None when the data is
    used up. The loop owns the accumulation boundary, so a short last step averages over the
    micro-batches it has."""
    start = time.perf_counter()
    lr = float(engine.get_lr()[0])  # the rate this step uses (DeepSpeed advances it after the step)
    batches = []
    for _ in range(cfg.batch.grad_accum_steps):
        batch = loader.next_batch()
        if batch is None:
            break
        batches.append(batch)
    if not batches:
        return None
    losses = []
    for i, batch in enumerate(batches):
        engine.set_gradient_accumulation_boundary(i == len(batches) - 1)
        batch = batch.to(world.device)
        _, loss = engine(batch.inputs, batch.segments, batch.labels)
        engine.backward(loss / len(batches), scale_wrt_gas=False)
        losses.append(loss.detach().float())
    loss, totals, digest = _reduce_step(torch.stack(losses).mean(), batches, world, len(domains))

    gate.arm(loss)
    engine.step()  # the wrapped optimizer asks the gate before it updates anything
    norm = engine.get_global_grad_norm()  # None where DeepSpeed does not compute it (ZeRO-0, fp32)
    grad_norm = None if norm is None else float(norm)
    skipped = gate.reason
    if not engine.was_step_applied():  # DeepSpeed found the gradients not finite and skipped
        skipped = skipped or f"grad norm {grad_norm} is not finite"
        engine.lr_scheduler.step()  # keep the schedule a function of the step, as for our skips

    state.step += 1
    tokens = int(totals[1])
    state.tokens_seen += tokens
    n = len(domains)
    state.domain_sequences = [
        a + int(b) for a, b in zip(state.domain_sequences, totals[2 : 2 + n], strict=True)
    ]
    state.domain_tokens = [a + int(b) for a, b in zip(state.domain_tokens, totals[2 + n :], strict=True)]
    elapsed = time.perf_counter() - start
    speed = throughput(tokens, elapsed, world.size, shape.flops_per_token, shape.peak_tflops)
    return StepMetrics(
        step=state.step,
        loss=loss,
        lr=lr,
        grad_norm=grad_norm,
        skipped=skipped,
        tokens=tokens,
        tokens_seen=state.tokens_seen,
        step_time_s=elapsed,
        tokens_per_s=tokens / elapsed,
        tokens_per_s_per_device=speed.tokens_per_s_per_device,
        tflops_per_device=speed.tflops_per_device,
        mfu=speed.mfu,
        batch_digest=digest,
        domain_tokens=dict(zip(domains, state.domain_tokens, strict=True)),
    )


def _reduce_step(
    local_loss: torch.Tensor, batches: list[Any], world: World, num_domains: int
) -> tuple[float, list[int], str]:
    """The step as all ranks saw it: mean loss, [micro-batches, tokens, sequences per domain...,
    document tokens per domain...] summed, and one digest of every rank's batches in rank order."""
    local_digest = xxhash.xxh64_intdigest(np.array([b.digest for b in batches], dtype=np.uint64).tobytes())
    counts = np.concatenate(
        [
            [len(batches), sum(b.num_tokens for b in batches)],
            np.sum([b.domain_sequences for b in batches], axis=0),
            np.sum([b.domain_tokens for b in batches], axis=0),
        ]
    ).astype(np.int64)
    signed = np.array([local_digest], dtype=np.uint64).view(np.int64)
    row = torch.from_numpy(np.concatenate([signed, counts]))
    loss = local_loss.to(world.device)
    if world.size > 1:
        rows = [torch.empty_like(row, device=world.device) for _ in range(world.size)]
        dist.all_gather(rows, row.to(world.device))
        table = torch.stack(rows).cpu().numpy()
        dist.all_reduce(loss, op=dist.ReduceOp.SUM)
        loss = loss / world.size
        micro = table[:, 1]
        if (micro != micro[0]).any():  # streaming gives every rank the same number of samples
            raise RuntimeError(f"ranks drew different numbers of micro-batches this step: {micro.tolist()}")
    else:
        table = row.numpy()[None]
    digest = xxhash.xxh64_hexdigest(table[:, 0].tobytes())
    return float(loss), table[:, 1:].sum(axis=0).tolist(), digest


def _roll_back(
    cfg: TrainConfig,
    checkpointer: Checkpointer,
    last_checkpoint: Path | None,
    engine: Any,
    loader: TokenLoader,
    guard: SpikeGuard,
    state: TrainState,
    world: World,
    metrics: MetricsLogger,
    out: Path,
) -> Path:
    """Weights, optimizer, schedule, RNGs and the guard's history back to the last checkpoint;
    the data goes on from where it is, so the batches since that checkpoint are passed over
    (PaLM's recipe), plus ``rollback_skip_batches`` more."""
    skipped = list(guard.skipped)
    if last_checkpoint is None:
        raise TrainingDiverged(
            f"step {state.step}: {len(skipped)} skipped steps ({', '.join(map(str, skipped))}) within "
            f"{cfg.stability.window} steps and no checkpoint yet to roll back to; lower the learning rate "
            f"or checkpoint earlier (checkpoint.interval)"
        )
    saved = checkpointer.load(engine, last_checkpoint)
    restore_rng(saved["rng"][world.rank])
    guard.load_state_dict(saved["guard"])
    from_step, state.step = state.step, saved["step"]
    passed = 0
    for _ in range(cfg.stability.rollback_skip_batches * cfg.batch.grad_accum_steps):
        if loader.next_batch() is None:
            break
        passed += 1
    metrics.rewind(state.step)
    record = {
        "from_step": from_step,
        "to_step": state.step,
        "checkpoint": str(last_checkpoint),
        "skipped_steps": skipped,
        "micro_batches_passed_over": passed,
        "tokens_seen": state.tokens_seen,
    }
    if world.is_main:
        with open(out / ROLLBACKS_FILE, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    log.warning(
        "rolled back from step %d to %s after skipped steps %s; the data continues past them",
        from_step,
        last_checkpoint,
        skipped,
    )
    return last_checkpoint


def _save(
    checkpointer: Checkpointer,
    engine: Any,
    loader: TokenLoader,
    guard: SpikeGuard,
    state: TrainState,
    identity: dict[str, Any],
    world: World,
    source: DataSource,
) -> Path:
    rng = [capture_rng()]
    if world.size > 1:
        rng = [None] * world.size
        dist.all_gather_object(rng, capture_rng())
    saved = {
        "step": state.step,
        "tokens_seen": state.tokens_seen,
        "domain_sequences": state.domain_sequences,
        "domain_tokens": state.domain_tokens,
        "loader": loader.state_dict(),
        "rng": rng,
        "guard": guard.state_dict(),
        "identity": identity,
    }
    meta = {
        "tokens_seen": state.tokens_seen,
        "domain_sequences": dict(zip(source.domains, state.domain_sequences, strict=True)),
        "domain_tokens": dict(zip(source.domains, state.domain_tokens, strict=True)),
        "planned_sequences": source.planned_sequences(),
        "loader": saved["loader"],
        "identity": identity,
        "world_size": world.size,
        "model": asdict(engine.module.cfg),  # what train.evaluate / train.export rebuild the model from
    }
    return checkpointer.save(engine, state.step, saved, meta)


def _report_plan_match(source: DataSource, state: TrainState, global_batch: int) -> None:
    """At the end of a run that drew the whole plan: what each domain gave against the plan."""
    planned = source.planned_sequences()
    if planned is None:
        return
    seen = dict(zip(source.domains, state.domain_sequences, strict=True))
    off = sum(abs(seen[d] - planned[d]) for d in planned)
    for domain in source.domains:
        log.info(
            "domain %-12s sequences drawn %8s  planned %8s",
            domain,
            f"{seen[domain]:,}",
            f"{planned[domain]:,}",
        )
    if off > global_batch:
        log.warning(
            "the domains' draws differ from the plan by %d sequences, more than one global batch", off
        )


def _differences(saved: Any, current: Any, where: str = "") -> list[str]:
    """Dotted keys whose values differ between two nested dicts."""
    if isinstance(saved, dict) and isinstance(current, dict):
        keys = sorted(set(saved) | set(current))
        return [
            d for k in keys for d in _differences(saved.get(k), current.get(k), f"{where}.{k}".lstrip("."))
        ]
    return [] if saved == current else [f"{where} ({saved!r} -> {current!r})"]
