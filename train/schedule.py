"""Learning-rate schedule: linear warmup, then cosine decay to a floor (Llama, Chinchilla).

The schedule is a pure function of the step, so a resumed run recomputes the same rate from the
step it restarts at; the `LambdaLR` around it is only how DeepSpeed steps it (and saves its
counter in the checkpoint).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch.optim.lr_scheduler import LambdaLR

from train.config import TrainConfig


def lr_multiplier(step: int, warmup_steps: int, total_steps: int, min_ratio: float) -> float:
    """Fraction of the peak LR for optimizer step ``step`` (0-based).

    Warmup: (step + 1) / warmup_steps, so the first step already moves the weights. Then cosine
    from 1 at the end of warmup down to ``min_ratio`` at the last step (total_steps - 1).
    """
    if step < warmup_steps:
        return (step + 1) / warmup_steps
    decay_steps = max(1, total_steps - 1 - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / decay_steps)
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))


def build_scheduler(cfg: TrainConfig) -> Callable[[torch.optim.Optimizer], LambdaLR]:
    """A factory DeepSpeed calls with its own (ZeRO-wrapped) optimizer, so the scheduler sets the
    rate on the param groups that are actually stepped."""
    s = cfg.schedule

    def multiplier(step: int) -> float:
        return lr_multiplier(step, s.warmup_steps, cfg.steps, s.min_lr_ratio)

    return lambda optimizer: LambdaLR(optimizer, multiplier)
