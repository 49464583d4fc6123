"""Per-step training metrics: a JSONL file in the run directory, TensorBoard event files, log
lines, a progress bar.

Every step is one JSON line (step, loss, lr, grad norm, whether the step was skipped and why,
tokens/s overall and per device, MFU, tokens seen overall and per domain, and the digest of the
step's global batch, so one can tell which data each step saw and compare two runs batch by
batch). A resumed run first drops the lines past the step it resumes from (they belong to the
attempt that crashed), and so does a rollback, so the file always reads as one curve.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from common import storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepMetrics:
    step: int
    loss: float
    lr: float
    grad_norm: float | None
    """Global gradient norm before clipping; None where DeepSpeed does not report it."""
    skipped: str | None
    """Why the step's update was not applied (a loss spike, a non-finite value), or None."""
    tokens: int
    """Tokens in this step's global batch (every device, every micro-batch, padding included)."""
    tokens_seen: int
    step_time_s: float
    tokens_per_s: float
    tokens_per_s_per_device: float
    tflops_per_device: float
    mfu: float | None
    """Model FLOPs utilisation (`train.flops`); None where the device's peak is unknown (CPU)."""
    batch_digest: str
    """xxh64 over the digests of every rank's micro-batches of the step, in rank order."""
    domain_tokens: dict[str, int] = field(default_factory=dict)
    """Document tokens (padding excluded) drawn so far from each domain, all ranks."""
    heldout: dict[str, dict[str, float]] | None = None
    """On evaluation steps (``eval.interval``): per domain and ``all``, the held-out tokens, mean
    loss and perplexity (`train.evaluate`); None on the other steps."""


def read_metrics(path: str | Path) -> list[dict]:
    """The records of a metrics.jsonl, in order.

    A run killed mid-write leaves its last line cut short: that line (a step after the last
    checkpoint, which resume writes again) is skipped with a warning. A broken line anywhere
    else is damage, reported with the file and line number.
    """
    with open(path, encoding="utf-8") as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if line.strip()]
    records = []
    for i, (n, line) in enumerate(lines):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            if i == len(lines) - 1 and not line.endswith("\n"):
                log.warning("%s:%d: skipping a cut-off last line (a killed run's partial write)", path, n)
                break
            raise ValueError(f"{path}:{n}: not a JSON record: {err}") from None
    return records


class MetricsLogger:
    """Writes step metrics on the main rank; a no-op elsewhere."""

    def __init__(
        self,
        path: str | Path,
        total_steps: int,
        start_step: int,
        log_interval: int,
        enabled: bool,
        tensorboard_dir: str | Path | None = None,
    ) -> None:
        self.path = Path(path)
        self.log_interval = log_interval
        self.enabled = enabled
        self._file = None
        self._bar = None
        self._tb: Any = None
        if not enabled:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._truncate_after(start_step)
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())
        self._bar = tqdm(total=total_steps, initial=start_step, desc="train", unit="step", dynamic_ncols=True)
        if tensorboard_dir is not None:
            from torch.utils.tensorboard import SummaryWriter

            self._tb = SummaryWriter(str(tensorboard_dir), purge_step=start_step + 1)

    def _truncate_after(self, step: int) -> None:
        """Drop the records past ``step``; replaced atomically, so a crash here loses none."""
        if not self.path.exists():
            return
        kept = [r for r in read_metrics(self.path) if r["step"] <= step]
        storage.write_bytes(str(self.path), "".join(json.dumps(r) + "\n" for r in kept).encode("utf-8"))

    def rewind(self, step: int) -> None:
        """Continue the curve from ``step`` (a rollback): later records are dropped."""
        if not self.enabled:
            return
        assert self._file is not None and self._bar is not None
        self._file.close()
        self._truncate_after(step)
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())
        self._bar.n = step
        self._bar.refresh()

    def log(self, m: StepMetrics) -> None:
        if not self.enabled:
            return
        assert self._file is not None and self._bar is not None
        self._file.write(json.dumps(asdict(m)) + "\n")
        self._file.flush()
        self._bar.update(1)
        self._bar.set_postfix(loss=f"{m.loss:.4f}", lr=f"{m.lr:.2e}", tok_s=f"{m.tokens_per_s:,.0f}")
        if self._tb is not None:
            self._write_tensorboard(m)
        if m.skipped is not None:
            log.warning("step %d skipped: %s", m.step, m.skipped)
        if m.heldout is not None:
            log.info(
                "step %d  held-out perplexity  %s",
                m.step,
                "  ".join(f"{d} {v['perplexity']:.2f}" for d, v in m.heldout.items()),
            )
        if m.step % self.log_interval == 0 or m.step == self._bar.total:
            log.info(
                "step %d  loss %.4f  lr %.3e  grad_norm %s  tokens/s/device %s  MFU %s  tokens %s",
                m.step,
                m.loss,
                m.lr,
                "n/a" if m.grad_norm is None else f"{m.grad_norm:.3f}",
                f"{m.tokens_per_s_per_device:,.0f}",
                "n/a" if m.mfu is None else f"{m.mfu:.1%}",
                f"{m.tokens_seen:,}",
            )

    def _write_tensorboard(self, m: StepMetrics) -> None:
        scalars = {
            "train/loss": m.loss,
            "train/lr": m.lr,
            "train/grad_norm": m.grad_norm,
            "train/skipped": float(m.skipped is not None),
            "speed/tokens_per_s_per_device": m.tokens_per_s_per_device,
            "speed/tflops_per_device": m.tflops_per_device,
            "speed/mfu": m.mfu,
            "data/tokens_seen": m.tokens_seen,
            **{f"data/tokens/{domain}": n for domain, n in m.domain_tokens.items()},
        }
        for domain, values in (m.heldout or {}).items():
            scalars[f"heldout/loss/{domain}"] = values["loss"]
            scalars[f"heldout/perplexity/{domain}"] = values["perplexity"]
        for tag, value in scalars.items():
            if value is not None and math.isfinite(value):
                self._tb.add_scalar(tag, value, m.step)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        if self._file is not None:
            self._file.close()
        if self._tb is not None:
            self._tb.close()
