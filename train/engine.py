"""DeepSpeed: process group, device, precision, and the ZeRO engine around the model.

The DeepSpeed config is generated from the typed `TrainConfig` (`deepspeed_config`), so there is
one place a setting is written and it is validated at start-up. A single process needs no
launcher: `init_distributed()` creates a one-rank group itself (gloo on CPU, NCCL on GPU); under
``deepspeed``/``torchrun`` it joins the group the launcher describes in the environment.

The optimizer is torch's AdamW for every backend (on CUDA its fused kernel): DeepSpeed's
FusedAdam/CPUAdam compile for about a minute at first use, and under ZeRO each parameter group is
one flat partition, so AdamW's step is already a few large tensor operations. It sits behind the
spike guard's gate (`train.stability.SkippableAdamW`). ZeRO wraps it, so
``zero_allow_untested_optimizer`` is set. DeepSpeed moves the model to the rank's device itself.
"""

from __future__ import annotations

import logging
import os
import socket
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import deepspeed
import torch
import torch.distributed as dist
from torch import nn

from train.config import TrainConfig
from train.model import Llama, LlamaConfig
from train.schedule import build_scheduler
from train.stability import SkippableAdamW, StepGate

log = logging.getLogger(__name__)

Precision = Literal["bf16", "fp32"]


@dataclass(frozen=True)
class World:
    rank: int
    local_rank: int
    size: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def init_distributed() -> World:
    """Join the launcher's process group, or create a group of one when there is no launcher.

    The group lives until the process exits: DeepSpeed caches its sub-groups globally, so a group
    destroyed and created again in one process (several runs in a test session) breaks its
    next engine."""
    if "LOCAL_SIZE" in os.environ and "LOCAL_WORLD_SIZE" not in os.environ:
        # The deepspeed launcher names the ranks per node LOCAL_SIZE; streaming reads torchrun's
        # LOCAL_WORLD_SIZE and, without it, takes every rank for a node of its own.
        os.environ["LOCAL_WORLD_SIZE"] = os.environ["LOCAL_SIZE"]
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if torch.cuda.is_available():
        torch.cuda.set_device(local_rank)  # before NCCL starts: each rank's communicator on its GPU
    if not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if "RANK" not in os.environ:
            # No launcher: a group of one. Its address goes to init_process_group, not into
            # os.environ, where a child process (a test running the CLI) would take it for a
            # launcher's and try to bind the same port. DeepSpeed itself reads LOCAL_RANK.
            os.environ.setdefault("LOCAL_RANK", "0")
            address = f"tcp://127.0.0.1:{_free_port()}"
            dist.init_process_group(backend, init_method=address, rank=0, world_size=1)
        deepspeed.init_distributed(dist_backend=backend, verbose=False)
    device = torch.device("cuda", local_rank) if torch.cuda.is_available() else torch.device("cpu")
    return World(dist.get_rank(), local_rank, dist.get_world_size(), device)


def resolve_precision(setting: str, device: torch.device) -> Precision:
    """auto: bf16 where the hardware computes in it natively (Ampere and newer GPUs), else fp32."""
    if setting == "auto":
        if device.type == "cuda" and torch.cuda.is_bf16_supported():
            return "bf16"
        return "fp32"
    return setting  # type: ignore[return-value]


def deepspeed_config(cfg: TrainConfig, world_size: int, precision: Precision) -> dict[str, Any]:
    """The DeepSpeed JSON for this run, derived from the typed config and nothing else.

    The loop owns the accumulation boundary (``engine.set_gradient_accumulation_boundary``) and
    scales each micro-batch's loss itself, so a plan's last step may hold fewer micro-batches."""
    micro, accum = cfg.batch.micro_batch_size, cfg.batch.grad_accum_steps
    return {
        "train_batch_size": micro * accum * world_size,
        "train_micro_batch_size_per_gpu": micro,
        "gradient_accumulation_steps": accum,
        "gradient_clipping": cfg.optimizer.grad_clip,
        "zero_optimization": {
            "stage": cfg.zero_stage,
            "contiguous_gradients": True,
            "overlap_comm": torch.cuda.is_available(),
        },
        "bf16": {"enabled": precision == "bf16"},
        "fp16": {"enabled": False},
        "zero_allow_untested_optimizer": True,
        "steps_per_print": 2**31 - 1,  # our metrics log the steps; DeepSpeed's own line is noise
        "wall_clock_breakdown": False,
        "checkpoint": {"tag_validation": "FAIL"},
    }


def param_groups(model: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """Decay the weight matrices only: norms, biases and the embedding table are not decayed
    (OLMo 2 found decaying embeddings hurts stability)."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (decay if p.ndim >= 2 and "tok_embeddings" not in name else no_decay).append(p)
    return [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]


def build_model(model_cfg: LlamaConfig, seed: int) -> Llama:
    """The model with seeded initial weights, identical on every rank (each partitions its copy)."""
    torch.manual_seed(seed)
    return Llama(model_cfg)


def build_optimizer(cfg: TrainConfig, model: nn.Module, gate: StepGate | None = None) -> torch.optim.AdamW:
    """AdamW with the config's settings over the decay / no-decay groups of `param_groups`,
    behind ``gate`` when one is given."""
    opt = cfg.optimizer
    fused = cfg.speed.fused_adamw
    return SkippableAdamW(
        param_groups(model, opt.weight_decay),
        gate=gate,
        lr=opt.lr,
        betas=(opt.beta1, opt.beta2),
        eps=opt.eps,
        fused=torch.cuda.is_available() if fused == "auto" else fused,
    )


def build_engine(
    cfg: TrainConfig, model: Llama, world: World, precision: Precision, gate: StepGate | None = None
) -> Any:
    """Wrap the model, AdamW and the LR schedule in a DeepSpeed engine (ZeRO per config), and
    compile it when the config asks (DeepSpeed's ``engine.compile``, which keeps ZeRO-3's
    parameter gathering hooks working under torch.compile)."""
    # torch.distributed's deprecation notices for calls inside DeepSpeed would come once per step
    warnings.filterwarnings("ignore", category=FutureWarning, module="torch.distributed")
    engine, _, _, _ = deepspeed.initialize(
        model=model,
        optimizer=build_optimizer(cfg, model, gate),
        lr_scheduler=build_scheduler(cfg),
        config=deepspeed_config(cfg, world.size, precision),
        dist_init_required=False,
    )
    if gate is not None and not isinstance(engine.optimizer, SkippableAdamW):
        # ZeRO stores the global norm (reduced over ranks, before clipping) on itself just before
        # it calls the wrapped optimizer; DeepSpeed's engine reads it there too.
        zero = engine.optimizer
        gate.grad_norm_source = lambda: _as_float(getattr(zero, "_global_grad_norm", None))
    if compile_enabled(cfg, world.device):
        engine.compile()
    return engine


def compile_enabled(cfg: TrainConfig, device: torch.device) -> bool:
    setting = cfg.speed.compile
    return device.type == "cuda" if setting == "auto" else setting


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)
