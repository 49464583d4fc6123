"""Loss spikes: decide, before the update is applied, whether a step is skipped, and when
skipping is no longer enough and the run rolls back to its last checkpoint.

The decision needs the step's global gradient norm, which DeepSpeed computes inside
``engine.step()`` just before it calls the wrapped optimizer. So the wrapped optimizer is
`SkippableAdamW`: torch's AdamW behind a gate. The loop hands the gate the step's loss (already
averaged over ranks) before ``engine.step()``; DeepSpeed computes the norm (reduced over ranks),
clips, and calls the optimizer, whose gate asks `SpikeGuard` and, for a skip, returns without
touching the weights or the Adam moments. Every rank sees the same loss and norm, so every rank
decides the same. DeepSpeed itself already skips a step whose gradient norm is not finite
(``engine.was_step_applied()`` is then False) without calling the optimizer at all.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Any

import torch

from train.config import StabilityConfig


class SpikeGuard:
    """The skip and rollback rules over a rolling window of losses and gradient norms.

    History holds the values of the steps that were applied. OLMo-core's skip-step optimizer
    keeps skipped ones too; here a spike does not widen the band that the next step is judged
    by, so a cluster of spikes (PaLM saw them come in runs) is skipped step after step until
    ``rollback_skips`` of them roll the run back. The standard deviation is the sample one
    (Bessel-corrected), as torch.std_mean gives OLMo-core.
    """

    def __init__(self, cfg: StabilityConfig) -> None:
        self.cfg = cfg
        self.losses: deque[float] = deque(maxlen=cfg.window)
        self.norms: deque[float] = deque(maxlen=cfg.window)
        self.skipped: deque[int] = deque()
        """Steps skipped within the last ``window`` steps."""

    def verdict(self, loss: float, grad_norm: float | None) -> str | None:
        """Why the step with this loss and gradient norm must not be applied, or None."""
        if not math.isfinite(loss):
            return f"loss {loss} is not finite"
        if grad_norm is not None and not math.isfinite(grad_norm):
            return f"grad norm {grad_norm} is not finite"
        if not self.cfg.skip_spikes:
            return None
        for name, value, history in (("loss", loss, self.losses), ("grad norm", grad_norm, self.norms)):
            if value is None or len(history) < self.cfg.min_history:
                continue
            mean, std = _mean_std(history)
            if value - mean > self.cfg.sigma * std:
                sigmas = math.inf if std == 0 else (value - mean) / std
                return (
                    f"{name} {value:.4g} is {sigmas:.1f} sigma above the mean {mean:.4g} of the last "
                    f"{len(history)} steps (threshold {self.cfg.sigma:g})"
                )
        return None

    def record(self, step: int, loss: float, grad_norm: float | None, skipped: bool) -> None:
        if skipped:
            self.skipped.append(step)
        else:
            self.losses.append(loss)
            if grad_norm is not None:
                self.norms.append(grad_norm)
        while self.skipped and self.skipped[0] <= step - self.cfg.window:
            self.skipped.popleft()

    def should_roll_back(self) -> bool:
        return 0 < self.cfg.rollback_skips <= len(self.skipped)

    def state_dict(self) -> dict[str, Any]:
        return {"losses": list(self.losses), "norms": list(self.norms), "skipped": list(self.skipped)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.losses = deque(state["losses"], maxlen=self.cfg.window)
        self.norms = deque(state["norms"], maxlen=self.cfg.window)
        self.skipped = deque(state["skipped"])


def _mean_std(values: deque[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var)


class StepGate:
    """What `SkippableAdamW` asks before it updates: armed by the loop with the step's loss, it
    reads the gradient norm DeepSpeed has just computed and asks the guard once per step (ZeRO
    calls the optimizer once per parameter sub-group)."""

    def __init__(self, guard: SpikeGuard) -> None:
        self.guard = guard
        self.grad_norm_source: Callable[[], float | None] = lambda: None
        self._loss: float | None = None
        self.reason: str | None = None
        self.decided = False

    def arm(self, loss: float) -> None:
        self._loss, self.reason, self.decided = loss, None, False

    def allows_update(self) -> bool:
        if self._loss is None:  # not armed: a step outside the loop's control, let it through
            return True
        if not self.decided:
            self.reason = self.guard.verdict(self._loss, self.grad_norm_source())
            self.decided = True
        return self.reason is None


class SkippableAdamW(torch.optim.AdamW):
    """torch AdamW that applies nothing -- no weight change, no moment or step-count update --
    when its gate says the step is skipped."""

    def __init__(self, params: Any, gate: StepGate | None = None, **kwargs: Any) -> None:
        super().__init__(params, **kwargs)
        self.gate = gate

    def step(self, closure: Any = None) -> Any:  # type: ignore[override]
        if self.gate is not None and not self.gate.allows_update():
            return None
        return super().step(closure)
